/**
 * @module
 * JSON Merge Patch (RFC 7386), the `application/merge-patch+json` patch type: `kubectl label`
 * and `kubectl annotate` send it. Objects merge key by key, `null` deletes a key, anything else
 * (arrays included) replaces the target value whole.
 *
 * @example
 * applyJsonMergePatch({ metadata: { labels: { a: "1", b: "2" } } }, { metadata: { labels: { b: null, c: "3" } } })
 * // { metadata: { labels: { a: "1", c: "3" } } }
 */
import { cloneJson, isJsonObject, ownValue, setKey, type JsonObject } from "./json-value.ts";

/**
 * Returns the patched value; neither argument is mutated. A patch that is not an object replaces
 * the target (RFC 7386 §2); the apiserver answers such a patch 400 "Invalid JSON Patch" before it
 * gets here, so the API checks the body's shape itself.
 */
export function applyJsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const result: JsonObject = isJsonObject(target) ? cloneJson(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setKey(result, key, applyJsonMergePatch(ownValue(result, key), value));
  }
  return result;
}
