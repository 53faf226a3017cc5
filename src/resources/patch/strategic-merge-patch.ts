/**
 * @module
 * Strategic merge patch (`application/strategic-merge-patch+json`), as apimachinery
 * `strategicpatch.StrategicMergeMapPatch` applies it on the server: client-side `kubectl apply`,
 * cordon/uncordon, taint and `rollout undo`/`restart` send it.
 *
 * Maps merge key by key and `null` deletes a key. Lists follow their field's struct tags
 * (kind-schemas.ts): merge lists merge by key (strategic-merge-list.ts), every other list is
 * replaced whole. Directives: `$patch: replace|delete` on a map, `$patch: delete|replace` as a
 * list item, `$setElementOrder/<list>`, `$retainKeys`, `$deleteFromPrimitiveList/<list>`.
 *
 * Where the apiserver copies a patch value verbatim into the object (a key the object lacks, a
 * `$patch: replace` map, a new list item), the value is patched onto an empty one instead, so its
 * nulls and directives never reach the stored object; Kubernetes gets the same result later, when
 * it decodes the map into a typed struct. A `$deleteFromPrimitiveList` for a list the object lacks
 * is a no-op (apimachinery would store the deletion list as the list).
 *
 * @example
 * applyStrategicMergePatch(node, { spec: { unschedulable: true } }, "Node") // cordon
 */
import { cloneJson, formatGoValue, goTypeName, isJsonObject, setKey, type JsonObject } from "./json-value.ts";
import { schemaForKind } from "./kind-schemas.ts";
import { PatchError } from "./patch-error.ts";
import { fieldSchema, readPatchStrategy, type SchemaNode } from "./patch-meta.ts";
import {
  directiveMarker,
  mergeStrategicList,
  normalizeElementOrder,
  partitionByPresence,
  sliceElementKind,
} from "./strategic-merge-list.ts";

const retainKeysDirective = "$retainKeys";
const setElementOrderPrefix = "$setElementOrder";
const deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";

/**
 * Applies `patch` to a copy of `original` with the struct tags of `kind`. Throws PatchError:
 * 400 when the patch is not an object or a directive is malformed, 422 when it cannot apply.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, kind: string): unknown {
  if (!isJsonObject(patch)) {
    throw PatchError.badRequest(`json: cannot unmarshal ${Array.isArray(patch) ? "array" : typeof patch} into Go value of type map[string]interface {}`);
  }
  const base = isJsonObject(original) ? cloneJson(original) : {};
  return mergeMap(base, cloneJson(patch), schemaForKind(kind));
}

/** apimachinery `mergeMap`; mutates and returns `original`, consumes `patch`. */
function mergeMap(original: JsonObject, patch: JsonObject, node: SchemaNode | undefined): JsonObject {
  if (Object.hasOwn(patch, directiveMarker)) return applyMapDirective(patch, node);
  applyRetainKeys(original, patch);
  applySetElementOrders(original, patch, node);
  const deletionLists: [string, unknown][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(deleteFromPrimitiveListPrefix)) deletionLists.push([extractKey(key, deleteFromPrimitiveListPrefix), value]);
    else mergeField(original, key, value, node, false);
  }
  // After the additions, so a list both added to and deleted from ends up without the deleted items.
  for (const [key, value] of deletionLists) mergeField(original, key, value, node, true);
  return original;
}

/** apimachinery `handleDirectiveInMergeMap`. */
function applyMapDirective(patch: JsonObject, node: SchemaNode | undefined): JsonObject {
  const directive = patch[directiveMarker];
  if (directive === "replace") {
    delete patch[directiveMarker];
    return mergeMap({}, patch, node);
  }
  if (directive === "delete") return {};
  throw PatchError.invalid(`unknown patch type: ${String(directive)} in map: ${formatGoValue(patch)}`);
}

function mergeField(original: JsonObject, key: string, patchValue: unknown, node: SchemaNode | undefined, isDeleteList: boolean): void {
  if (patchValue === null) {
    delete original[key];
    return;
  }
  const field = fieldSchema(node, key);
  if (!Object.hasOwn(original, key)) {
    if (!isDeleteList) setKey(original, key, patchOntoNothing(patchValue, field));
    return;
  }
  const current = original[key];
  if (isJsonObject(current) && isJsonObject(patchValue)) {
    setKey(original, key, readPatchStrategy(field).strategy === "replace" ? patchOntoNothing(patchValue, field) : mergeMap(current, patchValue, field));
  } else if (Array.isArray(current) && Array.isArray(patchValue)) {
    setKey(original, key, mergeListField(current, patchValue, field, isDeleteList));
  } else {
    setKey(original, key, patchOntoNothing(patchValue, field));
  }
}

/** A patch value for a field the object lacks: what it yields when applied to nothing. */
function patchOntoNothing(value: unknown, field: SchemaNode | undefined): unknown {
  if (isJsonObject(value)) return mergeMap({}, value, field);
  if (Array.isArray(value) && value.length > 0) return mergeListField([], value, field, false);
  return value;
}

/** apimachinery `mergeSliceHandler`: merge lists merge, every other list is replaced. */
function mergeListField(current: unknown[], patch: unknown[], field: SchemaNode | undefined, isDeleteList: boolean): unknown[] {
  if (readPatchStrategy(field).strategy !== "merge") return patch;
  return mergeStrategicList(current, patch, field?.items, field?.patchMergeKey ?? "", isDeleteList, mergeMap);
}

/** apimachinery `extractKey`: `$setElementOrder/containers` → `containers`. */
function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf("/");
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw PatchError.badRequest(
      prefix === setElementOrderPrefix ? "invalid patch format of setElementOrder list" : "invalid patch format of primitive list",
    );
  }
  return key.slice(slash + 1);
}

/**
 * apimachinery `applyRetainKeysDirective`: every key the patch sets must be listed, and the
 * original loses every key that is not.
 */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, retainKeysDirective)) return;
  const retained = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(retained)) throw PatchError.badRequest("invalid patch format of retainKeys");
  const keep = new Set<unknown>(retained);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(deleteFromPrimitiveListPrefix) || key.startsWith(setElementOrderPrefix)) continue;
    if (!keep.has(key)) throw PatchError.badRequest("invalid patch format of retainKeys");
  }
  for (const key of Object.keys(original)) if (!keep.has(key)) delete original[key];
}

/**
 * apimachinery `mergePatchIntoOriginal`: merges each list that has a `$setElementOrder` and
 * orders it by that list (patch items), then by the server order (the other items).
 */
function applySetElementOrders(original: JsonObject, patch: JsonObject, node: SchemaNode | undefined): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(setElementOrderPrefix)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw PatchError.invalid(`expected a []interface {}, but received a ${goTypeName(order)}`);
    const key = extractKey(directiveKey, setElementOrderPrefix);
    const foundOriginal = Object.hasOwn(original, key);
    const foundPatch = Object.hasOwn(patch, key);
    if (!foundOriginal && !foundPatch) continue;
    const originalList = foundOriginal ? original[key] : [];
    const patchList = foundPatch ? patch[key] : [];
    if (!Array.isArray(originalList)) throw PatchError.invalid(`expected a []interface {}, but received a ${goTypeName(originalList)}`);
    if (!Array.isArray(patchList)) throw PatchError.invalid(`expected a []interface {}, but received a ${goTypeName(patchList)}`);
    const field = fieldSchema(node, key);
    const mergeKey = field?.patchMergeKey ?? "";
    validateSetElementOrder(patchList, order, mergeKey);

    let merged: unknown[];
    if (!foundPatch) merged = originalList;
    else if (!foundOriginal) merged = mergeListField([], patchList, field, false);
    else merged = mergeListField(originalList, patchList, field, false);
    delete patch[key];
    if (merged.length === 0) {
      setKey(original, key, merged);
      continue;
    }
    const kind = sliceElementKind(originalList, patchList);
    if (kind === "map" && mergeKey === "") {
      // Go cannot order unkeyed maps (they are not comparable); keep the merged order.
      setKey(original, key, merged);
      continue;
    }
    const [inOrder, serverOnly] = partitionByPresence(merged, order, mergeKey);
    setKey(original, key, normalizeElementOrder(inOrder, serverOnly, order, originalList, mergeKey, kind));
  }
}

/**
 * apimachinery `validatePatchWithSetOrderList`: the patch items (deletions aside) must appear in
 * the same relative order as in `$setElementOrder`.
 */
function validateSetElementOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey === "" ? patchList : patchList.filter((item) => !(isJsonObject(item) && item[directiveMarker] === "delete"));
  const keyOf = (item: unknown): unknown => {
    if (mergeKey === "") return item;
    if (!isJsonObject(item)) throw PatchError.invalid(`expected a map[string]interface {}, but received a ${goTypeName(item)}`);
    if (!Object.hasOwn(item, mergeKey)) throw PatchError.invalid(`map: ${formatGoValue(item)} does not contain declared merge key: ${mergeKey}`);
    return item[mergeKey];
  };
  let patchIndex = 0;
  let orderIndex = 0;
  while (patchIndex < items.length && orderIndex < order.length) {
    const item = items[patchIndex];
    if (isJsonObject(item) && Object.hasOwn(item, directiveMarker)) {
      patchIndex++;
      continue;
    }
    if (keyOf(item) === keyOf(order[orderIndex])) patchIndex++;
    orderIndex++;
  }
  if (patchIndex < items.length) {
    throw PatchError.invalid(
      `The order in patch list:\n${JSON.stringify(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${JSON.stringify(order)}\n`,
    );
  }
}
