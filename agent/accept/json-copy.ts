/**
 * @module
 * A checked copy of a JSON value from outside the agent (a sync answer, a file in the state dir):
 * nesting deeper than `maxDepth` is refused before anything recurses further, numbers must be
 * finite and (when integral) within ±2^53, `null` inside a list is refused (Kubernetes lists of
 * objects never hold one), and `null` as an object member is dropped, as Go's decoder reads it
 * (unset). Keys are data: `__proto__` stays an own key of the copy, never a prototype.
 *
 * @example
 * copyJson({ spec: { a: null, b: [1] } }, 8) // { value: { spec: { b: [1] } } }
 * copyJson({ spec: { containers: [null] } }, 8) // { field: "spec.containers[0]", message: "Invalid value: null: must be an object" }
 */

export type Copied = { value: unknown } | { field: string; message: string };

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `out[key] = value` that creates an own property even for `__proto__`. */
export function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

export const childPath = (parent: string, name: string | number): string =>
  typeof name === "number" ? `${parent}[${name}]` : parent ? `${parent}.${name}` : name;

export function copyJson(value: unknown, maxDepth: number, path = ""): Copied {
  return copy(value, maxDepth, path);
}

function copy(value: unknown, depthLeft: number, path: string): Copied {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
      return { field: path, message: `Invalid value: ${value}: must be a number between -2^53 and 2^53` };
    }
    return { value };
  }
  if (value === null || typeof value !== "object") {
    if (value !== null && typeof value !== "string" && typeof value !== "boolean") return { field: path, message: `Invalid value: must be JSON` };
    return { value };
  }
  if (depthLeft <= 0) return { field: path, message: "Invalid value: nested too deeply" };
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const here = childPath(path, i);
      if (value[i] === null || value[i] === undefined) return { field: here, message: "Invalid value: null: must not be null" };
      const item = copy(value[i], depthLeft - 1, here);
      if ("field" in item) return item;
      out.push(item.value);
    }
    return { value: out };
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (member === null || member === undefined) continue;
    const item = copy(member, depthLeft - 1, childPath(path, key));
    if ("field" in item) return item;
    setOwn(out, key, item.value);
  }
  return { value: out };
}
