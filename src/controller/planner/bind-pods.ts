/**
 * @module
 * Binding: the part of kube-scheduler daemon pods need, since edgeset has none. The controller
 * creates each pod aimed at its node (the `metadata.name` node affinity term); here it is bound
 * (`spec.nodeName`, which is what the node's agent syncs) when it passes the scheduler's filters
 * on that node, or left Pending and unbound with PodScheduled=False / Unschedulable and a message
 * naming the failing term. Pending pods are tried again on every pass, so one binds as soon as a
 * pod its required podAffinity wants appears in the domain (or the pod its anti-affinity forbids
 * is gone).
 *
 * Invariants:
 * * A bound pod is never unbound or moved: required terms are IgnoredDuringExecution.
 * * Pods are placed one at a time, each seeing those placed before it, as the scheduler's queue
 *   does: pending pods first (oldest first), then this pass's creates in node-name order. So a
 *   self anti-affinity on a zone binds one pod per zone even when the whole zone is created at once.
 *
 * @example
 * const { createPods, bindPods, unschedulablePods, pending } =
 *   bindDaemonPods(ctx, { creates, pods: claimed, deleted: new Set(uids), world: input.world });
 */

import { rfc3339 } from "../../resources/meta.ts";
import type { Node, Pod, PodCondition } from "../../resources/types.ts";
import type { IncomingPod, PodAffinityWorld } from "../../scheduling/index.ts";
import type { PassContext } from "./context.ts";
import { compareByCreationTimestampAndPhase, getTargetNodeName, isDeleting, isPodTerminal } from "./pod-util.ts";
import type { PodBinding, PodUnschedulable, SchedulingWorld } from "./types.ts";

/** How long a pending pod waits for a retry when nothing wakes its DaemonSet (the scheduler's unschedulable-queue flush). */
export const unschedulableRetryMs = 5 * 60_000;

export interface BindInput {
  /** This pass's creates, each bound to its target node by newDaemonPod. */
  creates: readonly Pod[];
  /** The DaemonSet's claimed pods. */
  pods: readonly Pod[];
  /** Uids this pass deletes: not worth binding. */
  deleted: ReadonlySet<string>;
  world: SchedulingWorld | undefined;
}

export interface BindResult {
  createPods: Pod[];
  bindPods: PodBinding[];
  unschedulablePods: PodUnschedulable[];
  /** Pods left Pending (creates and existing ones). */
  pending: number;
}

const podScheduled = "PodScheduled";

/** The condition the scheduler's bind leaves on a pod. */
export const scheduledCondition = (now: number): PodCondition => ({ type: podScheduled, status: "True", lastProbeTime: null, lastTransitionTime: rfc3339(now) });

/** The condition the scheduler's failure handler writes (`reason: Unschedulable`), keeping the transition time while it stays False. */
export function unschedulableCondition(message: string, previous: PodCondition | undefined, now: number): PodCondition {
  const since = previous?.status === "False" && previous.lastTransitionTime ? previous.lastTransitionTime : rfc3339(now);
  return { type: podScheduled, status: "False", lastProbeTime: null, lastTransitionTime: since, reason: "Unschedulable", message };
}

const scheduledConditionOf = (pod: Pod): PodCondition | undefined => pod.status?.conditions?.find((c) => c.type === podScheduled);

/** The pod with `PodScheduled` replaced by `condition`. */
export function withSchedulingCondition(pod: Pod, condition: PodCondition): NonNullable<Pod["status"]> {
  const others = (pod.status?.conditions ?? []).filter((c) => c.type !== podScheduled);
  return { ...pod.status, phase: pod.status?.phase ?? "Pending", conditions: [condition, ...others] };
}

function incoming(pod: Pod, namespace: string): IncomingPod {
  return { namespace, name: pod.metadata.name, uid: pod.metadata.uid, labels: pod.metadata.labels, spec: { ...pod.spec, nodeName: undefined } };
}

const onNode = (pod: Pod, nodeName: string): Pod => ({ ...pod, spec: { ...pod.spec, nodeName } });

export function bindDaemonPods(ctx: PassContext, input: BindInput): BindResult {
  const namespace = ctx.ds.metadata.namespace ?? "default";
  const placed: Pod[] = input.world ? [...input.world.pods] : [];
  const world: PodAffinityWorld | undefined = input.world && { nodes: ctx.nodeByName, pods: placed, namespaces: input.world.namespaces };
  const fit = (pod: Pod, node: Node) => ctx.deps.podFitsNode(incoming(pod, namespace), node, world);
  const result: BindResult = { createPods: [], bindPods: [], unschedulablePods: [], pending: 0 };

  const waiting = input.pods
    .filter((p) => !p.spec.nodeName && !isDeleting(p) && !isPodTerminal(p) && !input.deleted.has(p.metadata.uid ?? ""))
    .sort(compareByCreationTimestampAndPhase);
  for (const pod of waiting) {
    const nodeName = getTargetNodeName(pod);
    const node = nodeName === undefined ? undefined : ctx.nodeByName.get(nodeName);
    if (!node || nodeName === undefined) continue; // manage deletes pods aimed at a missing node
    const fits = fit(pod, node);
    if (fits.fits) {
      result.bindPods.push({ name: pod.metadata.name ?? "", uid: pod.metadata.uid ?? "", nodeName });
      placed.push(onNode(pod, nodeName));
      continue;
    }
    result.pending++;
    const previous = scheduledConditionOf(pod);
    if (previous?.status !== "False" || previous.reason !== "Unschedulable" || previous.message !== fits.message) {
      result.unschedulablePods.push({ name: pod.metadata.name ?? "", uid: pod.metadata.uid ?? "", condition: unschedulableCondition(fits.message, previous, ctx.now) });
    }
  }

  for (const created of input.creates) {
    const nodeName = created.spec.nodeName ?? getTargetNodeName(created) ?? "";
    const node = ctx.nodeByName.get(nodeName);
    const fits = node ? fit(created, node) : ({ fits: false, message: "node not found" } as const);
    if (fits.fits) {
      result.createPods.push({ ...onNode(created, nodeName), status: withSchedulingCondition(created, scheduledCondition(ctx.now)) });
      placed.push(onNode(created, nodeName));
      continue;
    }
    result.pending++;
    const { nodeName: _unbound, ...spec } = created.spec;
    const pod: Pod = { ...created, spec };
    result.createPods.push({ ...pod, status: withSchedulingCondition(pod, unschedulableCondition(fits.message, undefined, ctx.now)) });
  }
  return result;
}
