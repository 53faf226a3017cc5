/**
 * @module
 * The edge rollout rules around one RollingUpdate pass. {@link beginRollout} runs before the
 * rolling update: it reads the node states, the DaemonSet's {@link RolloutPolicy} and the
 * previous {@link RolloutRecord}, judges the rollout's health and computes the gates.
 * {@link finishRollout} runs after it: it records the offers the pass made (with each node's
 * readiness at that moment), progress, completion, and decides an automatic rollback.
 *
 * Without `rollout.edgeset.dev/*` annotations there are no gates and no conditions: only the
 * record's completion bookkeeping runs (the last fully available revision is what an automatic
 * rollback returns to, so it must be known before the annotations are added).
 *
 * @example
 * const pass = beginRollout(ctx, pods, input.rollout, revisions);
 * const actions = rollingUpdate(ctx, pods, pass?.gates);
 * const { record, rollback } = finishRollout(pass, actions, ctx);
 */
import { parseRolloutPolicy, type RolloutPolicy } from "../../resources/daemonset/rollout-policy.ts";
import { wellKnown, type ControllerRevision, type Pod, type PodTemplateSpec } from "../../resources/types.ts";
import type { PassContext } from "./context.ts";
import type { NodeActions } from "./manage.ts";
import { getNodesToDaemonPods } from "./node-pods.ts";
import { isPodAvailable } from "./pod-util.ts";
import { findUpdatedPodsOnNode } from "./rolling-update.ts";
import { noGates, onOldRevision, rolloutGates, type NodeRevisionState, type RolloutGates } from "./rollout-gates.ts";
import { stagedNodes } from "./prestage.ts";
import { judgeRollout, type Health } from "./rollout-health.ts";
import { isNodeReady, nextRecord, type RolloutRecord } from "./rollout-record.ts";
import type { RolloutPhase } from "./rollout-status.ts";
import { maxUnavailableAndSurge } from "./update-counts.ts";

/** Pre-staging: how long a node waits for its device to stage a revision, without a progress deadline. */
export const defaultPrestageWaitSeconds = 600;

export interface RolloutPass {
  policy?: RolloutPolicy;
  /** Desired nodes in name order. */
  states: NodeRevisionState[];
  gates: RolloutGates;
  record: RolloutRecord;
  health?: Health;
}

/** The template write an automatic rollback asks the shell for. */
export interface RollbackAction {
  revisionName: string;
  template: PodTemplateSpec;
  /** The revision's `kubernetes.io/change-cause`, if it had one. */
  changeCause?: string;
  message: string;
}

export function beginRollout(ctx: PassContext, pods: readonly Pod[], previous: RolloutRecord | undefined): RolloutPass | undefined {
  if (ctx.ds.spec.updateStrategy?.type !== "RollingUpdate" || !ctx.hash) return undefined;
  const byNode = getNodesToDaemonPods(pods, false);
  const states: NodeRevisionState[] = [];
  for (const node of ctx.nodes) {
    const name = node.metadata.name ?? "";
    const placement = ctx.placement(node);
    // An offline node carries the unreachable NoSchedule taint, so it is not desired (Kubernetes
    // counts its pod misscheduled); it still belongs to the rollout while its pod may continue.
    const offlineMember = !isNodeReady(node) && placement.shouldContinueRunning && (byNode.get(name)?.length ?? 0) > 0;
    if (!placement.shouldRun && !offlineMember) continue;
    states.push({ name, node, ...findUpdatedPodsOnNode(ctx, byNode.get(name) ?? []) });
  }
  const record = nextRecord(previous, ctx.hash, ctx.now);
  for (const name of Object.keys(record.offers)) if (!ctx.nodeByName.has(name)) delete record.offers[name];
  // A node offered the revision while offline has received it once it runs it while Ready: from
  // then on, going offline counts (the revision may be what broke it).
  for (const s of states) if (record.offers[s.name] === "offline" && s.newPod && isNodeReady(s.node)) record.offers[s.name] = "online";

  const policy = parseRolloutPolicy(ctx.ds.metadata.annotations).policy;
  if (!policy) return { states, gates: noGates, record };

  const desired = states.length;
  const prestageWaitMs = policy.prestage ? (policy.progressDeadlineSeconds ?? defaultPrestageWaitSeconds) * 1000 : undefined;
  let gates = rolloutGates({ policy, record, nodes: states, desired, now: ctx.now, failed: !!record.failed, prestageWaitMs });
  const health = judgeRollout({
    policy,
    record,
    nodes: states,
    free: gates.free,
    minReached: minReached(ctx, states, gates),
    waiting: states.some((s) => !gates.held.has(s.name) && !gates.free.has(s.name) && !isDone(ctx, s)),
    now: ctx.now,
    minReadySeconds: ctx.minReadySeconds,
  });
  if (health.failure) {
    record.failed = health.failure;
    ctx.events.push({ type: "Warning", reason: "RolloutFailed", message: health.failure.message });
    gates = rolloutGates({ policy, record, nodes: states, desired, now: ctx.now, failed: true, prestageWaitMs });
  }
  if (policy.prestage) gates = { ...gates, preferred: stagedNodes({ states }, ctx.hash) };
  if (health.nextCheckAt !== undefined) ctx.requeueAfter(health.nextCheckAt - ctx.now);
  if (gates.nextChangeAt !== undefined) ctx.requeueAfter(gates.nextChangeAt - ctx.now + 1);
  return { policy, states, gates, record, health };
}

/** The nodes a failure verdict waits for: the first wave (the budget), or every node allowed if fewer. */
function minReached(ctx: PassContext, states: readonly NodeRevisionState[], gates: RolloutGates): number {
  let budget = 1;
  try {
    const { maxSurge, maxUnavailable } = maxUnavailableAndSurge(ctx.ds, states.length);
    budget = Math.max(1, maxSurge > 0 ? maxSurge : maxUnavailable);
  } catch {
    // a malformed budget fails the rolling update itself; 1 is as good as any here.
  }
  const allowed = states.filter((s) => !(onOldRevision(s) && gates.held.has(s.name) && gates.held.get(s.name) !== "staging")).length;
  return Math.max(1, Math.min(budget, allowed));
}

const isDone = (ctx: PassContext, s: NodeRevisionState): boolean =>
  s.ok && !!s.newPod && !s.oldPod && isPodAvailable(s.newPod, ctx.minReadySeconds, ctx.now);

export interface RolloutOutcome {
  record: RolloutRecord;
  phase?: RolloutPhase;
  rollback?: RollbackAction;
}

export function finishRollout(
  pass: RolloutPass,
  actions: NodeActions,
  ctx: PassContext,
  revisions: readonly ControllerRevision[],
): RolloutOutcome {
  const { record, states, gates, policy } = pass;
  const nodeOfPod = new Map(states.flatMap((s) => (s.oldPod ? [[s.oldPod.metadata.uid ?? "", s] as const] : [])));
  const offered = [
    ...actions.podsToDelete.filter((d) => d.reason === "RollingUpdate").flatMap((d) => nodeOfPod.get(d.uid) ?? []),
    ...actions.nodesNeedingDaemonPods.flatMap((name) => states.find((s) => s.name === name && s.oldPod) ?? []),
  ];
  for (const s of offered) record.offers[s.name] = isNodeReady(s.node) ? "online" : "offline";
  // A node that gets its new pod while Ready receives the revision while online (a node offered
  // while offline, now back, included): from then on going offline counts.
  for (const name of actions.nodesNeedingDaemonPods) if (isNodeReady(ctx.nodeByName.get(name))) record.offers[name] = "online";

  const allDone = states.length > 0 && states.every((s) => isDone(ctx, s));
  const allowedDone = states.every((s) => (gates.held.has(s.name) && gates.held.get(s.name) !== "staging") || gates.free.has(s.name) || isDone(ctx, s));
  const onlyFreeLeft = states.every((s) => (gates.free.has(s.name) && !gates.held.has(s.name)) || isDone(ctx, s));
  // Complete for the strategy: every node it allows is available on the revision, and none is held.
  if (states.length > 0 && onlyFreeLeft) record.availableHash = record.hash;
  if (!policy) return { record };

  if (pass.health && pass.health.progressKey !== record.progressKey) {
    record.progressKey = pass.health.progressKey;
    record.progressAt = ctx.now;
  }
  const phase: RolloutPhase = record.failed ? "Failed" : policy.paused && !allDone ? "Paused" : allDone ? "Complete" : allowedDone ? "Held" : "Rolling";
  const outcome: RolloutOutcome = { record, phase };
  if (record.failed && policy.autoRollback && !record.rollbackTo) {
    const rollback = decideRollback(record, revisions, ctx);
    if (rollback) {
      outcome.rollback = rollback.action;
      record.rollbackTo = rollback.note;
      ctx.events.push({ type: "Warning", reason: "RolloutRolledBack", message: rollback.action.message });
    }
  }
  return outcome;
}

/**
 * Back to the last revision that completed, unless that is the current one (a rollback that
 * fails in turn stops there: no ping-pong) or it is gone from the history.
 */
function decideRollback(record: RolloutRecord, revisions: readonly ControllerRevision[], ctx: PassContext) {
  if (!record.availableHash || record.availableHash === record.hash || !record.failed) return undefined;
  const hashOf = (r: ControllerRevision) => r.metadata.labels?.[wellKnown.controllerRevisionHash];
  const target = revisions.find((r) => hashOf(r) === record.availableHash);
  const current = revisions.find((r) => hashOf(r) === record.hash);
  const data = target?.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined;
  if (!target || !data?.spec?.template) return undefined;
  const { $patch: _patch, ...template } = structuredClone(data.spec.template);
  if (template.metadata && template.metadata.creationTimestamp === null) delete template.metadata.creationTimestamp;
  const changeCause = target.metadata.annotations?.[wellKnown.changeCause];
  const message =
    `rollout of revision ${current?.revision ?? "?"} failed (${record.failed.reason}: ${record.failed.message}); ` +
    `rolled back to revision ${target.revision}${changeCause ? ` (${changeCause})` : ""}`;
  return {
    action: { revisionName: target.metadata.name ?? "", template, ...(changeCause ? { changeCause } : {}), message },
    note: { hash: record.availableHash, fromRevision: current?.revision ?? 0, toRevision: target.revision, message, at: ctx.now },
  };
}
