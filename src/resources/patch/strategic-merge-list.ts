/**
 * @module
 * Strategic merge of one list, as apimachinery `strategicpatch.mergeSlice` does it: lists of
 * maps merge item by item on the merge key, `{"$patch":"delete",<key>:…}` items delete,
 * `{"$patch":"replace"}` replaces the whole list, lists of scalars merge as a set (or lose the
 * items of a `$deleteFromPrimitiveList`). The result order follows `normalizeElementOrder`: patch
 * items in patch order, server-only items in server order, interleaved by their server positions.
 *
 * @example
 * mergeStrategicList([{ name: "a", image: "1" }], [{ name: "a", image: "2" }, { name: "b" }], undefined, "name", false, mergeMap)
 * // [{ name: "a", image: "2" }, { name: "b" }]
 */
import { formatGoValue, goTypeName, isJsonObject, type JsonObject } from "./json-value.ts";
import { PatchError } from "./patch-error.ts";
import type { SchemaNode } from "./patch-meta.ts";

export const directiveMarker = "$patch";

/** Merges a map item into its counterpart; injected to keep list and map merging in separate files. */
export type MergeMap = (original: JsonObject, patch: JsonObject, node: SchemaNode | undefined) => JsonObject;

type ElementKind = "map" | "scalar";

const noMergeKey = (item: unknown, mergeKey: string): PatchError =>
  PatchError.invalid(`map: ${formatGoValue(item)} does not contain declared merge key: ${mergeKey}`);

const badArgType = (expected: string, actual: unknown): PatchError =>
  PatchError.invalid(`expected a ${expected}, but received a ${goTypeName(actual)}`);

const goTypeKey = (value: unknown): string => (value === null ? "nil" : goTypeName(value));

/**
 * The common element kind of the given lists (apimachinery `sliceElementType`); all elements must
 * have the same Go type and none may be a list.
 */
export function sliceElementKind(...lists: unknown[][]): ElementKind {
  let seen: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const type = goTypeKey(item);
      if (seen === undefined) {
        if (Array.isArray(item)) throw PatchError.invalid("lists of lists are not supported");
        seen = type;
      } else if (type !== seen) {
        throw PatchError.invalid(`list element types are not identical: ${formatGoValue(lists)}`);
      }
    }
  }
  if (seen === undefined) throw PatchError.invalid("no elements in any of the given slices");
  return seen === "map[string]interface {}" ? "map" : "scalar";
}

const mergeKeyValue = (item: unknown, mergeKey: string, kind: ElementKind): unknown =>
  kind === "map" ? (isJsonObject(item) ? item[mergeKey] : undefined) : item;

/** Position of `value` in `list`, comparing merge-key values for maps (apimachinery `index`). */
const indexIn = (list: readonly unknown[], value: unknown, mergeKey: string, kind: ElementKind): number => {
  const wanted = mergeKeyValue(value, mergeKey, kind);
  return list.findIndex((item) => mergeKeyValue(item, mergeKey, kind) === wanted);
};

const findByKey = (list: readonly unknown[], mergeKey: string, value: unknown): number =>
  list.findIndex((item, i) => {
    if (!isJsonObject(item)) throw PatchError.invalid(`value for key ${i} is not a map.`);
    return Object.hasOwn(item, mergeKey) && item[mergeKey] === value;
  });

const requireMergeKeys = (lists: readonly unknown[][], mergeKey: string): void => {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonObject(item)) throw badArgType("map[string]interface {}", item);
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
  }
};

const isDeleteItem = (item: unknown): boolean => isJsonObject(item) && item[directiveMarker] === "delete";

/**
 * Sorts `toSort` by the positions of its items in `order` (apimachinery `normalizeSliceOrder`),
 * with Go's comparator, which calls an item that `order` lacks "less" than any other: a stable
 * insertion sort reproduces sort.SliceStable for the short lists patches carry.
 */
const sortByOrder = (toSort: unknown[], order: readonly unknown[], mergeKey: string, kind: ElementKind): unknown[] => {
  let items = toSort;
  let deletions: unknown[] = [];
  if (kind === "map") {
    requireMergeKeys([toSort, [...order]], mergeKey);
    deletions = toSort.filter(isDeleteItem);
    items = toSort.filter((item) => !isDeleteItem(item));
  }
  const positions = new Map(items.map((item) => [item, indexIn(order, item, mergeKey, kind)]));
  const less = (a: unknown, b: unknown): boolean => {
    const ia = positions.get(a) ?? -1;
    const ib = positions.get(b) ?? -1;
    return ia >= 0 && ib >= 0 ? ia < ib : true;
  };
  const sorted = [...items];
  for (let i = 1; i < sorted.length; i++) {
    for (let j = i; j > 0 && less(sorted[j], sorted[j - 1]); j--) {
      [sorted[j - 1], sorted[j]] = [sorted[j], sorted[j - 1]];
    }
  }
  return [...sorted, ...deletions];
};

/**
 * Interleaves server-only items into the patch items (apimachinery `mergeSortedSlice`): a
 * server-only item goes first only when both it and the next patch item have server positions and
 * it comes earlier; new items are therefore placed before the server items they are compared with.
 */
const mergeSorted = (left: unknown[], right: unknown[], serverOrder: readonly unknown[], mergeKey: string, kind: ElementKind): unknown[] => {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
};

/** apimachinery `normalizeElementOrder`. */
export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const patchSorted = sortByOrder(patchItems, patchOrder, mergeKey, kind);
  const serverSorted = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSorted(serverSorted, patchSorted, serverOrder, mergeKey, kind);
}

/** Splits `merged` into the items `partitionBy` mentions and the rest, keeping their order. */
export function partitionByPresence(merged: unknown[], partitionBy: readonly unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of merged) {
    let found: boolean;
    if (mergeKey === "") {
      found = partitionBy.includes(item);
    } else {
      if (!isJsonObject(item)) throw badArgType("map[string]interface {}", item);
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      found = findByKey(partitionBy, mergeKey, item[mergeKey]) >= 0;
    }
    (found ? inPatch : serverOnly).push(item);
  }
  return [inPatch, serverOnly];
}

/** apimachinery `mergeSliceWithSpecialElements`: applies `$patch` items, returns [original, plain patch items]. */
const applySpecialElements = (original: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] => {
  let current = original;
  const plain: unknown[] = [];
  let replace = false;
  for (const item of patch) {
    const entry = item as JsonObject;
    if (!Object.hasOwn(entry, directiveMarker)) {
      plain.push(item);
      continue;
    }
    const directive = entry[directiveMarker];
    if (directive === "delete") {
      if (!Object.hasOwn(entry, mergeKey)) throw noMergeKey(entry, mergeKey);
      const value = entry[mergeKey];
      current = current.filter((candidate, i) => {
        if (!isJsonObject(candidate)) throw PatchError.invalid(`value for key ${i} is not a map.`);
        return !(Object.hasOwn(candidate, mergeKey) && candidate[mergeKey] === value);
      });
    } else if (directive === "replace") {
      replace = true;
    } else if (directive === "merge") {
      throw PatchError.invalid("merging lists cannot yet be specified in the patch");
    } else {
      throw PatchError.invalid(`unknown patch type: ${String(directive)} in map: ${formatGoValue(entry)}`);
    }
  }
  return replace ? [plain, []] : [current, plain];
};

/**
 * apimachinery `mergeSlice` for a list whose field has the merge strategy. `itemNode` is the
 * schema of its elements; `mergeMap` merges matching map items (and cleans new ones).
 */
export function mergeStrategicList(
  original: unknown[],
  patch: unknown[],
  itemNode: SchemaNode | undefined,
  mergeKey: string,
  isDeleteList: boolean,
  mergeMap: MergeMap,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  if (kind === "scalar") {
    if (isDeleteList) return original.filter((item) => !patch.includes(item));
    const merged = [...new Set([...original, ...patch])];
    const [inPatch, serverOnly] = partitionByPresence(merged, patch, "");
    return normalizeElementOrder(inPatch, serverOnly, patch, original, "", kind);
  }
  if (mergeKey === "") throw PatchError.invalid("cannot merge lists without merge key for type struct");
  const [base, plain] = applySpecialElements(original, patch, mergeKey);
  const merged = [...base];
  for (const item of plain) {
    const entry = item as JsonObject;
    if (!Object.hasOwn(entry, mergeKey)) throw noMergeKey(entry, mergeKey);
    const at = findByKey(merged, mergeKey, entry[mergeKey]);
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, entry, itemNode);
    else merged.push(mergeMap({}, entry, itemNode));
  }
  const [inPatch, serverOnly] = partitionByPresence(merged, plain, mergeKey);
  return normalizeElementOrder(inPatch, serverOnly, plain, base, mergeKey, kind);
}
