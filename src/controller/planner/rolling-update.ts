/**
 * @module
 * `rollingUpdate`: which old pods to delete, or which nodes to surge onto, within the budget of
 * the RollingUpdate strategy. Nodes are visited in name order (Go: random map order), which
 * decides which candidates make a wave.
 *
 * Without surge (delete, then `manage` creates):
 * Assumptions:
 * * manage allows no more than one pod per node, creates new pods and handles failed pods.
 * * Terminating pods are not counted as unavailable pods of their own; a node whose only pod is
 *   terminating counts as one unavailable node, so updates make progress when nodes are down.
 * Invariants:
 * * The number of unavailable desired nodes stays within maxUnavailable, except that old pods
 *   which are already unavailable are always replaced (they cost nothing more).
 * * A node with an available old pod is a candidate for deletion if it violates no other invariant.
 *
 * With surge (create beside the old pod, then delete it):
 * Assumptions:
 * * manage allows no more than two pods per node, one old and one new, and creates a pod on any
 *   node left without one.
 * Invariants:
 * * A node with an unavailable old pod gets its new pod at once.
 * * An available old pod is deleted once the new pod on its node is available.
 * * No more than maxSurge new pods are created for available old pods at any one time.
 * * Pods on nodes that no longer should run one are deleted only while the available pods
 *   elsewhere still cover every desired node.
 *
 * Edge gates (rollout-gates.ts, only with a rollout policy): a held node keeps its old pod, even an
 * unavailable one; a free node (offline before it was offered the revision) costs no budget, and
 * is offered the revision at once. Within the budget, preferred nodes (pre-staged) go first.
 *
 * @example
 * const { nodesNeedingDaemonPods, podsToDelete } = rollingUpdate(ctx, claimedPods);
 */

import type { Pod } from "../../resources/types.ts";
import { missingNodePlacement, type PassContext } from "./context.ts";
import { toDelete, type NodeActions } from "./manage.ts";
import { getNodesToDaemonPods, sortedNodeNames, type NodeToDaemonPods } from "./node-pods.ts";
import { isDeleting, isPodAvailable, isPodUpdated } from "./pod-util.ts";
import { maxUnavailableAndSurge } from "./update-counts.ts";
import { noGates, type RolloutGates } from "./rollout-gates.ts";

/**
 * `findUpdatedPodsOnNode`: the node's live new and old pod; `ok` is false when there is more
 * than one of either (manage prunes those first).
 */
export function findUpdatedPodsOnNode(
  ctx: Pick<PassContext, "hash" | "generation">,
  pods: readonly Pod[],
): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (isDeleting(pod)) continue;
    if (isPodUpdated(pod, ctx.hash, ctx.generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

/**
 * `updatedDesiredNodeCounts`: the budget, the desired node count, and an (empty) entry in
 * `byNode` for every desired node without pods. Throws on a malformed maxUnavailable/maxSurge.
 */
export function updatedDesiredNodeCounts(
  ctx: PassContext,
  byNode: NodeToDaemonPods,
): { maxSurge: number; maxUnavailable: number; desiredNumberScheduled: number } {
  let desiredNumberScheduled = 0;
  for (const node of ctx.nodes) {
    if (!ctx.placement(node).shouldRun) continue;
    desiredNumberScheduled++;
    const name = node.metadata.name ?? "";
    if (!byNode.has(name)) byNode.set(name, []);
  }
  return { ...maxUnavailableAndSurge(ctx.ds, desiredNumberScheduled), desiredNumberScheduled };
}

export function rollingUpdate(ctx: PassContext, pods: readonly Pod[], gates: RolloutGates = noGates): NodeActions {
  const byNode = getNodesToDaemonPods(pods, false);
  const counts = updatedDesiredNodeCounts(ctx, byNode);
  return counts.maxSurge === 0
    ? rollingUpdateWithoutSurge(ctx, byNode, counts.maxUnavailable, gates)
    : rollingUpdateWithSurge(ctx, byNode, counts.maxSurge, counts.desiredNumberScheduled, gates);
}

/** The candidates in name order, the gates' preferred nodes (pre-staged) first. */
function preferredFirst<T>(candidates: T[], nodeOf: (c: T) => string, gates: RolloutGates): T[] {
  const preferred = gates.preferred;
  if (!preferred?.size) return candidates;
  return [...candidates.filter((c) => preferred.has(nodeOf(c))), ...candidates.filter((c) => !preferred.has(nodeOf(c)))];
}

function rollingUpdateWithoutSurge(ctx: PassContext, byNode: NodeToDaemonPods, maxUnavailable: number, gates: RolloutGates): NodeActions {
  let numUnavailable = 0;
  const allowedReplacementPods: Pod[] = [];
  const candidatePodsToDelete: Pod[] = [];
  for (const nodeName of sortedNodeNames(byNode)) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ctx, byNode.get(nodeName)!);
    const counts = !gates.free.has(nodeName);
    if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) {
      // manage will prune, create or delete here; count the node as unavailable meanwhile.
      if (counts) numUnavailable++;
    } else if (newPod) {
      if (!isPodAvailable(newPod, ctx.minReadySeconds, ctx.now) && counts) numUnavailable++;
    } else if (gates.held.has(nodeName)) {
      if (!isPodAvailable(oldPod!, ctx.minReadySeconds, ctx.now) && counts) numUnavailable++;
    } else if (!isPodAvailable(oldPod!, ctx.minReadySeconds, ctx.now)) {
      allowedReplacementPods.push(oldPod!);
      if (counts) numUnavailable++;
    } else if (!counts) {
      // Offline before it was offered: it gets the revision on its next sync, for free.
      allowedReplacementPods.push(oldPod!);
    } else if (numUnavailable < maxUnavailable) {
      candidatePodsToDelete.push(oldPod!);
    }
  }
  const remaining = Math.min(Math.max(maxUnavailable - numUnavailable, 0), candidatePodsToDelete.length);
  const oldPodsToDelete = [...allowedReplacementPods, ...preferredFirst(candidatePodsToDelete, (p) => p.spec.nodeName ?? "", gates).slice(0, remaining)];
  return { nodesNeedingDaemonPods: [], podsToDelete: oldPodsToDelete.map((p) => toDelete(p, "RollingUpdate")) };
}

function rollingUpdateWithSurge(
  ctx: PassContext,
  byNode: NodeToDaemonPods,
  maxSurge: number,
  desiredNumberScheduled: number,
  gates: RolloutGates,
): NodeActions {
  const oldPodsToDelete: Pod[] = [];
  const shouldNotRunPodsToDelete: Pod[] = [];
  const candidateNewNodes: string[] = [];
  const allowedNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  // Kubernetes fails the pass when a node is missing from the lister; a node that is gone simply
  // should not run a pod.
  const shouldRun = (nodeName: string) => {
    const node = ctx.nodeByName.get(nodeName);
    return (node ? ctx.placement(node) : missingNodePlacement).shouldRun;
  };

  for (const nodeName of sortedNodeNames(byNode)) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ctx, byNode.get(nodeName)!);
    if (!ok) {
      numSurge++;
      continue;
    }
    // Availability counts every node, including those being sunset by scheduling constraints.
    const counted = oldPod ?? newPod;
    if (counted && isPodAvailable(counted, ctx.minReadySeconds, ctx.now)) numAvailable++;

    if (!oldPod) continue;
    if (!newPod) {
      if (gates.held.has(nodeName) && shouldRun(nodeName)) continue;
      if (!isPodAvailable(oldPod, ctx.minReadySeconds, ctx.now)) {
        if (!shouldRun(nodeName)) oldPodsToDelete.push(oldPod);
        else allowedNewNodes.push(nodeName);
      } else if (!shouldRun(nodeName)) {
        shouldNotRunPodsToDelete.push(oldPod);
      } else if (numSurge < maxSurge) {
        candidateNewNodes.push(nodeName);
      }
    } else if (!isPodAvailable(newPod, ctx.minReadySeconds, ctx.now)) {
      if (!gates.free.has(nodeName)) numSurge++;
    } else {
      oldPodsToDelete.push(oldPod);
    }
  }

  // With surge the owner expects full availability: a pod on a node that should no longer run
  // one goes only while the available pods still cover every desired node.
  const deletable = Math.min(numAvailable - desiredNumberScheduled, shouldNotRunPodsToDelete.length);
  if (deletable > 0) oldPodsToDelete.push(...shouldNotRunPodsToDelete.slice(0, deletable));

  const remainingSurge = Math.min(Math.max(maxSurge - numSurge, 0), candidateNewNodes.length);
  return {
    nodesNeedingDaemonPods: [...allowedNewNodes, ...preferredFirst(candidateNewNodes, (n) => n, gates).slice(0, remainingSurge)],
    podsToDelete: oldPodsToDelete.map((p) => toDelete(p, "RollingUpdate")),
  };
}
