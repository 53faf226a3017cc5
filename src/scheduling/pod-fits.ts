/**
 * @module
 * kube-scheduler's Filter for one pod on one node, as far as a daemon pod meets it here:
 * NodeUnschedulable, NodeName, TaintToleration (NoSchedule and NoExecute), NodeAffinity
 * (nodeSelector + required node affinity, which for a daemon pod is its `metadata.name` term)
 * and InterPodAffinity. Resources and host ports are not modelled: the device decides those.
 *
 * This is what binds a daemon pod edgeset created unbound (edgeset has no kube-scheduler), so
 * it reads the pod's own spec, not its DaemonSet's current template.
 *
 * @example
 * podFitsNode({ namespace: "default", labels, spec }, node, world)
 * // { fits: false, message: "node(s) didn't match pod affinity rules: no running pod matching security=S1 in the same ..." }
 */

import type { Node } from "../resources/types.ts";
import { wellKnown } from "../resources/types.ts";
import { matchRequiredNodeAffinity } from "./node-affinity.ts";
import { reasonNodeAffinity, reasonNodeName } from "./node-should-run.ts";
import { checkPodAffinity, type IncomingPod, type PodAffinityFit, type PodAffinityWorld } from "./pod-affinity.ts";
import { findUntoleratedTaint, tolerationsTolerateTaint, untoleratedTaintMessage } from "./taints.ts";

export const reasonUnschedulable = "node(s) were unschedulable";

/**
 * The filters in the scheduler's order. `world` undefined skips InterPodAffinity (the caller
 * knows no pod in the world can matter); an empty world does not: it still decides terms.
 */
export function podFitsNode(pod: IncomingPod, node: Node, world: PodAffinityWorld | undefined): PodAffinityFit {
  const { spec } = pod;
  // NodeUnschedulable: a cordoned node is fine for a pod tolerating the unschedulable taint, as daemon pods do.
  const cordon = { key: wellKnown.taintUnschedulable, effect: "NoSchedule" as const };
  if (node.spec.unschedulable && !tolerationsTolerateTaint(spec.tolerations, cordon)) return { fits: false, message: reasonUnschedulable };
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return { fits: false, message: reasonNodeName };
  const taint = findUntoleratedTaint(node.spec.taints, spec.tolerations, ["NoSchedule", "NoExecute"]);
  if (taint) return { fits: false, message: untoleratedTaintMessage(taint) };
  if (!matchRequiredNodeAffinity(spec, node).matches) return { fits: false, message: reasonNodeAffinity };
  return world ? checkPodAffinity(pod, node, world) : { fits: true };
}
