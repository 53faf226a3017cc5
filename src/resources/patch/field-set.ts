/**
 * @module
 * Sets of field paths (structured-merge-diff `fieldpath.Set`) as a tree: each node says whether
 * its own path is a member and holds its children by serialized path element. FieldsV1 is this
 * tree as JSON: every child is a key, `{}` marks a member leaf and `".": {}` marks a member that
 * also has children. Keys are written in SMD's order, so output matches the apiserver byte for byte.
 *
 * @example
 * toFieldsV1(fromFieldsV1({ "f:metadata": { "f:labels": { "f:app": {} } } }))
 * // { "f:metadata": { "f:labels": { "f:app": {} } } }
 */
import { isJsonObject } from "./json-value.ts";
import { comparePathElements } from "./path-element.ts";

export interface FieldSet {
  member: boolean;
  children: Map<string, FieldSet>;
}

/** The JSON form stored in `managedFields[].fieldsV1`. */
export type FieldsV1 = { [element: string]: FieldsV1 };

export const emptyFieldSet = (): FieldSet => ({ member: false, children: new Map() });

/** The child at `element`, created when missing. */
export const childOf = (set: FieldSet, element: string): FieldSet => {
  let child = set.children.get(element);
  if (!child) {
    child = emptyFieldSet();
    set.children.set(element, child);
  }
  return child;
};

export const isEmptyFieldSet = (set: FieldSet | undefined): boolean => !set || (!set.member && set.children.size === 0);

export function unionFieldSets(...sets: (FieldSet | undefined)[]): FieldSet {
  const out = emptyFieldSet();
  for (const set of sets) {
    if (!set) continue;
    out.member ||= set.member;
    for (const [element, child] of set.children) out.children.set(element, unionFieldSets(out.children.get(element), child));
  }
  return out;
}

/** The members of `a` that are not members of `b`. */
export function differenceFieldSets(a: FieldSet, b: FieldSet | undefined): FieldSet {
  const out: FieldSet = { member: a.member && !b?.member, children: new Map() };
  for (const [element, child] of a.children) {
    const rest = differenceFieldSets(child, b?.children.get(element));
    if (!isEmptyFieldSet(rest)) out.children.set(element, rest);
  }
  return out;
}

/** The members of both `a` and `b`. */
export function intersectFieldSets(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member && b.member, children: new Map() };
  for (const [element, child] of a.children) {
    const other = b.children.get(element);
    if (!other) continue;
    const both = intersectFieldSets(child, other);
    if (!isEmptyFieldSet(both)) out.children.set(element, both);
  }
  return out;
}

export function equalFieldSets(a: FieldSet | undefined, b: FieldSet | undefined): boolean {
  return isEmptyFieldSet(differenceFieldSets(a ?? emptyFieldSet(), b)) && isEmptyFieldSet(differenceFieldSets(b ?? emptyFieldSet(), a));
}

/** Serializes as SMD `Set.ToJSON` does (`emitContentsV1`). */
export function toFieldsV1(set: FieldSet): FieldsV1 {
  const out: FieldsV1 = {};
  for (const element of [...set.children.keys()].sort(comparePathElements)) {
    const child = set.children.get(element)!;
    const contents = toFieldsV1(child);
    out[element] = child.member && child.children.size > 0 ? { ".": {}, ...contents } : contents;
  }
  return out;
}

/** Parses FieldsV1; anything that is not an object of objects yields an empty set. */
export function fromFieldsV1(fields: unknown): FieldSet {
  const set = emptyFieldSet();
  if (!isJsonObject(fields)) return set;
  for (const [element, contents] of Object.entries(fields)) {
    if (element === ".") continue;
    const child = fromFieldsV1(contents);
    const hasSelf = isJsonObject(contents) && Object.hasOwn(contents, ".");
    child.member = hasSelf || child.children.size === 0;
    set.children.set(element, child);
  }
  return set;
}
