/**
 * @module
 * `ControllerRefManager.ClaimPods` / `ClaimControllerRevisions`: keep what this DaemonSet
 * controls and still selects, adopt matching orphans (never while the DaemonSet is being deleted,
 * never a terminating orphan), release owned objects the selector no longer matches, ignore
 * objects controlled by anyone else. Returns working copies with the new ownerReferences.
 *
 * @example
 * const { claimed, patches } = claimPods(ds, pods, compileLabelSelector(ds.spec.selector));
 */

import type { ControllerRevision, DaemonSet, ObjectMeta, OwnerReference, Pod } from "../../resources/types.ts";
import type { LabelMatcher } from "../../resources/label-selector.ts";
import { controllerOf, isDeleting } from "./pod-util.ts";
import type { PodPatch, RevisionUpdate } from "./types.ts";

/** `metav1.NewControllerRef(ds, apps/v1 DaemonSet)`. */
export function newControllerRef(ds: DaemonSet): OwnerReference {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    name: ds.metadata.name ?? "",
    uid: ds.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

type Claim = "keep" | "adopt" | "release" | "ignore";

function decideClaim(ds: DaemonSet, obj: { metadata: ObjectMeta }, matches: LabelMatcher): Claim {
  const ref = controllerOf(obj);
  const dsDeleting = isDeleting(ds);
  if (ref) {
    if (ref.uid !== ds.metadata.uid) return "ignore";
    if (matches(obj.metadata.labels)) return "keep";
    return dsDeleting ? "ignore" : "release";
  }
  if (dsDeleting || !matches(obj.metadata.labels) || isDeleting(obj)) return "ignore";
  if (obj.metadata.namespace && ds.metadata.namespace && obj.metadata.namespace !== ds.metadata.namespace) {
    return "ignore";
  }
  return "adopt";
}

/** Owner references after adoption: the existing (non-controller) ones plus ours. */
function adoptedRefs(ds: DaemonSet, obj: { metadata: ObjectMeta }): OwnerReference[] {
  const others = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ds.metadata.uid);
  return [...others, newControllerRef(ds)];
}

function releasedRefs(ds: DaemonSet, obj: { metadata: ObjectMeta }): OwnerReference[] {
  return (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ds.metadata.uid);
}

export function claimPods(
  ds: DaemonSet,
  pods: readonly Pod[],
  matches: LabelMatcher,
): { claimed: Pod[]; patches: PodPatch[] } {
  const claimed: Pod[] = [];
  const patches: PodPatch[] = [];
  for (const pod of pods) {
    const name = pod.metadata.name ?? "";
    const uid = pod.metadata.uid ?? "";
    switch (decideClaim(ds, pod, matches)) {
      case "keep":
        claimed.push(pod);
        break;
      case "adopt": {
        const ownerReferences = adoptedRefs(ds, pod);
        patches.push({ name, uid, ownerReferences });
        claimed.push({ ...pod, metadata: { ...pod.metadata, ownerReferences } });
        break;
      }
      case "release": {
        const refs = releasedRefs(ds, pod);
        patches.push({ name, uid, ownerReferences: refs.length > 0 ? refs : null });
        break;
      }
      case "ignore":
        break;
    }
  }
  return { claimed, patches };
}

export function claimRevisions(
  ds: DaemonSet,
  revisions: readonly ControllerRevision[],
  matches: LabelMatcher,
): { claimed: ControllerRevision[]; updates: RevisionUpdate[] } {
  const claimed: ControllerRevision[] = [];
  const updates: RevisionUpdate[] = [];
  for (const rev of revisions) {
    const name = rev.metadata.name ?? "";
    switch (decideClaim(ds, rev, matches)) {
      case "keep":
        claimed.push(rev);
        break;
      case "adopt": {
        const ownerReferences = adoptedRefs(ds, rev);
        updates.push({ name, ownerReferences });
        claimed.push({ ...rev, metadata: { ...rev.metadata, ownerReferences } });
        break;
      }
      case "release":
        updates.push({ name, ownerReferences: releasedRefs(ds, rev) });
        break;
      case "ignore":
        break;
    }
  }
  return { claimed, updates };
}
