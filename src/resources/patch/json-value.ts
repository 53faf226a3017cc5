/**
 * @module
 * Plain-JSON helpers shared by the patch engines: the value kinds Go's `encoding/json` decodes
 * into (`map[string]interface{}`, `[]interface{}`, scalars), deep copy and deep equality.
 *
 * @example
 * isJsonObject({ a: 1 }) // true
 * deepEqual({ a: [1, 2] }, { a: [1, 2] }) // true
 */

export type JsonObject = Record<string, unknown>;

/** A JSON object (Go `map[string]interface{}`): not null, not an array. */
export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Sets an own member: object keys are data, so `__proto__` is stored like any other key (a plain
 * assignment would set the object's prototype instead and drop the key).
 */
export const setKey = (object: JsonObject, key: string, value: unknown): void => {
  if (key === "__proto__") Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
};

/** An own member's value; never one inherited from Object.prototype (`constructor`, `toString`). */
export const ownValue = (object: JsonObject, key: string): unknown => (Object.hasOwn(object, key) ? object[key] : undefined);

/** Deep copy of a JSON value, so the engines never mutate their inputs. */
export const cloneJson = <T>(value: T): T => {
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) setKey(out, key, cloneJson(item));
    return out as T;
  }
  return value;
};

/** Structural equality of two JSON values (key order ignored, list order significant). */
export const deepEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
};

/**
 * The Go type name `reflect.TypeOf` prints for a decoded JSON value; the apiserver's patch
 * errors quote it (`expected a map[string]interface {}, but received a []interface {}`).
 * Integers decode as int64 because the apiserver unmarshals patches preserving ints.
 */
export const goTypeName = (value: unknown): string => {
  if (value === null || value === undefined) return "%!s(<nil>)";
  if (Array.isArray(value)) return "[]interface {}";
  if (isJsonObject(value)) return "map[string]interface {}";
  if (typeof value === "number") return Number.isInteger(value) ? "int64" : "float64";
  if (typeof value === "boolean") return "bool";
  return "string";
};

/** A value as Go's `%v` prints it (`map[a:1 b:[x y]]`), for error messages worded like the apiserver's. */
export const formatGoValue = (value: unknown): string => {
  if (value === null || value === undefined) return "<nil>";
  if (Array.isArray(value)) return `[${value.map(formatGoValue).join(" ")}]`;
  if (isJsonObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${key}:${formatGoValue(value[key])}`);
    return `map[${entries.join(" ")}]`;
  }
  return String(value);
};
