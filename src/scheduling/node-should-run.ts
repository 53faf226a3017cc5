/**
 * @module
 * Which nodes run a daemon pod: the daemon controller's `NodeShouldRunDaemonPod` and its
 * `predicates`. Only the template's `nodeName`, `nodeSelector` + required node affinity and the
 * NoSchedule/NoExecute taints count (after the default daemon tolerations are added). Node
 * `spec.unschedulable`, conditions, resources, PreferNoSchedule taints, preferred affinity and
 * pod (anti-)affinity are not the controller's business.
 *
 * @example
 * nodeShouldRunDaemonPod(node("edge-1", {}, [{ key: "dedicated", value: "user1", effect: "NoSchedule" }]), ds)
 * // { shouldRun: false, shouldContinueRunning: true, reason: "node(s) had untolerated taint {dedicated: user1}", warnings: [] }
 */

import type { DaemonSet, Node } from "../resources/types.ts";
import { addDaemonPodTolerations } from "./daemon-tolerations.ts";
import { matchRequiredNodeAffinity } from "./node-affinity.ts";
import { findUntoleratedTaint, untoleratedTaintMessage } from "./taints.ts";

export interface Placement {
  /** A pod should be created on the node if it has none. */
  shouldRun: boolean;
  /** A pod already on the node may stay (false only for mismatches and untolerated NoExecute taints). */
  shouldContinueRunning: boolean;
  /** Why `shouldRun` is false, in the scheduler's words. */
  reason?: string;
  /** Parse errors of invalid node affinity terms (the term is skipped; worth a Warning event). */
  warnings: string[];
}

export const reasonNodeName = "node(s) didn't match the requested node name";
export const reasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";

export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): Placement {
  const template = ds.spec.template.spec;
  // NewPod: the predicate pod carries the default daemon tolerations.
  const spec = addDaemonPodTolerations(template);
  const affinity = matchRequiredNodeAffinity(spec, node);
  const warnings = affinity.errors;

  if (template.nodeName && template.nodeName !== node.metadata.name) {
    return { shouldRun: false, shouldContinueRunning: false, reason: reasonNodeName, warnings };
  }
  if (!affinity.matches) {
    return { shouldRun: false, shouldContinueRunning: false, reason: reasonNodeAffinity, warnings };
  }
  const taints = node.spec.taints;
  const blocking = findUntoleratedTaint(taints, spec.tolerations, ["NoSchedule", "NoExecute"]);
  if (blocking) {
    // Scheduled daemon pods keep running unless a NoExecute taint is untolerated.
    const evicting = findUntoleratedTaint(taints, spec.tolerations, ["NoExecute"]);
    return { shouldRun: false, shouldContinueRunning: !evicting, reason: untoleratedTaintMessage(evicting ?? blocking), warnings };
  }
  return { shouldRun: true, shouldContinueRunning: true, warnings };
}
