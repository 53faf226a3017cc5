/**
 * @module
 * Deterministic JSON: object keys sorted at every depth, `undefined` members dropped, array order
 * kept. Same value, same bytes, whatever order the object was built in, which is what the control
 * plane's body digest needs.
 *
 * @example
 * stringifyCanonical({ b: 1, a: { d: undefined, c: [2, 1] } }) // '{"a":{"c":[2,1]},"b":1}'
 */
export function stringifyCanonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value === null || typeof value !== "object") return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
}
