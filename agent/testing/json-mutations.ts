/**
 * @module
 * Structured mutations of valid JSON for the agent's fuzz tests: a value at a random path replaced
 * by a wrong type, `null`, `[null]`, a number past its range, an odd string (`..`, `-x`, NUL),
 * nesting 5 to 300 deep or a `__proto__` key, or removed.
 */
import fc from "fast-check";

/** Every path (list of keys) to a value inside `value`. */
export function pathsOf(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (typeof value === "object" && value !== null) for (const k of Object.keys(value)) pathsOf((value as Record<string, unknown>)[k], [...prefix, k], out);
  return out;
}

export function deep(levels: number): unknown {
  let v: unknown = "bottom";
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { n: v };
  return v;
}

export const replacement = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom(true, 0, -1, 1e308, -1e20, 2 ** 53 + 2, 0.5, "", "..", "../../etc", "/abs", "-x", "a\u0000b", "__proto__"),
  fc.constantFrom([], [null], {}, { __proto__: null }, JSON.parse('{"__proto__":{"polluted":1}}'), JSON.parse('{"constructor":{"prototype":{"x":1}}}')),
  fc.constantFrom(deep(5), deep(70), deep(300)),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Applies mutations (a path index, a replacement, or a new `__proto__` key) to a copy of `base`. */
export function mutate(base: unknown, mutations: Array<{ at: number; value: unknown; asKey: boolean }>): unknown {
  const root = { root: structuredClone(base) } as Record<string, unknown>;
  for (const { at, value: shared, asKey } of mutations) {
    // The replacements are shared constants: a copy each time, or a later mutation makes a cycle.
    const value = shared === undefined ? undefined : structuredClone(shared);
    const paths = pathsOf(root.root).map((p) => ["root", ...p]);
    const path = paths[at % paths.length];
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root) as Record<string | number, unknown>;
    const last = path.at(-1)!;
    if (asKey && typeof parent[last] === "object" && parent[last] !== null && !Array.isArray(parent[last])) {
      Object.defineProperty(parent[last], "__proto__", { value, enumerable: true, writable: true, configurable: true });
    } else if (value === undefined) {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else parent[last] = value;
  }
  return root.root;
}

export const mutations = fc.array(fc.record({ at: fc.nat(), value: replacement, asKey: fc.boolean() }), { minLength: 1, maxLength: 4 });
