/**
 * @module
 * What one device may report in one enrolment or sync. A device is not trusted: everything it
 * sends ends up in rows (2 MB each in D1) and statements (100 bound parameters each), and every
 * count and size is checked before any work per item, so one sync costs a bounded amount whatever
 * it carries. docs/security.md lists these numbers; keep the two in step.
 *
 * @example
 * exceedsBytes(JSON.stringify(status), reportLimits.podStatusBytes) // false for any status the agent writes
 */
export const reportLimits = {
  /** The whole sync body, in bytes (413 beyond). */
  syncBytes: 4 * 1024 * 1024,
  /** The whole enrolment body, in bytes (413 beyond); read only after the token is checked. */
  enrollBytes: 256 * 1024,
  /** The node part of a report (labels, nodeInfo, capacity, addresses, conditions), in bytes. */
  nodeBytes: 256 * 1024,
  /** Entries in one map of the node report (labels, nodeInfo, capacity, allocatable). */
  mapKeys: 64,
  /** Characters in one string of the node report. */
  stringLength: 4096,
  /** Items in one list of the node report (addresses, conditions). */
  listItems: 32,
  /** Runtime names a node reports. */
  runtimes: 8,
  /** Pod statuses in one sync, and pod uids in `terminated`. */
  pods: 1000,
  /** One pod status, in bytes of JSON. */
  podStatusBytes: 64 * 1024,
  /** Static pods in one sync (a longer list is refused whole). */
  staticPods: 1000,
  /** Static pods mirrored per device; the others get a FailedMirrorPod Warning event. */
  mirrorPods: 50,
  /** One static pod manifest, in bytes of JSON (Kubernetes' object limit). */
  staticPodBytes: 1024 * 1024,
} as const;

/**
 * Whether `text` is longer than `limit` bytes in UTF-8. UTF-8 takes at most 3 bytes per UTF-16
 * unit, so only a text near the limit is encoded: the check costs nothing on small reports.
 */
export function exceedsBytes(text: string, limit: number): boolean {
  return text.length > limit || (text.length * 3 > limit && new TextEncoder().encode(text).length > limit);
}
