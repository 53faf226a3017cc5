/**
 * @module
 * `updateDaemonSetStatus` + `storeDaemonSetStatus` as a pure function. Every number is counted
 * per node from the oldest daemon pod on it: desired = nodes that should run the pod; current =
 * desired nodes with a pod; misscheduled = other nodes with a pod; ready / available / updated =
 * desired nodes whose oldest pod is Ready / available / carries the current revision.
 *
 * Invariants:
 * * `shouldWrite` is false when every number is unchanged and observedGeneration is current,
 *   as storeDaemonSetStatus skips the UpdateStatus call.
 * * collisionCount and conditions are carried over untouched.
 *
 * @example
 * const { status, shouldWrite, requeueAfterMs } =
 *   computeDaemonSetStatus({ ds, nodes, pods: claimedPods, hash, now }, deps);
 */

import type { DaemonSet, DaemonSetStatus, Node, Pod } from "../../resources/types.ts";
import { getNodesToDaemonPods } from "./node-pods.ts";
import {
  compareByCreationTimestampAndPhase,
  getTemplateGeneration,
  isPodAvailable,
  isPodReady,
  isPodUpdated,
  podAvailableAt,
} from "./pod-util.ts";
import type { Placement, PlannerDeps } from "./types.ts";

export interface StatusInput {
  ds: DaemonSet;
  nodes: readonly Node[];
  /** Daemon pods this DaemonSet controls (already claimed). */
  pods: readonly Pod[];
  /** `controller-revision-hash` of the current revision. */
  hash: string;
  now: number;
  /** False while earlier actions are unobserved: the counts are written, observedGeneration is not. */
  updateObservedGeneration?: boolean;
  /**
   * Desired nodes left out of every count (a rollout policy's held and offline-deferred nodes), so
   * `kubectl rollout status` finishes when the nodes the strategy allows are done.
   */
  excluded?: ReadonlySet<string>;
  /** Memoized placement of the pass; defaults to asking `deps`. */
  placement?: (node: Node) => Placement;
}

export interface StatusResult {
  status: DaemonSetStatus;
  shouldWrite: boolean;
  /** Run again when the earliest Ready pod becomes available (+1 s against clock skew). */
  requeueAfterMs?: number;
}

export function computeDaemonSetStatus(
  input: StatusInput,
  deps: Pick<PlannerDeps, "nodeShouldRunDaemonPod">,
): StatusResult {
  const { ds, now } = input;
  const minReadySeconds = ds.spec.minReadySeconds ?? 0;
  const generation = getTemplateGeneration(ds);
  const placement = input.placement ?? ((node: Node) => deps.nodeShouldRunDaemonPod(node, ds));
  const byNode = getNodesToDaemonPods(input.pods, false);

  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const node of input.nodes) {
    const podsOnNode = byNode.get(node.metadata.name ?? "") ?? [];
    if (input.excluded?.has(node.metadata.name ?? "")) continue;
    if (!placement(node).shouldRun) {
      if (podsOnNode.length > 0) misscheduled++;
      continue;
    }
    desired++;
    if (podsOnNode.length === 0) continue;
    current++;
    const oldest = [...podsOnNode].sort(compareByCreationTimestampAndPhase)[0]!;
    if (isPodReady(oldest)) {
      ready++;
      if (isPodAvailable(oldest, minReadySeconds, now)) available++;
    }
    if (isPodUpdated(oldest, input.hash, generation)) updated++;
  }

  const result: StatusResult = statusFromCounts(ds, { desired, current, misscheduled, ready, available, updated }, input.updateObservedGeneration);
  const nextAvailable = earliestAvailability(byNode.values(), minReadySeconds, now);
  if (nextAvailable !== undefined) result.requeueAfterMs = nextAvailable - now + 1000;
  return result;
}

export interface StatusCounts {
  desired: number;
  current: number;
  misscheduled: number;
  ready: number;
  available: number;
  updated: number;
}

/** The status these counts make, and whether it differs from the stored one (storeDaemonSetStatus). */
export function statusFromCounts(ds: DaemonSet, counts: StatusCounts, updateObservedGeneration?: boolean): StatusResult {
  const { desired, current, misscheduled, ready, available, updated } = counts;
  const previous = ds.status;
  const metaGeneration = ds.metadata.generation ?? 0;
  const observedGeneration = updateObservedGeneration === false ? previous?.observedGeneration : metaGeneration;
  const status: DaemonSetStatus = {
    ...(previous ?? {}),
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
  };
  const unchanged =
    (previous?.desiredNumberScheduled ?? 0) === desired &&
    (previous?.currentNumberScheduled ?? 0) === current &&
    (previous?.numberMisscheduled ?? 0) === misscheduled &&
    (previous?.numberReady ?? 0) === ready &&
    (previous?.updatedNumberScheduled ?? 0) === updated &&
    (previous?.numberAvailable ?? 0) === available &&
    (previous?.numberUnavailable ?? 0) === desired - available &&
    (previous?.observedGeneration ?? 0) >= metaGeneration;
  return { status, shouldWrite: !unchanged };
}

/** The earliest future moment a Ready pod turns available, if any. */
export function earliestAvailability(groups: Iterable<Pod[]>, minReadySeconds: number, now: number): number | undefined {
  if (minReadySeconds === 0) return undefined;
  let earliest: number | undefined;
  for (const pods of groups) {
    for (const pod of pods) {
      const at = podAvailableAt(pod, minReadySeconds);
      if (at !== undefined && at > now && (earliest === undefined || at < earliest)) earliest = at;
    }
  }
  return earliest;
}
