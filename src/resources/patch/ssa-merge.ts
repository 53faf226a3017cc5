/**
 * @module
 * The two value operations of server-side apply, after structured-merge-diff: merging an applied
 * configuration into the live object (`TypedValue.Merge`: maps merge by key, `listType=map`/`set`
 * lists merge by item key keeping SMD's interleaved order, everything else is replaced), and
 * removing the fields a manager stopped applying (`TypedValue.RemoveItems`).
 *
 * @example
 * mergeApplied({ spec: { a: 1, b: 2 } }, { spec: { b: 3 } }, undefined) // { spec: { a: 1, b: 3 } }
 */
import { cloneJson, isJsonObject, ownValue, setKey, type JsonObject } from "./json-value.ts";
import { isEmptyFieldSet, type FieldSet } from "./field-set.ts";
import { fieldSchema, type SchemaNode } from "./patch-meta.ts";
import { fieldElement, listItemElement } from "./path-element.ts";

/** A value with its nulls removed: an applied `null` means "unset", never a stored null. */
const withoutNulls = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) if (item !== null) setKey(out, key, withoutNulls(item));
    return out;
  }
  return value;
};

/** Items keyed by path element; undefined when some item cannot be keyed or a key repeats. */
const indexItems = (list: readonly unknown[], node: SchemaNode | undefined): [string, unknown][] | undefined => {
  const seen = new Set<string>();
  const out: [string, unknown][] = [];
  for (const item of list) {
    const element = listItemElement(item, node);
    if (element === undefined || seen.has(element)) return undefined;
    seen.add(element);
    out.push([element, item]);
  }
  return out;
};

/** SMD `mergingWalker.visitListItems`: shared items follow the applied order, live-only items stay in place. */
function mergeListItems(live: unknown[], applied: unknown[], node: SchemaNode | undefined): unknown[] {
  const rhs = indexItems(applied, node);
  const lhs = indexItems(live, node);
  if (!rhs || !lhs) return withoutNulls(applied) as unknown[];
  const lhsByKey = new Map(lhs);
  const rhsByKey = new Map(rhs);
  const shared = rhs.map(([key]) => key).filter((key) => lhsByKey.has(key));
  let nextShared = shared.shift();
  const merged = new Set<string>();
  const out: unknown[] = [];
  const mergeItem = (key: string): unknown =>
    lhsByKey.has(key) ? mergeValue(lhsByKey.get(key), rhsByKey.get(key), node?.items) : withoutNulls(rhsByKey.get(key));
  let l = 0;
  let r = 0;
  while (l < lhs.length || r < rhs.length) {
    if (l < lhs.length && r < rhs.length) {
      const key = lhs[l][0];
      if (key === rhs[r][0]) {
        merged.add(key);
        out.push(mergeItem(key));
        l++;
        r++;
        nextShared = shared.shift();
        continue;
      }
      if (rhsByKey.has(key) && nextShared !== undefined && nextShared !== key) {
        l++;
        continue;
      }
    }
    if (l < lhs.length) {
      const [key, item] = lhs[l];
      if (!rhsByKey.has(key)) {
        out.push(item);
        l++;
        continue;
      }
      if (merged.has(key)) {
        l++;
        continue;
      }
    }
    if (r < rhs.length) {
      const key = rhs[r][0];
      merged.add(key);
      out.push(mergeItem(key));
      r++;
      if (nextShared === key) nextShared = shared.shift();
    }
  }
  return out;
}

/** The merged value; undefined when the applied value is null (the field is unset). */
function mergeValue(live: unknown, applied: unknown, node: SchemaNode | undefined): unknown {
  if (applied === null) return undefined;
  if (isJsonObject(applied)) {
    if (node?.atomic || !isJsonObject(live)) return withoutNulls(applied);
    const out = cloneJson(live);
    for (const [key, value] of Object.entries(applied)) {
      const merged = mergeValue(ownValue(out, key), value, fieldSchema(node, key));
      if (merged === undefined) delete out[key];
      else setKey(out, key, merged);
    }
    return out;
  }
  if (Array.isArray(applied)) {
    const granular = node?.listType === "map" || node?.listType === "set";
    return granular && Array.isArray(live) ? mergeListItems(live, applied, node) : withoutNulls(applied);
  }
  return applied;
}

/** The live object with the applied configuration merged in; neither input is mutated. */
export function mergeApplied(live: JsonObject, applied: JsonObject, schema: SchemaNode | undefined): JsonObject {
  return mergeValue(live, applied, schema) as JsonObject;
}

const isEmptyValue = (value: unknown): boolean =>
  (Array.isArray(value) && value.length === 0) || (isJsonObject(value) && Object.keys(value).length === 0);

/**
 * Removes the members of `remove` from `object` in place. A member still owned below (by `keep`,
 * the fields some manager applies) is descended into rather than removed whole. Maps and lists
 * emptied by the removal go too, as the typed round trip (`omitempty`) drops them in Kubernetes.
 */
export function removeFields(object: JsonObject, remove: FieldSet, keep: FieldSet, schema: SchemaNode | undefined): void {
  removeFromMap(object, remove, keep, schema);
}

function removeFromMap(map: JsonObject, remove: FieldSet, keep: FieldSet | undefined, node: SchemaNode | undefined): void {
  for (const [element, child] of remove.children) {
    if (!element.startsWith("f:")) continue;
    const name = element.slice(2);
    if (!Object.hasOwn(map, name)) continue;
    const kept = keep?.children.get(element);
    if (child.member && isEmptyFieldSet(kept)) {
      delete map[name];
      continue;
    }
    const value = map[name];
    if (isEmptyValue(value)) continue;
    const field = fieldSchema(node, name);
    if (isJsonObject(value)) removeFromMap(value, child, kept, field);
    else if (Array.isArray(value)) map[name] = removeFromList(value, child, kept, field);
    if (isEmptyValue(map[name]) && !kept?.member) delete map[name];
  }
}

function removeFromList(list: unknown[], remove: FieldSet, keep: FieldSet | undefined, node: SchemaNode | undefined): unknown[] {
  const out: unknown[] = [];
  for (const item of list) {
    const element = listItemElement(item, node);
    const child = element === undefined ? undefined : remove.children.get(element);
    if (!child) {
      out.push(item);
      continue;
    }
    const kept = keep?.children.get(element!);
    if (child.member && isEmptyFieldSet(kept)) continue;
    if (isJsonObject(item)) removeFromMap(item, child, kept, node?.items);
    out.push(item);
  }
  return out;
}
