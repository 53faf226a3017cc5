/**
 * @module
 * Server-side apply conflicts, after structured-merge-diff `merge.Updater.update`: the fields an
 * apply changes (added or modified, compared with the live object) that another manager owns are
 * conflicts. Without `force` they fail the apply with 409 and one cause per field, worded as the
 * apiserver's `internal/fieldmanager` words them; with `force` the applier takes them over and the
 * other managers lose them.
 *
 * @example
 * changedFieldSet({ spec: { a: 1 } }, { spec: { a: 2, b: 3 } }, schema) // members .spec.a, .spec.b
 * formatFieldPath(['f:spec', 'k:{"name":"main"}', 'f:image']) // '.spec[name="main"].image'
 */
import { childOf, emptyFieldSet, isEmptyFieldSet, unionFieldSets, type FieldSet } from "./field-set.ts";
import { deepEqual, isJsonObject } from "./json-value.ts";
import type { ManagedFieldsEntry } from "./managed-fields.ts";
import { fieldSetOf } from "./object-field-set.ts";
import { fieldSchema, isMapType, type SchemaNode } from "./patch-meta.ts";
import { comparePathElements, fieldElement, listItemElement } from "./path-element.ts";

export interface ApplyConflict {
  /** The owner as the apiserver prints it: `"kubectl"`, or `"m" using apps/v1` for an Update manager. */
  manager: string;
  /** `.spec.template.spec.containers[name="main"].image` */
  field: string;
}

/** An apply that would change fields other managers own (409 Conflict unless forced). */
export class ApplyConflictError extends Error {
  readonly conflicts: readonly ApplyConflict[];

  constructor(conflicts: readonly ApplyConflict[]) {
    super(conflictMessage(conflicts));
    this.name = "ApplyConflictError";
    this.conflicts = conflicts;
  }
}

const replaceInto = (set: FieldSet, added: FieldSet): void => {
  const merged = unionFieldSets(set, added);
  set.member = merged.member;
  set.children = merged.children;
};

function collectChanged(value: unknown, live: unknown, node: SchemaNode | undefined, set: FieldSet): void {
  if (deepEqual(value, live)) return;
  if (live === undefined) {
    replaceInto(set, fieldSetOf(value, node));
    return;
  }
  if (isJsonObject(value) && isJsonObject(live) && !node?.atomic) {
    for (const [key, item] of Object.entries(value)) {
      const child = childOf(set, fieldElement(key));
      // A null or a new empty map is a member itself; an emptied map only lost fields (Removed).
      const marker = item === null || (isJsonObject(item) && Object.keys(item).length === 0 && !isJsonObject(live[key])) || isMapType(node);
      if (marker && !deepEqual(item, live[key])) child.member = true;
      collectChanged(item, live[key], fieldSchema(node, key), child);
      if (isEmptyFieldSet(child)) set.children.delete(fieldElement(key));
    }
    return;
  }
  if (Array.isArray(value) && Array.isArray(live) && (node?.listType === "set" || node?.listType === "map")) {
    const elements = value.map((item) => listItemElement(item, node));
    const liveElements = live.map((item) => listItemElement(item, node));
    if (elements.includes(undefined) || liveElements.includes(undefined)) {
      set.member = true;
      return;
    }
    const liveByElement = new Map(liveElements.map((element, i) => [element!, live[i]]));
    value.forEach((item, i) => {
      const element = elements[i]!;
      const child = childOf(set, element);
      if (liveByElement.has(element)) collectChanged(item, liveByElement.get(element), node.items, child);
      else {
        replaceInto(child, fieldSetOf(item, node.items));
        child.member = true;
      }
      if (isEmptyFieldSet(child)) set.children.delete(element);
    });
    return;
  }
  set.member = true;
}

/** The fields `merged` adds or modifies relative to `live` (SMD `Comparison.Added ∪ Modified`). */
export function changedFieldSet(live: unknown, merged: unknown, schema: SchemaNode | undefined): FieldSet {
  const set = emptyFieldSet();
  collectChanged(merged, live, schema, set);
  set.member = false;
  return set;
}

/** SMD `PathElement.String`: `.name`, `[k=v,…]` for keys, `[=v]` for set values, `[i]` for indexes. */
function formatElement(element: string): string {
  const rest = element.slice(2);
  switch (element[0]) {
    case "f":
      return `.${rest}`;
    case "k": {
      const key = JSON.parse(rest) as Record<string, unknown>;
      return `[${Object.keys(key)
        .sort()
        .map((name) => `${name}=${JSON.stringify(key[name])}`)
        .join(",")}]`;
    }
    case "v":
      return `[=${rest}]`;
    default:
      return `[${rest}]`;
  }
}

export const formatFieldPath = (elements: readonly string[]): string => elements.map(formatElement).join("");

/** The member paths of a set in SMD `Set.Iterate` order: a level's members first, then its children's. */
export function fieldSetPaths(set: FieldSet, prefix: string[] = []): string[] {
  const elements = [...set.children.keys()].sort(comparePathElements);
  const out: string[] = [];
  for (const element of elements) if (set.children.get(element)!.member) out.push(formatFieldPath([...prefix, element]));
  for (const element of elements) out.push(...fieldSetPaths(set.children.get(element)!, [...prefix, element]));
  return out;
}

/** fieldmanager `printManager`: Apply managers by name; Update managers with the version they wrote. */
export function printManager(entry: ManagedFieldsEntry): string {
  let out = JSON.stringify(entry.manager);
  if (entry.subresource) out += ` with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === "Update") out += ` using ${entry.apiVersion}`;
  return out;
}

/** fieldmanager `getConflictMessage`. */
function conflictMessage(conflicts: readonly ApplyConflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${conflicts[0]!.manager}: ${conflicts[0]!.field}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  const lines = [...byManager.keys()].sort().flatMap((manager) => [`conflicts with ${manager}:`, ...byManager.get(manager)!.map((field) => `- ${field}`)]);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
}
