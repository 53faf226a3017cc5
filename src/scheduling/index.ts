/**
 * @module
 * Pure placement logic: which nodes run a daemon pod, whether a pod fits a node (the scheduler's
 * filters, inter-pod affinity included). No I/O; callers pass the world in. Validation of the
 * scheduling fields lives with the Pod API in resources/pod, as Kubernetes keeps it in
 * apis/core/validation: resources/ never imports from here.
 *
 * @example
 * import { nodeShouldRunDaemonPod } from "../scheduling/index.ts";
 * const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
 */

export { getTargetNodeName, objectNameField, replaceDaemonSetPodNodeNameNodeAffinity } from "./daemon-pod-node.ts";
export { addDaemonPodTolerations, addOrUpdateToleration, defaultDaemonTolerations, matchToleration } from "./daemon-tolerations.ts";
export {
  formatNodeSelectorErrors,
  matchNodeSelectorTerms,
  matchRequiredNodeAffinity,
  matchesNodeSelector,
  type NodeSelectorMatch,
} from "./node-affinity.ts";
export { nodeShouldRunDaemonPod, reasonNodeAffinity, reasonNodeName, type Placement } from "./node-should-run.ts";
export {
  checkPodAffinity,
  reasonAffinityRules,
  reasonAntiAffinityRules,
  reasonExistingAntiAffinityRules,
  type IncomingPod,
  type PodAffinityFit,
  type PodAffinityWorld,
} from "./pod-affinity.ts";
export { podFitsNode, reasonUnschedulable } from "./pod-fits.ts";
export {
  hasRequiredPodAffinityTerms,
  requiredPodAffinityTerms,
  requiredTopologyKeys,
  termMaySelect,
  type RequiredPodAffinityTerms,
} from "./pod-affinity-terms.ts";
export { findUntoleratedTaint, formatTaint, toleratesTaint, tolerationsTolerateTaint, untoleratedTaintMessage } from "./taints.ts";
