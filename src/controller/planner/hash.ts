/**
 * @module
 * `controller.ComputeHash`: FNV-32a over the pod template, then (if a collision count is set)
 * over its value as uint32 little-endian padded to 8 bytes, then the decimal digest run through
 * `rand.SafeEncodeString`. Kubernetes hashes Go's `%#v` dump of the struct, which cannot be
 * reproduced here; this hashes canonical JSON of the normalized template instead, so hashes differ
 * from a real cluster's but are identical on Node and workerd. Revision identity never depends on
 * the hash (it is decided by data equality), only names and labels do.
 *
 * @example
 * computeTemplateHash(ds.spec.template);    // e.g. "6b9c8d7f4"
 * computeTemplateHash(ds.spec.template, 1); // a different name after a collision
 */

import type { PodTemplateSpec } from "../../resources/types.ts";
import { canonicalJson, normalizeTemplate } from "./canonical.ts";

const fnvOffset32 = 0x811c9dc5;
const fnvPrime32 = 0x01000193;

/** FNV-1a, 32 bits, continuing from `hash` so that writes can be chained like Go's hash.Hash32. */
export function fnv32a(bytes: Uint8Array, hash: number = fnvOffset32): number {
  let h = hash >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, fnvPrime32) >>> 0;
  }
  return h;
}

// k8s.io/apimachinery/pkg/util/rand: no vowels (no bad words), no 0/1/3 (look like letters).
const alphanums = "bcdfghjklmnpqrstvwxz2456789";

/** `rand.SafeEncodeString`: each character mapped to alphanums[codepoint % 27]. */
export function safeEncodeString(s: string): string {
  let out = "";
  for (const ch of s) out += alphanums[ch.codePointAt(0)! % alphanums.length];
  return out;
}

export function computeTemplateHash(template: PodTemplateSpec, collisionCount?: number): string {
  let hash = fnv32a(new TextEncoder().encode(canonicalJson(normalizeTemplate(template))));
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(extra, hash);
  }
  return safeEncodeString(String(hash));
}
