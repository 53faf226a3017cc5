/**
 * @module
 * `cleanupHistory`: delete the oldest old revisions beyond `revisionHistoryLimit`, except those
 * whose hash some daemon pod still carries (terminating and finished pods included), so a live
 * revision can keep the history above the limit.
 *
 * @example
 * cleanupHistory(ds, old, pods); // ["ds-abc", ...] revision names to delete
 */

import type { ControllerRevision, DaemonSet, Pod } from "../../resources/types.ts";
import { wellKnown } from "../../resources/types.ts";
import { getNodesToDaemonPods } from "./node-pods.ts";

export const defaultRevisionHistoryLimit = 10;

export function cleanupHistory(ds: DaemonSet, old: readonly ControllerRevision[], pods: readonly Pod[]): string[] {
  const limit = ds.spec.revisionHistoryLimit ?? defaultRevisionHistoryLimit;
  let toKill = old.length - limit;
  if (toKill <= 0) return [];

  const liveHashes = new Set<string>();
  for (const podsOnNode of getNodesToDaemonPods(pods, true).values()) {
    for (const pod of podsOnNode) {
      const hash = pod.metadata.labels?.[wellKnown.controllerRevisionHash];
      if (hash) liveHashes.add(hash);
    }
  }

  const deletions: string[] = [];
  for (const rev of [...old].sort((a, b) => a.revision - b.revision)) {
    if (toKill <= 0) break;
    if (liveHashes.has(rev.metadata.labels?.[wellKnown.controllerRevisionHash] ?? "")) continue;
    deletions.push(rev.metadata.name ?? "");
    toKill--;
  }
  return deletions;
}
