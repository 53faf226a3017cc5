/**
 * @module
 * Deterministic JSON for hashing and revision identity. Go marshals structs in field order and
 * maps with sorted keys, and omits empty fields; here every object's keys are sorted, and
 * `null`, empty objects and empty arrays are stripped, so `{labels: {}}` and `{}` are the same
 * template. Empty strings, `0` and `false` are kept: in maps (labels) and pointer fields they
 * carry meaning, and without a schema the planner cannot tell which field is which.
 *
 * @example
 * canonicalJson(stripEmpty({ b: 1, a: { c: null, d: [] } })); // '{"b":1}'
 */

import type { PodTemplateSpec } from "../../resources/types.ts";

/** Removes null/undefined values, then empty objects and arrays, recursively (bottom-up). */
export function stripEmpty(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(stripEmpty).filter((v) => v !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const s = stripEmpty(v);
      if (s !== undefined) out[k] = s;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null ? undefined : value;
}

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    const fields = keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${fields.join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The template as identity sees it: empties stripped and `metadata.creationTimestamp` dropped
 * (Go always emits `creationTimestamp: null` there; it never distinguishes two templates).
 */
export function normalizeTemplate(template: PodTemplateSpec): Record<string, unknown> {
  const copy = structuredClone(template) as PodTemplateSpec;
  if (copy.metadata) delete copy.metadata.creationTimestamp;
  return (stripEmpty(copy) as Record<string, unknown> | undefined) ?? {};
}
