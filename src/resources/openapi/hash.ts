/**
 * @module
 * The content hash in `serverRelativeURL` (`?hash=`). kubectl uses it as a cache-buster, so it
 * only has to change whenever the document changes: FNV-1a 64 over the document's JSON.
 *
 * @example
 * contentHash("{}") // "C4CDE7AE6F1BC8E5"-like, 16 upper-case hex digits
 */

const offset = 0xcbf29ce484222325n;
const prime = 0x100000001b3n;
const mask = 0xffffffffffffffffn;

export function contentHash(text: string): string {
  let h = offset;
  for (const byte of new TextEncoder().encode(text)) h = ((h ^ BigInt(byte)) * prime) & mask;
  return h.toString(16).toUpperCase().padStart(16, "0");
}
