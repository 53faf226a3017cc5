/**
 * @module
 * JSON Patch (RFC 6902), the `application/json-patch+json` patch type: an ordered list of
 * add/remove/replace/move/copy/test operations addressed by JSON Pointers (RFC 6901, `~1` = `/`,
 * `~0` = `~`, `-` = past the end of an array). The whole patch applies or nothing does.
 *
 * Error messages are evanphx/json-patch's (the library behind the apiserver). Two v4 leniencies are
 * not copied, so behaviour follows the RFC: `replace` of a missing member fails, and negative or
 * zero-padded array indexes are rejected. As in the apiserver, the empty pointer (whole document)
 * is not addressable.
 *
 * @example
 * applyJsonPatch({ spec: { replicas: 1 } }, [{ op: "replace", path: "/spec/replicas", value: 3 }])
 * // { spec: { replicas: 3 } }
 */
import { cloneJson, deepEqual, isJsonObject, setKey, type JsonObject } from "./json-value.ts";
import { PatchError } from "./patch-error.ts";

type Container = JsonObject | unknown[];

interface Location {
  parent: Container;
  key: string;
}

const missing = "missing value";
const invalidIndex = "invalid index referenced";

/** Reads a pointer's reference tokens; undefined when it is not a pointer to a member. */
const parsePointer = (pointer: string): string[] | undefined => {
  if (!pointer.startsWith("/")) return undefined;
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
};

/** Walks to the container holding the pointer's last token (evanphx `findObject`). */
const findParent = (doc: Container, pointer: string): Location | undefined => {
  const tokens = parsePointer(pointer);
  if (!tokens) return undefined;
  let node: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) {
      const index = parseIndex(token, node.length);
      node = typeof index === "number" ? node[index] : undefined;
    } else if (isJsonObject(node)) {
      node = Object.hasOwn(node, token) ? node[token] : undefined;
    } else {
      return undefined;
    }
  }
  if (!Array.isArray(node) && !isJsonObject(node)) return undefined;
  return { parent: node, key: tokens[tokens.length - 1] };
};

/** An existing array index, or the reason it is not one (worded as the Go library words it). */
const parseIndex = (token: string, length: number): number | string => {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return `strconv.Atoi: parsing ${JSON.stringify(token)}: invalid syntax`;
  const index = Number(token);
  return index < length ? index : `Unable to access invalid index: ${index}: ${invalidIndex}`;
};

const getMember = (location: Location): { found: boolean; value?: unknown; error?: string } => {
  const { parent, key } = location;
  if (!Array.isArray(parent)) return Object.hasOwn(parent, key) ? { found: true, value: parent[key] } : { found: false };
  const index = parseIndex(key, parent.length);
  return typeof index === "number" ? { found: true, value: parent[index] } : { found: false, error: index };
};

const addMember = (location: Location, value: unknown): string | undefined => {
  const { parent, key } = location;
  if (!Array.isArray(parent)) {
    setKey(parent, key, value);
    return undefined;
  }
  if (key === "-") {
    parent.push(value);
    return undefined;
  }
  const index = parseIndex(key, parent.length + 1);
  if (typeof index !== "number") return index.startsWith("strconv") ? `value was not a proper array index: '${key}': ${index}` : index;
  parent.splice(index, 0, value);
  return undefined;
};

/** Overwrites a member known to exist, keeping its place among its siblings. */
const setMember = (location: Location, value: unknown): void => {
  const { parent, key } = location;
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else setKey(parent, key, value);
};

const removeMember = (location: Location): string | undefined => {
  const { parent, key } = location;
  if (!Array.isArray(parent)) {
    if (!Object.hasOwn(parent, key)) return `Unable to remove nonexistent key: ${key}: ${missing}`;
    delete parent[key];
    return undefined;
  }
  const index = parseIndex(key, parent.length);
  if (typeof index !== "number") return index;
  parent.splice(index, 1);
  return undefined;
};

const stringField = (op: JsonObject, name: "path" | "from"): string | undefined => {
  const value = op[name];
  return typeof value === "string" ? value : undefined;
};

const requirePointer = (op: JsonObject, name: "path" | "from", kind: string): string => {
  const pointer = stringField(op, name);
  if (pointer === undefined) throw PatchError.invalid(`${kind} operation failed to decode ${name}: ${missing}`);
  return pointer;
};

const locate = (doc: Container, pointer: string, message: string): Location => {
  const location = findParent(doc, pointer);
  if (!location) throw PatchError.invalid(`${message}: ${missing}`);
  return location;
};

const operationValue = (op: JsonObject): unknown => (Object.hasOwn(op, "value") ? cloneJson(op.value) : null);

/** The apiserver's limits (patch.go): at most 10000 operations, and copies adding at most 3 MiB in all. */
export const maxJsonPatchOperations = 10_000;
export const maxAccumulatedCopyBytes = 3 * 1024 * 1024;

const applyOperation = (doc: Container, op: JsonObject, copied: { bytes: number }): void => {
  const kind = typeof op.op === "string" ? op.op : "unknown";
  switch (kind) {
    case "add": {
      const path = requirePointer(op, "path", kind);
      const error = addMember(locate(doc, path, `add operation does not apply: doc is missing path: "${path}"`), operationValue(op));
      if (error) throw PatchError.invalid(`error in add for path: '${path}': ${error}`);
      return;
    }
    case "remove": {
      const path = requirePointer(op, "path", kind);
      const error = removeMember(locate(doc, path, `remove operation does not apply: doc is missing path: "${path}"`));
      if (error) throw PatchError.invalid(`error in remove for path: '${path}': ${error}`);
      return;
    }
    case "replace": {
      const path = requirePointer(op, "path", kind);
      const location = locate(doc, path, `replace operation does not apply: doc is missing path: ${path}`);
      if (!getMember(location).found) throw PatchError.invalid(`replace operation does not apply: doc is missing key: ${path}: ${missing}`);
      setMember(location, operationValue(op));
      return;
    }
    case "move":
    case "copy": {
      const from = requirePointer(op, "from", kind);
      const source = locate(doc, from, `${kind} operation does not apply: doc is missing from path: ${from}`);
      const got = getMember(source);
      if (!got.found) throw PatchError.invalid(`error in ${kind} for path: '${from}': ${got.error ?? `Unable to access missing key: ${source.key}: ${missing}`}`);
      if (kind === "move") removeMember(source);
      else {
        // evanphx/json-patch AccumulatedCopySizeLimit: copying a value into itself doubles the document.
        copied.bytes += JSON.stringify(got.value ?? null).length;
        if (copied.bytes > maxAccumulatedCopyBytes) throw PatchError.invalid(`Unable to copy, the accumulated size increase of copy is ${copied.bytes}, exceeding the limit ${maxAccumulatedCopyBytes}`);
      }
      const path = requirePointer(op, "path", kind);
      const target = locate(doc, path, `${kind} operation does not apply: doc is missing destination path: ${path}`);
      // A moved value leaves its old place, so it needs no copy (and a chain of moves costs no more than its length).
      const error = addMember(target, kind === "move" ? got.value : cloneJson(got.value));
      if (error) throw PatchError.invalid(`error in ${kind} for path: '${path}': ${error}`);
      return;
    }
    case "test": {
      const path = requirePointer(op, "path", kind);
      const got = getMember(locate(doc, path, `test operation does not apply: is missing path: ${path}`));
      if (got.error) throw PatchError.invalid(`error in test for path: '${path}': ${got.error}`);
      // A missing member tests equal to null, as in the apiserver's json-patch.
      if (!deepEqual(got.found ? got.value : null, operationValue(op))) {
        throw PatchError.invalid(`testing value ${path} failed: test failed`);
      }
      return;
    }
    default:
      throw PatchError.invalid(`Unexpected kind: ${kind}`);
  }
};

/**
 * Applies `ops` (the decoded request body) to a copy of `target`. Throws PatchError 400 when the
 * body is not a list of operation objects, 422 when an operation does not apply (a failing
 * `test` included).
 */
export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  // Go decodes a `null` body into an empty patch.
  if (ops === null) ops = [];
  if (!Array.isArray(ops)) {
    throw PatchError.badRequest(`json: cannot unmarshal ${jsonKind(ops)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of ops) {
    if (!isJsonObject(op)) throw PatchError.badRequest(`json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
  }
  if (ops.length > maxJsonPatchOperations) throw new PatchError(413, `The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${ops.length}`);
  if (!Array.isArray(target) && !isJsonObject(target)) throw PatchError.badRequest("invalid JSON document");
  const doc = cloneJson(target);
  const copied = { bytes: 0 };
  for (const op of ops as JsonObject[]) applyOperation(doc, op, copied);
  return doc;
}

/** The JSON kind Go's decoder names in "cannot unmarshal X into …". */
const jsonKind = (value: unknown): string => {
  if (Array.isArray(value)) return "array";
  if (isJsonObject(value)) return "object";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return "number";
  return "null";
};
