/**
 * @module
 * Folding the patches of one pass so the shell gets at most one patch per pod and one update per
 * revision (adoption, relabelling and renumbering can all touch the same object).
 *
 * @example
 * mergePodPatches([{ name: "p", uid: "u", ownerReferences: [ref] }, { name: "p", uid: "u", labels: { a: "b" } }]);
 * // [{ name: "p", uid: "u", ownerReferences: [ref], labels: { a: "b" } }]
 */

import type { PodPatch, RevisionUpdate } from "./types.ts";

export function mergePodPatches(patches: readonly PodPatch[]): PodPatch[] {
  const byUid = new Map<string, PodPatch>();
  for (const patch of patches) {
    const key = `${patch.uid}/${patch.name}`;
    const prev = byUid.get(key);
    if (!prev) {
      byUid.set(key, { ...patch });
      continue;
    }
    if (patch.labels) prev.labels = { ...(prev.labels ?? {}), ...patch.labels };
    if (patch.ownerReferences !== undefined) prev.ownerReferences = patch.ownerReferences;
    if (patch.upcoming !== undefined) prev.upcoming = patch.upcoming;
  }
  return [...byUid.values()];
}

export function mergeRevisionUpdates(updates: readonly RevisionUpdate[]): RevisionUpdate[] {
  const byName = new Map<string, RevisionUpdate>();
  for (const update of updates) {
    const prev = byName.get(update.name);
    if (!prev) {
      byName.set(update.name, { ...update });
      continue;
    }
    if (update.labels) prev.labels = { ...(prev.labels ?? {}), ...update.labels };
    if (update.ownerReferences) prev.ownerReferences = update.ownerReferences;
    if (update.revision !== undefined) prev.revision = update.revision;
  }
  return [...byName.values()];
}
