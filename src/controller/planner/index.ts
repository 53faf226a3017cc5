/**
 * @module
 * The DaemonSet planner: given a snapshot of one DaemonSet's world, what one reconcile pass of
 * the Kubernetes DaemonSet controller (`syncDaemonSet`) does. Pure: no I/O, no clock (`now` is
 * an input). The Durable Object shell loads the snapshot, records the plan and applies it.
 *
 * Determinism where Kubernetes is random or racy: nodes are visited in name order (Go iterates
 * maps in random order), and the "oldest pod" is bound-first, then creationTimestamp, then name.
 *
 * @example
 * import { planDaemonSet } from "./controller/planner/index.ts";
 * const plan = planDaemonSet({ ds, nodes, pods, revisions, now: Date.now(), failedPodBackoff });
 * // create plan.createPods, delete plan.deletePods, write plan.status, arm plan.requeueAfterMs
 */

import type { DaemonSet, Pod } from "../../resources/types.ts";
import { defaultPlannerDeps } from "./default-deps.ts";
import { newDaemonPod as newDaemonPodWith } from "./new-pod.ts";
import { computeDaemonSetStatus as computeStatusWith, type StatusInput, type StatusResult } from "./status.ts";
import { syncDaemonSet } from "./sync.ts";
import type { Plan, PlannerDeps, PlannerInput } from "./types.ts";
import { claimPods } from "./claim.ts";
import { compileLabelSelector, isEmptySelector, type LabelMatcher } from "../../resources/label-selector.ts";
import { getNodesToDaemonPods } from "./node-pods.ts";
import { isDeleting } from "./pod-util.ts";
import { allowsSurge } from "./update-counts.ts";

export type * from "./types.ts";
export type { RolloutRecord } from "./rollout-record.ts";
export type { RollbackAction } from "./rollout.ts";
export type { StatusInput, StatusResult } from "./status.ts";
export { computeTemplateHash } from "./hash.ts";
export { revisionData, matchRevision } from "./revision-data.ts";
export { scaledValue } from "./intstr.ts";
export { maxUnavailableAndSurge, allowsSurge } from "./update-counts.ts";
export {
  isPodReady,
  isPodAvailable,
  isPodUpdated,
  getTargetNodeName,
  getTemplateGeneration,
} from "./pod-util.ts";
export { failedPodsBackoffKey } from "./backoff.ts";
export { scheduledCondition, unschedulableRetryMs, withSchedulingCondition } from "./bind-pods.ts";
export { burstReplicas, syncDaemonSet } from "./sync.ts";
export { defaultPlannerDeps } from "./default-deps.ts";

/**
 * Whether a plan places pods on nodes (creates or binds): only then can the pods running elsewhere
 * change what it does, so only then does the shell need to load them and plan again.
 */
export const placesPods = (plan: Plan): boolean => plan.createPods.length + plan.bindPods.length > 0;

/**
 * Whether a pass over `input` can place pods (create or bind), decided from the input alone, so
 * the shell loads the pods pod (anti-)affinity is judged against before planning, and plans once.
 * A superset of `placesPods(planDaemonSet(input))`: a node that should run the pod and has none of
 * the DaemonSet's pods, a claimed pod not yet bound, or a surge rollout (which creates beside old
 * pods).
 */
export function mayPlacePods(input: PlannerInput, deps: Pick<PlannerDeps, "nodeShouldRunDaemonPod"> = defaultPlannerDeps): boolean {
  const { ds } = input;
  if (isDeleting(ds) || isEmptySelector(ds.spec.selector)) return false;
  if (allowsSurge(ds)) return true;
  let matches: LabelMatcher;
  try {
    matches = compileLabelSelector(ds.spec.selector);
  } catch {
    return false;
  }
  const { claimed } = claimPods(ds, input.pods, matches);
  if (claimed.some((pod) => !pod.spec.nodeName && !isDeleting(pod))) return true;
  const byNode = getNodesToDaemonPods(claimed, false);
  return input.nodes.some((node) => !byNode.has(node.metadata.name ?? "") && deps.nodeShouldRunDaemonPod(node, ds).shouldRun);
}

export function planDaemonSet(input: PlannerInput, deps: PlannerDeps = defaultPlannerDeps): Plan {
  return syncDaemonSet(input, deps);
}

/** `updateDaemonSetStatus` as a pure function (pods: the daemon pods the DaemonSet controls). */
export function computeDaemonSetStatus(
  input: StatusInput,
  deps: Pick<PlannerDeps, "nodeShouldRunDaemonPod"> = defaultPlannerDeps,
): StatusResult {
  return computeStatusWith(input, deps);
}

/** `CreatePodTemplate` + the binding: the pod the DaemonSet creates on `nodeName`. */
export function newDaemonPod(
  ds: DaemonSet,
  nodeName: string,
  hash: string,
  deps: Pick<PlannerDeps, "addDaemonPodTolerations"> = defaultPlannerDeps,
): Pod {
  return newDaemonPodWith(ds, nodeName, hash, deps);
}
