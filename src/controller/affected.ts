/**
 * @module
 * Which DaemonSets a change concerns, so that only those are woken: a fleet of N nodes and M
 * DaemonSets does not cost N × M controller passes for one label change or one pod starting.
 *
 * - A node change concerns a DaemonSet whose placement decision for the node differs before and
 *   after (labels, taints, the node appearing or going), and one with required pod
 *   (anti-)affinity whose topology domain on that node changed (a label used as topologyKey, or
 *   the node and its pods going), including through another DaemonSet's anti-affinity.
 * - A node's update deferral (`UpdateDeferred` condition) set, changed or cleared concerns a
 *   DaemonSet with `rollout.edgeset.dev/allow-defer` that runs there: its rollout gate moved.
 * - A pod appearing on a node or leaving it (bound, finished, deleted; mirror pods alike)
 *   concerns a DaemonSet with a required pod (anti-)affinity term that may select it, and one
 *   whose pods the pod's own required anti-affinity may select (symmetry).
 * - A namespace relabelled concerns a DaemonSet whose required terms use a namespaceSelector.
 *
 * @example
 * daemonSetsAffectedByPodChange(daemonSets, [newlyBoundPod]); // the ones waiting for a security=S1 pod
 */
import type { DaemonSet, Node, Pod } from "../resources/types.ts";
import { rolloutAnnotations } from "../resources/daemonset/rollout-policy.ts";
import { deferralChanged } from "./planner/rollout-record.ts";
import { nodeShouldRunDaemonPod, requiredPodAffinityTerms, requiredTopologyKeys, termMaySelect } from "../scheduling/index.ts";

const namespaceOf = (o: { metadata: { namespace?: string } }) => o.metadata.namespace || "default";
const isDeleting = (ds: DaemonSet) => Boolean(ds.metadata.deletionTimestamp);
/** What a DaemonSet's pods look like to other pods' terms. */
const templatePod = (ds: DaemonSet) => ({ namespace: namespaceOf(ds), labels: ds.spec.template.metadata?.labels });

/** A missing node runs nothing: a new node that does not match, or a gone one that did not, changes nothing. */
const nowhere = { shouldRun: false, shouldContinueRunning: false };

function placementChanged(ds: DaemonSet, before: Node | undefined, after: Node | undefined): boolean {
  const was = before ? nodeShouldRunDaemonPod(before, ds) : nowhere;
  const is = after ? nodeShouldRunDaemonPod(after, ds) : nowhere;
  return was.shouldRun !== is.shouldRun || was.shouldContinueRunning !== is.shouldContinueRunning;
}

/** Whether the node's domain of `key` changed; a node going away leaves every domain (its pods go with it). */
function domainChanged(key: string, before: Node | undefined, after: Node | undefined): boolean {
  if (!before) return false; // a new node runs no pod yet: no other pod's domain changes
  if (!after) return true;
  return before.metadata.labels?.[key] !== after.metadata.labels?.[key];
}

export function daemonSetsAffectedByNodeChange(daemonSets: readonly DaemonSet[], before: Node | undefined, after: Node | undefined): DaemonSet[] {
  // Anti-affinity terms of DaemonSets whose domain moved on this node: they may now keep other DaemonSets' pods off it, or stop doing so.
  const movedAntiAffinity = daemonSets
    .filter((holder) => !isDeleting(holder))
    .flatMap((holder) =>
      requiredPodAffinityTerms(holder.spec.template.spec)
        .antiAffinity.filter((t) => domainChanged(t.topologyKey, before, after))
        .map((term) => ({ term, namespace: namespaceOf(holder) })),
    );
  return daemonSets.filter(
    (ds) =>
      placementChanged(ds, before, after) ||
      (ds.metadata.annotations?.[rolloutAnnotations.allowDefer] === "true" && deferralChanged(before, after) && !!after && nodeShouldRunDaemonPod(after, ds).shouldContinueRunning) ||
      requiredTopologyKeys(ds.spec.template.spec).some((key) => domainChanged(key, before, after)) ||
      movedAntiAffinity.some(({ term, namespace }) => termMaySelect(term, namespace, templatePod(ds))),
  );
}

export function daemonSetsAffectedByPodChange(daemonSets: readonly DaemonSet[], pods: readonly Pod[]): DaemonSet[] {
  const targets = pods.map((pod) => ({ namespace: namespaceOf(pod), labels: pod.metadata.labels }));
  const podAntiAffinity = pods.flatMap((pod) => requiredPodAffinityTerms(pod.spec).antiAffinity.map((term) => ({ term, namespace: namespaceOf(pod) })));
  return daemonSets.filter((ds) => {
    if (isDeleting(ds)) return false;
    const own = requiredPodAffinityTerms(ds.spec.template.spec);
    const terms = [...own.affinity, ...own.antiAffinity];
    return (
      terms.some((term) => targets.some((target) => termMaySelect(term, namespaceOf(ds), target))) ||
      podAntiAffinity.some(({ term, namespace }) => termMaySelect(term, namespace, templatePod(ds)))
    );
  });
}

/** A namespace's labels changed: the DaemonSets whose required terms select namespaces by label. */
export function daemonSetsAffectedByNamespaceChange(daemonSets: readonly DaemonSet[]): DaemonSet[] {
  return daemonSets.filter((ds) => {
    if (isDeleting(ds)) return false;
    const terms = requiredPodAffinityTerms(ds.spec.template.spec);
    return [...terms.affinity, ...terms.antiAffinity].some((t) => t.namespaceSelector !== undefined && t.namespaceSelector !== null);
  });
}
