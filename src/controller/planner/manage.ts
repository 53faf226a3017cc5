/**
 * @module
 * `manage` and `podsShouldBeOnNode`: make every node hold the daemon pods it should, whatever
 * the update strategy. A node that should run a pod and has none gets one; failed pods are
 * deleted (with backoff per node, so the controller does not fight a device that keeps rejecting
 * the pod) and succeeded ones too; extra pods are pruned; a node that should no longer run the
 * pod loses all of them; unbound pods aimed at a node that is gone are deleted.
 *
 * Assumptions:
 * * Terminating pods still occupy their node: without surge, a node whose only pod is
 *   terminating gets no new pod until it is gone.
 * * Without surge, the oldest running pod is kept and nothing is created beside it this pass.
 * Invariants (surge):
 * * At most two pods stay on a node: the oldest with the current hash and the oldest other one.
 * * The other one goes once it is not Ready, or once the current one is available.
 *
 * @example
 * const { nodesNeedingDaemonPods, podsToDelete } = manage(ctx, getNodesToDaemonPods(pods, false));
 */

import type { Node, Pod } from "../../resources/types.ts";
import { wellKnown } from "../../resources/types.ts";
import { failedPodsBackoffKey } from "./backoff.ts";
import type { PassContext } from "./context.ts";
import { getUnscheduledPodsWithoutNode, type NodeToDaemonPods } from "./node-pods.ts";
import { compareByCreationTimestampAndPhase, isDeleting, isPodAvailable, isPodReady } from "./pod-util.ts";
import type { DeleteReason, PodDelete } from "./types.ts";
import { allowsSurge } from "./update-counts.ts";

export interface NodeActions {
  nodesNeedingDaemonPods: string[];
  podsToDelete: PodDelete[];
}

export function toDelete(pod: Pod, reason: DeleteReason): PodDelete {
  return { name: pod.metadata.name ?? "", uid: pod.metadata.uid ?? "", reason };
}

/** `namespace/name`, as the controller's messages print a pod. */
function namespacedName(pod: Pod): string {
  return `${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? ""}`;
}

export function podsShouldBeOnNode(ctx: PassContext, node: Node, byNode: NodeToDaemonPods): NodeActions {
  const nodeName = node.metadata.name ?? "";
  const { shouldRun, shouldContinueRunning } = ctx.placement(node);
  const daemonPods = byNode.get(nodeName);
  const result: NodeActions = { nodesNeedingDaemonPods: [], podsToDelete: [] };

  if (shouldRun && daemonPods === undefined) {
    result.nodesNeedingDaemonPods.push(nodeName);
    return result;
  }

  if (shouldContinueRunning) {
    const running: Pod[] = [];
    for (const pod of daemonPods ?? []) {
      if (isDeleting(pod)) continue;
      const phase = pod.status?.phase;
      if (phase === "Failed") {
        const key = failedPodsBackoffKey(ctx.ds, nodeName);
        if (ctx.backoff.isInBackOff(key, ctx.now)) {
          ctx.requeueAfter(ctx.backoff.remaining(key, ctx.now));
          continue;
        }
        ctx.backoff.next(key, ctx.now);
        ctx.events.push({
          type: "Warning",
          reason: "FailedDaemonPod",
          message: `Found failed daemon pod ${namespacedName(pod)} on node ${nodeName}, will try to kill it`,
        });
        result.podsToDelete.push(toDelete(pod, "Failed"));
      } else if (phase === "Succeeded") {
        ctx.events.push({
          type: "Normal",
          reason: "SucceededDaemonPod",
          message: `Found succeeded daemon pod ${namespacedName(pod)} on node ${nodeName}, will try to delete it`,
        });
        result.podsToDelete.push(toDelete(pod, "Succeeded"));
      } else {
        running.push(pod);
      }
    }

    running.sort(compareByCreationTimestampAndPhase);
    if (!allowsSurge(ctx.ds)) {
      for (const pod of running.slice(1)) result.podsToDelete.push(toDelete(pod, "ExcessPod"));
      return result;
    }
    if (running.length <= 1) {
      // Surging: a node must keep at least one live pod, so a terminating one is replaced now.
      if (running.length === 0 && shouldRun) result.nodesNeedingDaemonPods.push(nodeName);
      return result;
    }
    pruneSurgePods(ctx, running, result);
    return result;
  }

  for (const pod of daemonPods ?? []) {
    if (!isDeleting(pod)) result.podsToDelete.push(toDelete(pod, "NodeNotEligible"));
  }
  return result;
}

/** Two pods may share a node while surging: the oldest new one and the oldest old one. */
function pruneSurgePods(ctx: PassContext, running: Pod[], result: NodeActions): void {
  let oldestNewPod: Pod | undefined;
  let oldestOldPod: Pod | undefined;
  for (const pod of running) {
    if (pod.metadata.labels?.[wellKnown.controllerRevisionHash] === ctx.hash) {
      if (oldestNewPod === undefined) {
        oldestNewPod = pod;
        continue;
      }
    } else if (oldestOldPod === undefined) {
      oldestOldPod = pod;
      continue;
    }
    result.podsToDelete.push(toDelete(pod, "ExcessPod"));
  }
  if (oldestNewPod === undefined || oldestOldPod === undefined) return;
  if (!isPodReady(oldestOldPod) || isPodAvailable(oldestNewPod, ctx.minReadySeconds, ctx.now)) {
    result.podsToDelete.push(toDelete(oldestOldPod, "SurgeReplaced"));
  }
}

export function manage(ctx: PassContext, byNode: NodeToDaemonPods): NodeActions {
  const result: NodeActions = { nodesNeedingDaemonPods: [], podsToDelete: [] };
  for (const node of ctx.nodes) {
    const onNode = podsShouldBeOnNode(ctx, node, byNode);
    result.nodesNeedingDaemonPods.push(...onNode.nodesNeedingDaemonPods);
    result.podsToDelete.push(...onNode.podsToDelete);
  }
  const existing = new Set(ctx.nodeByName.keys());
  for (const pod of getUnscheduledPodsWithoutNode(existing, byNode)) {
    result.podsToDelete.push(toDelete(pod, "UnscheduledOnMissingNode"));
  }
  return result;
}
