/**
 * @module
 * A planner's decisions as store writes, decided once and recorded in the controller's outbox
 * before anything is sent to D1. Pure: names, uids and the clock are inputs, so a recorded write
 * replays identically after a restart (a create whose name is already taken was applied).
 *
 * Deleting a bound pod is graceful: it gets a deletionTimestamp (now + its grace period) and stays
 * until its node reports the workload stopped, as the kubelet does. An unbound (Pending) pod runs
 * nowhere, so it is deleted at once.
 *
 * Binding a pending pod is a whole-object `replace` at the pod's resourceVersion (the store derives
 * the node column, which the node's sync reads, only from create and replace writes); if the pod
 * changed meanwhile the write is skipped and the next pass decides again. The scheduler's pod
 * Events (`Scheduled`, `FailedScheduling`) are recorded for pods bound late or left Pending.
 */
import { upcomingAnnotation } from "../protocol/prestage.ts";
import { podRef, refOf } from "../store/rows.ts";
import { newEvent } from "../resources/events.ts";
import { generateName, rfc3339 } from "../resources/meta.ts";
import { wellKnown, type ControllerRevision, type DaemonSet, type Pod } from "../resources/types.ts";
import { rolloutStatusAnnotation, templateGenerationOf, withTemplateGeneration } from "../resources/daemonset/index.ts";
import type { Write } from "../store/writes.ts";
import { scheduledCondition, withSchedulingCondition, type Plan, type RollbackAction } from "./planner/index.ts";
import { defaultTerminationGracePeriodSeconds } from "../protocol/pod-defaults.ts";

/** The writes the outbox can hold: plain JSON, replayable. */
export type RecordedWrite = Exclude<Write, { op: "statement" }>;

export interface WriteContext {
  now: number;
  newUid: () => string;
  random: () => number;
  eventTtlMs: number;
  /** Existing pods by name (for deletes and patches), to keep their current state. */
  pods: ReadonlyMap<string, Pod>;
  /** Event keys emitted recently (`reason/message`), so warnings are not repeated every pass. */
  recentEvents: ReadonlySet<string>;
}

/** Who records binding Events, as in Kubernetes. */
const schedulerName = "default-scheduler";
const revisionRef = (namespace: string, name: string) => ({ kind: "ControllerRevision", namespace, name });

export function writesForPlan(ds: DaemonSet, plan: Plan, ctx: WriteContext): { writes: RecordedWrite[]; emitted: string[] } {
  const namespace = ds.metadata.namespace ?? "default";
  const writes: RecordedWrite[] = [];
  const emitted: string[] = [];
  const event = (type: "Normal" | "Warning", reason: string, message: string, count = 1) => {
    const key = `${reason}/${message}`;
    if (type === "Warning" && ctx.recentEvents.has(key)) return;
    emitted.push(key);
    const object = newEvent(ds, { type, reason, message }, "daemonset-controller", ctx.now, ctx.newUid());
    writes.push({ op: "create", object: { ...object, count }, expiresAt: ctx.now + ctx.eventTtlMs });
  };
  // One Event per reason per pass for the pods created and deleted, as Kubernetes' event
  // correlator (EventAggregator) folds similar events: the count, and the last message prefixed.
  const created: string[] = [];
  const deleted: string[] = [];
  const aggregated = (reason: string, verb: string, names: readonly string[]) => {
    if (names.length === 1) event("Normal", reason, `${verb} pod: ${names[0]}`);
    else if (names.length > 1) event("Normal", reason, `(combined from similar events): ${verb} pod: ${names.at(-1)}`, names.length);
  };

  for (const revision of plan.createRevisions) writes.push({ op: "create", object: { ...revision, metadata: { ...revision.metadata, uid: ctx.newUid(), creationTimestamp: rfc3339(ctx.now) } } as ControllerRevision });
  for (const update of plan.updateRevisions) {
    const fields: [string[], unknown][] = [];
    if (update.revision !== undefined) fields.push([["revision"], update.revision]);
    if (update.labels) fields.push([["metadata", "labels"], update.labels]);
    if (update.ownerReferences) fields.push([["metadata", "ownerReferences"], update.ownerReferences]);
    if (fields.length) writes.push({ op: "setFields", ref: revisionRef(namespace, update.name), fields, mustExist: false });
  }

  const creates = plan.createPods.map((pod) => {
    const name = generateName(pod.metadata.generateName ?? `${ds.metadata.name}-`, ctx.random);
    return { ...pod, metadata: { ...pod.metadata, name, uid: ctx.newUid(), creationTimestamp: rfc3339(ctx.now), namespace } } as Pod;
  });
  const podEvent = (pod: Pod, type: "Normal" | "Warning", reason: string, message: string) => {
    const key = `pod:${pod.metadata.name}/${reason}/${message}`;
    if (type === "Warning" && ctx.recentEvents.has(key)) return;
    emitted.push(key);
    writes.push({ op: "create", object: newEvent(pod, { type, reason, message }, schedulerName, ctx.now, ctx.newUid()), expiresAt: ctx.now + ctx.eventTtlMs });
  };
  const pending: [Pod, string][] = [];

  for (const pod of creates) {
    writes.push({ op: "create", object: pod });
    created.push(pod.metadata.name ?? "");
    const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    if (scheduled?.status === "False") pending.push([pod, scheduled.message ?? ""]);
  }
  aggregated("SuccessfulCreate", "Created", created);
  for (const [pod, message] of pending) podEvent(pod, "Warning", "FailedScheduling", message);

  for (const binding of plan.bindPods) {
    const pod = ctx.pods.get(binding.name);
    if (!pod || pod.metadata.uid !== binding.uid) continue;
    const bound: Pod = { ...pod, spec: { ...pod.spec, nodeName: binding.nodeName }, status: withSchedulingCondition(pod, scheduledCondition(ctx.now)) };
    const expectedVersion = Number(pod.metadata.resourceVersion);
    writes.push({ op: "replace", object: bound, ...(Number.isFinite(expectedVersion) && expectedVersion > 0 ? { expectedVersion } : {}) });
    podEvent(pod, "Normal", "Scheduled", `Successfully assigned ${namespace}/${binding.name} to ${binding.nodeName}`);
  }
  for (const unschedulable of plan.unschedulablePods) {
    const pod = ctx.pods.get(unschedulable.name);
    if (!pod || pod.metadata.uid !== unschedulable.uid) continue;
    writes.push({ op: "setStatus", ref: podRef(namespace, unschedulable.name), uid: unschedulable.uid, status: withSchedulingCondition(pod, unschedulable.condition), mustExist: false });
    podEvent(pod, "Warning", "FailedScheduling", unschedulable.condition.message ?? "");
  }

  for (const patch of plan.patchPods) {
    const pod = ctx.pods.get(patch.name);
    if (!pod) continue;
    // Label by label, so a label someone else sets on the pod meanwhile survives.
    const fields: [string[], unknown][] = [];
    const remove: string[][] = [];
    for (const [key, value] of Object.entries(patch.labels ?? {})) {
      if (value === null) remove.push(["metadata", "labels", key]);
      else fields.push([["metadata", "labels", key], value]);
    }
    if (patch.ownerReferences !== undefined) fields.push([["metadata", "ownerReferences"], patch.ownerReferences ?? []]);
    if (patch.upcoming?.value === null) remove.push(["metadata", "annotations", upcomingAnnotation]);
    else if (patch.upcoming) fields.push([["metadata", "annotations", upcomingAnnotation], patch.upcoming.value]);
    const configRefs = patch.upcoming && pod.spec.nodeName ? { configRefs: { nodeName: pod.spec.nodeName, refs: patch.upcoming.configRefs } } : {};
    if (fields.length || remove.length) writes.push({ op: "setFields", ref: podRef(namespace, patch.name), uid: patch.uid, fields, remove, mustExist: false, ...configRefs });
  }

  for (const del of plan.deletePods) {
    const pod = ctx.pods.get(del.name);
    if (pod && !pod.spec.nodeName) {
      writes.push({ op: "delete", ref: podRef(namespace, del.name), uid: del.uid, mustExist: false });
      deleted.push(del.name);
      continue;
    }
    const grace = pod?.spec.terminationGracePeriodSeconds ?? defaultTerminationGracePeriodSeconds;
    writes.push({
      op: "setFields",
      ref: podRef(namespace, del.name),
      uid: del.uid,
      fields: [
        [["metadata", "deletionTimestamp"], rfc3339(ctx.now + grace * 1000)],
        [["metadata", "deletionGracePeriodSeconds"], grace],
      ],
      mustExist: false,
    });
    deleted.push(del.name);
  }
  aggregated("SuccessfulDelete", "Deleted", deleted);

  for (const name of plan.deleteRevisions) writes.push({ op: "delete", ref: revisionRef(namespace, name), mustExist: false });

  // The planner's create/delete events name pods before they have names; ours above replace them.
  for (const e of plan.events) if (e.reason !== "SuccessfulCreate" && e.reason !== "SuccessfulDelete") event(e.type, e.reason, e.message);

  if (plan.rollback) writes.push(rollbackWrite(ds, plan.rollback));
  if (plan.rolloutStatusAnnotation !== undefined) {
    const path = ["metadata", "annotations", rolloutStatusAnnotation];
    writes.push({ op: "setFields", ref: { kind: "DaemonSet", namespace, name: ds.metadata.name ?? "" }, uid: ds.metadata.uid, fields: plan.rolloutStatusAnnotation === null ? [] : [[path, plan.rolloutStatusAnnotation]], ...(plan.rolloutStatusAnnotation === null ? { remove: [path] } : {}), mustExist: false });
  }

  if (plan.status || plan.collisionCount !== undefined) {
    const status = { ...(plan.status ?? ds.status), ...(plan.collisionCount !== undefined ? { collisionCount: plan.collisionCount } : {}) };
    writes.push({ op: "setStatus", ref: { kind: "DaemonSet", namespace, name: ds.metadata.name ?? "" }, uid: ds.metadata.uid, status, mustExist: false });
  }
  return { writes, emitted };
}

/**
 * An automatic rollback as `kubectl rollout undo` leaves the DaemonSet: the revision's template,
 * generation and template generation bumped (what the API's update strategy does), and the
 * revision's change-cause. Only at the version the pass read: an edit meanwhile wins.
 */
function rollbackWrite(ds: DaemonSet, rollback: RollbackAction): RecordedWrite {
  const annotations = { ...ds.metadata.annotations };
  if (rollback.changeCause) annotations[wellKnown.changeCause] = rollback.changeCause;
  else delete annotations[wellKnown.changeCause];
  const next = withTemplateGeneration({ ...ds, metadata: { ...ds.metadata, annotations, generation: (ds.metadata.generation ?? 0) + 1 }, spec: { ...ds.spec, template: rollback.template } }, templateGenerationOf(ds) + 1);
  const expectedVersion = Number(ds.metadata.resourceVersion);
  return { op: "replace", object: next, ...(Number.isFinite(expectedVersion) && expectedVersion > 0 ? { expectedVersion } : {}) };
}

/** Orphaning (propagationPolicy Orphan): the deleted DaemonSet's pods and revisions lose their owner. */
export function writesForOrphaning(uid: string, pods: readonly Pod[], revisions: readonly ControllerRevision[]): RecordedWrite[] {
  const release = (refs: { uid: string }[] | undefined) => (refs ?? []).filter((r) => r.uid !== uid);
  return [
    ...pods.map((pod) => ({
      op: "setFields" as const,
      ref: refOf(pod),
      uid: pod.metadata.uid,
      fields: [[["metadata", "ownerReferences"], release(pod.metadata.ownerReferences)]] as [string[], unknown][],
      mustExist: false,
    })),
    ...revisions.map((cr) => ({
      op: "setFields" as const,
      ref: revisionRef(cr.metadata.namespace ?? "", cr.metadata.name ?? ""),
      fields: [[["metadata", "ownerReferences"], release(cr.metadata.ownerReferences)]] as [string[], unknown][],
      mustExist: false,
    })),
  ];
}

/** Whether a plan changed anything a next pass must observe (the expectations of Kubernetes). */
export const planActed = (plan: Plan): boolean =>
  plan.createPods.length + plan.bindPods.length + plan.deletePods.length + plan.patchPods.length + plan.createRevisions.length + plan.updateRevisions.length + plan.deleteRevisions.length > 0 ||
  plan.collisionCount !== undefined ||
  plan.rollback !== undefined;

/** The names of the pods of `namespace` these writes create or change: what the next pass re-reads. */
export function podsWritten(writes: readonly RecordedWrite[], namespace: string): string[] {
  const names: string[] = [];
  for (const write of writes) {
    const target = "object" in write ? { kind: write.object.kind, namespace: write.object.metadata.namespace, name: write.object.metadata.name } : write.ref;
    if (target.kind === "Pod" && (target.namespace ?? "default") === namespace && target.name) names.push(target.name);
  }
  return names;
}
