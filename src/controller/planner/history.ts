/**
 * @module
 * `constructHistory`, `snapshot` and `dedupCurHistories`: find the revision that records the
 * current template, creating it if none does, and number it after every other revision.
 *
 * Assumptions:
 * * `revisions` are already claimed (controlled by this DaemonSet); `allRevisions` is every
 *   revision in the snapshot, for name collisions.
 * Invariants:
 * * Exactly one revision matches the template after the pass (duplicates are deleted).
 * * The current revision has the highest number: rolling back to an old template reuses its
 *   revision (same name and hash, so pods still carrying that hash count as updated and are not
 *   restarted) and renumbers it to max+1.
 * * A name taken by a revision with other data bumps `collisionCount` and stops the pass; the
 *   next pass hashes with the new count.
 *
 * @example
 * const h = constructHistory(ds, claimed, input.revisions, pods);
 * if (h.collisionCount !== undefined) return; // write status.collisionCount, run again
 */

import type { ControllerRevision, DaemonSet, Pod } from "../../resources/types.ts";
import { wellKnown } from "../../resources/types.ts";
import { newControllerRef } from "./claim.ts";
import { computeTemplateHash } from "./hash.ts";
import { revisionData, revisionDataKey } from "./revision-data.ts";
import type { PodPatch, RevisionUpdate } from "./types.ts";

const hashKey = wellKnown.controllerRevisionHash;

export interface HistoryResult {
  /** The current revision; undefined only when `collisionCount` is set. */
  cur: ControllerRevision | undefined;
  old: ControllerRevision[];
  hash: string;
  createRevisions: ControllerRevision[];
  updateRevisions: RevisionUpdate[];
  deleteRevisions: string[];
  /** Pods relabelled from a duplicate revision's hash to the kept one. */
  podPatches: PodPatch[];
  /** Working copies of the pods with those relabels applied. */
  pods: Pod[];
  collisionCount?: number;
}

function maxRevision(revisions: readonly ControllerRevision[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision), 0);
}

/** `snapshot`'s object: named `<ds>-<hash>`, template labels + hash, the DS annotations as they are. */
export function newRevision(ds: DaemonSet, hash: string, revision: number): ControllerRevision {
  const annotations = ds.metadata.annotations;
  return {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: {
      name: `${ds.metadata.name ?? ""}-${hash}`,
      namespace: ds.metadata.namespace,
      labels: { ...(ds.spec.template.metadata?.labels ?? {}), [hashKey]: hash },
      ...(annotations ? { annotations: { ...annotations } } : {}),
      ownerReferences: [newControllerRef(ds)],
    },
    data: revisionData(ds),
    revision,
  };
}

export function constructHistory(
  ds: DaemonSet,
  revisions: readonly ControllerRevision[],
  allRevisions: readonly ControllerRevision[],
  pods: readonly Pod[],
): HistoryResult {
  const result: HistoryResult = {
    cur: undefined,
    old: [],
    hash: "",
    createRevisions: [],
    updateRevisions: [],
    deleteRevisions: [],
    podPatches: [],
    pods: [...pods],
  };
  const currentKey = revisionDataKey(revisionData(ds));
  const current: ControllerRevision[] = [];
  const byName = [...revisions].sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1));
  for (let rev of byName) {
    // Revisions without the hash label get their name as hash (no recomputation, no collision).
    if (rev.metadata.labels?.[hashKey] === undefined) {
      const labels = { ...(rev.metadata.labels ?? {}), [hashKey]: rev.metadata.name ?? "" };
      result.updateRevisions.push({ name: rev.metadata.name ?? "", labels });
      rev = { ...rev, metadata: { ...rev.metadata, labels } };
    }
    if (revisionDataKey(rev.data) === currentKey) current.push(rev);
    else result.old.push(rev);
  }

  const currRevision = maxRevision(result.old) + 1;
  if (current.length === 0) {
    const hash = computeTemplateHash(ds.spec.template, ds.status?.collisionCount);
    const snapshot = newRevision(ds, hash, currRevision);
    const existing = allRevisions.find((r) => r.metadata.name === snapshot.metadata.name);
    if (existing === undefined) {
      result.createRevisions.push(snapshot);
      result.cur = snapshot;
    } else if (revisionDataKey(existing.data) === currentKey) {
      result.cur = existing;
    } else {
      result.collisionCount = (ds.status?.collisionCount ?? 0) + 1;
      return result;
    }
  } else {
    result.cur = dedupCurHistories(current, result);
    if (result.cur.revision < currRevision) {
      result.updateRevisions.push({ name: result.cur.metadata.name ?? "", revision: currRevision });
      result.cur = { ...result.cur, revision: currRevision };
    }
  }
  result.hash = result.cur.metadata.labels?.[hashKey] ?? "";
  return result;
}

/**
 * `dedupCurHistories`: keep the highest-numbered match, delete the others. Kubernetes relabels
 * every pod whose hash differs from the kept one; here only pods carrying a deleted duplicate's
 * hash are relabelled, so pods of genuinely older revisions are still rolled.
 */
function dedupCurHistories(current: ControllerRevision[], result: HistoryResult): ControllerRevision {
  let keep = current[0]!;
  for (const rev of current) if (rev.revision >= keep.revision) keep = rev;
  if (current.length === 1) return keep;
  const keepHash = keep.metadata.labels?.[hashKey] ?? "";
  const duplicateHashes = new Set(
    current.filter((r) => r !== keep).map((r) => r.metadata.labels?.[hashKey] ?? ""),
  );
  duplicateHashes.delete(keepHash);
  result.pods = result.pods.map((pod) => {
    const podHash = pod.metadata.labels?.[hashKey];
    if (podHash === undefined || !duplicateHashes.has(podHash)) return pod;
    result.podPatches.push({ name: pod.metadata.name ?? "", uid: pod.metadata.uid ?? "", labels: { [hashKey]: keepHash } });
    return { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, [hashKey]: keepHash } } };
  });
  for (const rev of current) if (rev !== keep) result.deleteRevisions.push(rev.metadata.name ?? "");
  return keep;
}
