/**
 * @module
 * Path elements of managed fields, serialized as structured-merge-diff's `fieldpath` does in
 * FieldsV1: `f:<field>` for a map key or struct field, `k:<json>` for an item of a `listType=map`
 * list (its key fields, sorted by name), `v:<json>` for an item of a `listType=set` list, and
 * `i:<n>` for a list index. Elements sort as SMD's `PathElement.Compare`: fields, then keys,
 * then values, then indexes.
 *
 * @example
 * listItemElement({ containerPort: 80, name: "http" }, portsNode) // 'k:{"containerPort":80,"protocol":"TCP"}'
 */
import { isJsonObject } from "./json-value.ts";
import type { SchemaNode } from "./patch-meta.ts";

export const fieldElement = (name: string): string => `f:${name}`;

/** Canonical JSON: object keys sorted, as SMD serializes key and set values. */
const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isJsonObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
};

/**
 * The path element of one list item, or undefined when the list is not granular or the item
 * cannot be keyed (a map item missing a key without a default, a set item that is not a scalar);
 * such lists are then owned as one atomic value.
 */
export function listItemElement(item: unknown, list: SchemaNode | undefined): string | undefined {
  if (list?.listType === "set") {
    return isJsonObject(item) || Array.isArray(item) ? undefined : `v:${canonicalJson(item)}`;
  }
  if (list?.listType === "map" && list.listMapKeys && isJsonObject(item)) {
    const key: Record<string, unknown> = {};
    for (const name of list.listMapKeys) {
      const value = Object.hasOwn(item, name) && item[name] !== null ? item[name] : list.listMapKeyDefaults?.[name];
      if (value === undefined) return undefined;
      key[name] = value;
    }
    return `k:${canonicalJson(key)}`;
  }
  return undefined;
}

const kindRank = (element: string): number => "fkvi".indexOf(element[0]);

/** SMD `value.Compare`: numbers < strings < booleans < lists < maps < null, then by value. */
const compareValues = (a: unknown, b: unknown): number => {
  const rank = (v: unknown): number =>
    typeof v === "number" ? 0 : typeof v === "string" ? 1 : typeof v === "boolean" ? 2 : Array.isArray(v) ? 3 : isJsonObject(v) ? 4 : 5;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return Math.sign((a as number) - (b as number));
  if (ra === 1) return compareStrings(a as string, b as string);
  if (ra === 2) return Number(a) - Number(b);
  return compareStrings(canonicalJson(a), canonicalJson(b));
};

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** SMD `FieldList.Compare`: field by field (name, then value), a shorter prefix first. */
const compareKeys = (a: Record<string, unknown>, b: Record<string, unknown>): number => {
  const fa = Object.keys(a).sort();
  const fb = Object.keys(b).sort();
  for (let i = 0; i < Math.min(fa.length, fb.length); i++) {
    const byName = compareStrings(fa[i], fb[i]);
    if (byName !== 0) return byName;
    const byValue = compareValues(a[fa[i]], b[fb[i]]);
    if (byValue !== 0) return byValue;
  }
  return fa.length - fb.length;
};

/** SMD `PathElement.Compare` on serialized elements. */
export function comparePathElements(a: string, b: string): number {
  const byKind = kindRank(a) - kindRank(b);
  if (byKind !== 0) return byKind;
  const ra = a.slice(2);
  const rb = b.slice(2);
  switch (a[0]) {
    case "k":
      return compareKeys(JSON.parse(ra) as Record<string, unknown>, JSON.parse(rb) as Record<string, unknown>);
    case "v":
      return compareValues(JSON.parse(ra), JSON.parse(rb));
    case "i":
      return Number(ra) - Number(rb);
    default:
      return compareStrings(ra, rb);
  }
}
