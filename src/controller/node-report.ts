/**
 * @module
 * The device side planned like the DaemonSet side: what a node report (a sync), an enrolment
 * over an existing Node, or a silent node changes, decided purely from what was read. The
 * handlers read: load → plan → commit → wake.
 *
 * - `applyNodeUpdate` is the one place a `NodeUpdate` becomes the Node to store. The Node is
 *   written whole over the version read (`nodeWrite`): a concurrent operator change aborts the
 *   transaction (the next sync or sweep starts from the fresh Node) instead of being merged into
 *   by JSON functions the store cannot run on every body (SQLite refuses JSON nested deeper than
 *   1000 levels).
 * - `planNodeReport` decides node fields, pod statuses (the control plane's clock on Ready
 *   transitions), finalized pods, mirror pods, events and which controllers to wake.
 * - `planEnrollment` creates or re-keys the Node of an enrolling device.
 * - `planNodeUnknown` is the node lifecycle's Ready=Unknown with the unreachable taints and
 *   MarkPodsNotReady.
 *
 * @example
 * const plan = planNodeReport(node, pods, request, now, () => crypto.randomUUID(), { namespaces, eventTtlMs });
 * await commit(db, plan.mirrorWrites, now); await commit(db, [...plan.writes, renewLeaseWrite], now);
 */
import type { EnrollRequest, SyncRequest } from "../protocol/agent.ts";
import { newEvent, type EventInput } from "../resources/events.ts";
import { rfc3339 } from "../resources/meta.ts";
import type { Node, Pod, Taint } from "../resources/types.ts";
import { wellKnown } from "../resources/types.ts";
import { refOf } from "../store/rows.ts";
import type { Write } from "../store/writes.ts";
import { planMirrorPods } from "./mirror-pods.ts";
import { markPodNotReady, nodeUpdateFromReport, podStatusFromReport, podStatusMatters, readyCondition, type NodeUpdate } from "./node-status.ts";
import { deferralChanged } from "./planner/rollout-record.ts";
import { podPresenceChanged, podsMovedByMirrorWrites } from "./pod-presence.ts";
import { ownerDaemonSet, type DaemonSetRef } from "./wake.ts";

/** Whom a committed plan wakes. */
export interface NodeWakes {
  /** DaemonSets whose pods' readiness, phase or existence changed. */
  daemonSets: DaemonSetRef[];
  /** Of those, the ones whose pod this report confirmed gone: the sync waits for their pass (a replacement). */
  replacements?: DaemonSetRef[];
  /** Pods that appeared on or left the node: what other DaemonSets' pod (anti-)affinity sees. */
  movedPods: Pod[];
  /** The Node before and after, when its placement-relevant fields (labels, taints, Ready) or its update deferral changed. */
  nodeChange?: { before: Node; after: Node };
  /** The node turned Ready: the node lifecycle must watch its lease. */
  lifecycle: boolean;
}

export interface NodePlan {
  /** One transaction: the Node, pod statuses, finalized pods, events. */
  writes: Write[];
  /** Mirror pods, in their own transaction (one bad static pod must not block the sync). */
  mirrorWrites: Write[];
  wakes: NodeWakes;
  /** The Node as the writes leave it. */
  after: Node;
}

export interface PlanContext {
  /** The namespaces that exist among those the mirrored static pods name. */
  namespaces: ReadonlySet<string>;
  /** How long an Event is kept. */
  eventTtlMs: number;
}

/** The Node a `NodeUpdate` leaves: agent-owned labels set and removed, taints, status. */
export function applyNodeUpdate(node: Node, update: NodeUpdate): Node {
  const labels = { ...node.metadata.labels, ...update.labels };
  for (const key of update.removeLabels ?? []) delete labels[key];
  return {
    ...node,
    metadata: { ...node.metadata, labels },
    spec: { ...node.spec, ...(update.taints ? { taints: update.taints } : {}) },
    status: update.status ?? node.status,
  };
}

/** Whether an update changes anything stored. */
const changesNode = (update: NodeUpdate) => !!(update.status || update.labels || update.removeLabels || update.taints);

/** Whether an update changes what placement sees (labels, taints, readiness). */
export const changesPlacement = (update: NodeUpdate) => !!(update.becameReady || update.taints || update.labels || update.removeLabels);

/** The write that stores `after` over the stored `node`, only if `node` is still the current version. */
export const nodeWrite = (node: Node, after: Node): Write => ({ op: "replace", object: after, expectedVersion: Number(node.metadata.resourceVersion) });

/**
 * Events named `<node>.<hex nanoseconds>`, as Kubernetes names them, made unique within one plan
 * (a sync may record one per refused static pod, all at the same `now`) by the event's index, and
 * across requests by 14 random bits taken from its uid.
 */
function eventWrites(node: Node, events: readonly { input: EventInput; component: string }[], now: number, ids: () => string, ttlMs: number): Write[] {
  return events.map(({ input, component }, index) => {
    const uid = ids();
    const random = (parseInt(uid.replace(/-/g, "").slice(0, 4), 16) || 0) % 15_625;
    const event = newEvent(node, input, component, now, uid);
    event.metadata.name = `${node.metadata.name}.${(BigInt(now) * 1_000_000n + BigInt(random * 64 + (index % 64))).toString(16)}`;
    return { op: "create", object: event, expiresAt: now + ttlMs };
  });
}

/** Everything one sync report changes; `pods` are the pods bound to the node, as read. */
export function planNodeReport(node: Node, pods: readonly Pod[], report: SyncRequest, now: number, ids: () => string, context: PlanContext): NodePlan {
  const name = node.metadata.name ?? "";
  const update = nodeUpdateFromReport(node, report.node, now);
  const after = applyNodeUpdate(node, update);
  const writes: Write[] = [];
  if (changesNode(update)) writes.push(nodeWrite(node, after));
  const events: { input: EventInput; component: string }[] = [];
  if (update.becameReady) events.push({ input: { type: "Normal", reason: "NodeReady", message: `Node ${name} status is now: NodeReady` }, component: "edgeset-agent" });

  const daemonSets: DaemonSetRef[] = [];
  const movedPods: Pod[] = [];
  const byUid = new Map(pods.map((pod) => [pod.metadata.uid, pod]));
  for (const reported of report.pods) {
    const stored = byUid.get(reported.uid);
    if (!stored) continue; // deleted meanwhile, or not this node's
    const status = podStatusFromReport(stored, reported.status, now);
    if (!status) continue;
    writes.push({ op: "setStatus", ref: refOf(stored), uid: stored.metadata.uid, status, mustExist: false });
    const owner = ownerDaemonSet(stored);
    if (owner && podStatusMatters(stored.status, status)) daemonSets.push(owner);
    if (podPresenceChanged(stored.status, status)) movedPods.push(stored);
  }
  const replacements: DaemonSetRef[] = [];
  for (const uid of report.terminated ?? []) {
    const stored = byUid.get(uid);
    if (!stored?.metadata.deletionTimestamp) continue; // only a pod being deleted is finalized by its node
    writes.push({ op: "delete", ref: refOf(stored), uid, mustExist: false });
    const owner = ownerDaemonSet(stored);
    if (owner) {
      daemonSets.push(owner);
      replacements.push(owner);
    }
    movedPods.push(stored);
  }

  const mirrors = planMirrorPods(node, pods, report.staticPods ?? [], now, ids, context.namespaces);
  movedPods.push(...podsMovedByMirrorWrites(pods, mirrors.writes));
  for (const message of mirrors.rejected) events.push({ input: { type: "Warning", reason: "FailedMirrorPod", message }, component: "edgeset-agent" });
  writes.push(...eventWrites(node, events, now, ids, context.eventTtlMs));

  return {
    writes,
    mirrorWrites: mirrors.writes,
    wakes: { daemonSets, ...(replacements.length ? { replacements } : {}), movedPods, ...(changesPlacement(update) || deferralChanged(node, after) ? { nodeChange: { before: node, after } } : {}), lifecycle: update.becameReady },
    after,
  };
}

/**
 * An enrolment: a new name creates the Node with the labels given (the kubelet's `--node-labels`)
 * and a RegisteredNode event; an existing Node is updated from the report and keeps its labels,
 * taints and pods. The credential and token statements are the handler's (they need the store).
 */
export function planEnrollment(existing: Node | undefined, request: EnrollRequest, now: number, ids: () => string, eventTtlMs: number): { writes: Write[]; node: Node } {
  const report = request.node ?? {};
  if (existing) {
    const node = applyNodeUpdate(existing, nodeUpdateFromReport(existing, report, now));
    return { writes: [nodeWrite(existing, node)], node };
  }
  const name = request.nodeName;
  const blank: Node = { apiVersion: "v1", kind: "Node", metadata: { name, uid: ids(), creationTimestamp: rfc3339(now), labels: { ...request.labels } }, spec: {}, status: {} };
  const node = applyNodeUpdate(blank, nodeUpdateFromReport(blank, report, now));
  const registered = { input: { type: "Normal" as const, reason: "RegisteredNode", message: `Node ${name} event: Registered Node ${name} in Controller` }, component: "node-controller" };
  return { writes: [{ op: "create", object: node }, ...eventWrites(node, [registered], now, ids, eventTtlMs)], node };
}

/** Adds the unreachable taints (NoSchedule and NoExecute), keeping the others. */
function withUnreachableTaints(taints: readonly Taint[], now: number): Taint[] {
  const key = wellKnown.taintUnreachable;
  const kept = taints.filter((t) => t.key !== key);
  return [...kept, { key, effect: "NoSchedule", timeAdded: rfc3339(now) }, { key, effect: "NoExecute", timeAdded: rfc3339(now) }];
}

/**
 * A node whose lease expired (the node lifecycle controller's `tryUpdateNodeHealth` and
 * `MarkPodsNotReady`): Ready=Unknown, the unreachable taints, every pod's Ready=False, an Event.
 * The DaemonSets of its pods and those whose placement the taints change are woken.
 */
export function planNodeUnknown(node: Node, pods: readonly Pod[], now: number, ids: () => string, eventTtlMs: number): NodePlan {
  const conditions = node.status?.conditions ?? [];
  const ready = readyCondition("Unknown", conditions.find((c) => c.type === "Ready"), now);
  const update: NodeUpdate = {
    status: { ...node.status, conditions: [...conditions.filter((c) => c.type !== "Ready"), ready] },
    taints: withUnreachableTaints(node.spec.taints ?? [], now),
    becameReady: false,
  };
  const after = applyNodeUpdate(node, update);
  const writes: Write[] = [nodeWrite(node, after)];
  for (const pod of pods) {
    const status = markPodNotReady(pod, now);
    if (status) writes.push({ op: "setStatus", ref: refOf(pod), uid: pod.metadata.uid, status, mustExist: false });
  }
  const name = node.metadata.name ?? "";
  writes.push(...eventWrites(node, [{ input: { type: "Normal", reason: "NodeNotReady", message: `Node ${name} status is now: NodeNotReady` }, component: "node-controller" }], now, ids, eventTtlMs));
  return {
    writes,
    mirrorWrites: [],
    wakes: { daemonSets: pods.map(ownerDaemonSet).filter((ref) => ref !== undefined), movedPods: [], nodeChange: { before: node, after }, lifecycle: false },
    after,
  };
}
