/**
 * @module
 * `syncDaemonSet`: one reconcile pass in the fixed Kubernetes order. A `{}` selector only warns;
 * a DaemonSet being deleted has its pods and revisions deleted (the garbage collector's job in
 * Kubernetes); otherwise constructHistory -> manage -> rollingUpdate (only when manage had
 * nothing to create or delete, which is what the expectations gate amounts to once every action
 * of a pass is applied before the next) -> binding (kube-scheduler's part: bind-pods.ts) ->
 * cleanupHistory -> status.
 *
 * @example
 * const plan = syncDaemonSet(input, deps); // index.ts: planDaemonSet(input) with the real placement
 */

import { bindDaemonPods, unschedulableRetryMs } from "./bind-pods.ts";
import { claimPods, claimRevisions } from "./claim.ts";
import { cleanupHistory } from "./cleanup-history.ts";
import { newPassContext, type PassContext } from "./context.ts";
import { constructHistory } from "./history.ts";
import { compileLabelSelector, isEmptySelector, type LabelMatcher } from "../../resources/label-selector.ts";
import { manage, toDelete, type NodeActions } from "./manage.ts";
import { newDaemonPod } from "./new-pod.ts";
import { getNodesToDaemonPods } from "./node-pods.ts";
import { mergePodPatches, mergeRevisionUpdates } from "./plan-merge.ts";
import { controllerOf, isDeleting } from "./pod-util.ts";
import { rollingUpdate } from "./rolling-update.ts";
import { beginRollout, finishRollout, type RolloutOutcome, type RolloutPass } from "./rollout.ts";
import { countRollout, rolloutConditions, sameConditions } from "./rollout-status.ts";
import { formatRolloutCounts } from "../../resources/daemonset/rollout-progress.ts";
import { rolloutStatusAnnotation } from "../../resources/daemonset/rollout-policy.ts";
import { computeDaemonSetStatus } from "./status.ts";
import { planPrestage } from "./prestage.ts";
import { isWaitHold } from "./rollout-gates.ts";
import { FailedPodBackoff } from "./backoff.ts";
import type { Plan, PlanEvent, PlannerDeps, PlannerInput } from "./types.ts";

/** `BurstReplicas`: the most creates, and the most deletes, one pass asks for. */
export const burstReplicas = 250;

export function inertPlan(input: PlannerInput, events: PlanEvent[] = []): Plan {
  return {
    createPods: [],
    bindPods: [],
    unschedulablePods: [],
    deletePods: [],
    patchPods: [],
    createRevisions: [],
    updateRevisions: [],
    deleteRevisions: [],
    status: undefined,
    events,
    failedPodBackoff: new FailedPodBackoff(input.failedPodBackoff).entries(input.now),
    currentHash: "",
  };
}

/** Cascading deletion: every pod and revision this DaemonSet controls goes; nothing is adopted. */
function planDeletion(input: PlannerInput): Plan {
  const uid = input.ds.metadata.uid;
  const maxDeletes = input.maxDeletes ?? burstReplicas;
  const owned = input.pods
    .filter((p) => controllerOf(p)?.uid === uid && !isDeleting(p))
    .sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1));
  const plan = inertPlan(input);
  plan.deletePods = owned.slice(0, maxDeletes).map((p) => toDelete(p, "DaemonSetDeleted"));
  plan.deleteRevisions = input.revisions
    .filter((r) => controllerOf(r)?.uid === uid)
    .map((r) => r.metadata.name ?? "")
    .sort();
  if (owned.length > maxDeletes) plan.requeueAfterMs = 0;
  return plan;
}

export function placementWarnings(ctx: PassContext): PlanEvent[] {
  const seen = new Set<string>();
  for (const node of ctx.nodes) for (const warning of ctx.placement(node).warnings) seen.add(warning);
  return [...seen].map((message) => ({ type: "Warning", reason: "FailedPlacement", message }));
}

export function syncDaemonSet(input: PlannerInput, deps: PlannerDeps): Plan {
  const { ds, now } = input;
  if (isEmptySelector(ds.spec.selector)) {
    return inertPlan(input, [
      {
        type: "Warning",
        reason: "SelectingAll",
        message: "This daemon set is selecting all pods. A non-empty selector is required.",
      },
    ]);
  }
  if (isDeleting(ds)) return planDeletion(input);

  let matches: LabelMatcher;
  try {
    matches = compileLabelSelector(ds.spec.selector);
  } catch (err) {
    return inertPlan(input, [{ type: "Warning", reason: "InvalidSelector", message: (err as Error).message }]);
  }

  const revisionClaim = claimRevisions(ds, input.revisions, matches);
  const podClaim = claimPods(ds, input.pods, matches);
  const history = constructHistory(ds, revisionClaim.claimed, input.revisions, podClaim.claimed);
  const updateRevisions = mergeRevisionUpdates([...revisionClaim.updates, ...history.updateRevisions]);
  if (history.collisionCount !== undefined) {
    // snapshot's AlreadyExists path: bump collisionCount and fail the pass; the next one rehashes.
    return { ...inertPlan(input), updateRevisions, collisionCount: history.collisionCount, requeueAfterMs: 0 };
  }

  const ctx = newPassContext(input, deps, history.hash);
  const pods = history.pods;
  ctx.events.push(...placementWarnings(ctx));

  const rollout = beginRollout(ctx, pods, input.rollout);
  let actions: NodeActions = manage(ctx, getNodesToDaemonPods(pods, false));
  let rollingUpdateFailed = false;
  const manageIdle = actions.nodesNeedingDaemonPods.length === 0 && actions.podsToDelete.length === 0;
  if (manageIdle && ds.spec.updateStrategy?.type === "RollingUpdate") {
    try {
      actions = rollingUpdate(ctx, pods, rollout?.gates);
    } catch {
      // Kubernetes returns the error: no rolling update and no history cleanup this pass.
      rollingUpdateFailed = true;
    }
  }

  const plan = inertPlan(input);
  syncNodes(ctx, actions, input, plan);
  const bound = bindDaemonPods(ctx, { creates: plan.createPods, pods, deleted: new Set(plan.deletePods.map((d) => d.uid)), world: input.world });
  plan.createPods = bound.createPods;
  plan.bindPods = bound.bindPods;
  plan.unschedulablePods = bound.unschedulablePods;
  if (bound.pending > 0) ctx.requeueAfter(unschedulableRetryMs);
  // Pods this pass replaces (deleted, or surged beside) are not told about the revision they get anyway.
  const replacing = new Set([
    ...plan.deletePods.map((d) => d.uid),
    ...plan.createPods.flatMap((p) => (rollout?.states.find((s) => s.name === p.spec.nodeName)?.oldPod?.metadata.uid ?? [])),
  ]);
  const prestage = planPrestage(ctx, rollout, pods, replacing, input.maxCreates ?? burstReplicas);
  if (prestage.more) ctx.requeueAfter(0);
  plan.patchPods = mergePodPatches([...podClaim.patches, ...history.podPatches, ...prestage.patches]);
  plan.createRevisions = history.createRevisions;
  plan.updateRevisions = updateRevisions;
  plan.deleteRevisions = [
    ...history.deleteRevisions,
    ...(rollingUpdateFailed ? [] : cleanupHistory(ds, history.old, pods)),
  ];

  const outcome = rollout ? finishRollout(rollout, actions, ctx, revisionClaim.claimed) : undefined;
  const excluded = rollout?.policy ? excludedNodes(rollout) : undefined;
  const status = computeDaemonSetStatus(
    { ds, nodes: ctx.nodes, pods, hash: history.hash, now, placement: ctx.placement, ...(excluded ? { excluded } : {}) },
    deps,
  );
  plan.status = status.shouldWrite ? status.status : undefined;
  if (rollout && outcome) applyRolloutOutcome(plan, status.status, rollout, outcome, ctx);
  if (status.requeueAfterMs !== undefined) ctx.requeueAfter(status.requeueAfterMs);
  plan.requeueAfterMs = ctx.requeue.afterMs;
  plan.events = ctx.events;
  plan.failedPodBackoff = ctx.backoff.entries(now);
  plan.currentHash = history.hash;
  return plan;
}

/** Held (but not by a pause, a failure or a staging wait) and offline-deferred nodes: outside the rollout's counts. */
function excludedNodes(rollout: RolloutPass): Set<string> {
  const out = new Set(rollout.gates.free);
  for (const [name, reason] of rollout.gates.held) if (!isWaitHold(reason)) out.add(name);
  return out;
}

/** The record, the rollback, and (with a policy) the conditions and the counts annotation. */
function applyRolloutOutcome(plan: Plan, computed: NonNullable<Plan["status"]>, rollout: RolloutPass, outcome: RolloutOutcome, ctx: PassContext): void {
  plan.rollout = outcome.record;
  if (outcome.rollback) plan.rollback = outcome.rollback;
  if (!outcome.phase) {
    // The policy was removed: what it wrote goes, and the status is Kubernetes' again.
    if (ctx.ds.metadata.annotations?.[rolloutStatusAnnotation] !== undefined) plan.rolloutStatusAnnotation = null;
    const kept = (ctx.ds.status?.conditions ?? []).filter((c) => c.type !== "Progressing" && c.type !== "RolledBack");
    if (kept.length !== (ctx.ds.status?.conditions?.length ?? 0)) plan.status = { ...(plan.status ?? computed), conditions: kept };
    return;
  }
  const counts = countRollout(rollout.states, rollout.gates, ctx.now, ctx.minReadySeconds, rollout.policy?.prestage ? (rollout.gates.preferred ?? new Set()) : undefined);
  const conditions = rolloutConditions(ctx.ds.status?.conditions, outcome.phase, outcome.record, counts, ctx.now);
  if (!sameConditions(conditions, ctx.ds.status?.conditions)) plan.status = { ...(plan.status ?? computed), conditions };
  else if (plan.status) plan.status = { ...plan.status, conditions: ctx.ds.status?.conditions ?? conditions };
  const text = formatRolloutCounts(counts);
  if (ctx.ds.metadata.annotations?.[rolloutStatusAnnotation] !== text) plan.rolloutStatusAnnotation = text;
}

/** `syncNodes` without the I/O: cap at BurstReplicas, build the pods, record the events. */
export function syncNodes(ctx: PassContext, actions: NodeActions, input: PlannerInput, plan: Plan): void {
  const maxCreates = input.maxCreates ?? burstReplicas;
  const maxDeletes = input.maxDeletes ?? burstReplicas;
  const creates = actions.nodesNeedingDaemonPods.slice(0, maxCreates);
  const deletes = actions.podsToDelete.slice(0, maxDeletes);
  plan.createPods = creates.map((nodeName) => newDaemonPod(ctx.ds, nodeName, ctx.hash, ctx.deps));
  plan.deletePods = deletes;
  for (const nodeName of creates) {
    ctx.events.push({ type: "Normal", reason: "SuccessfulCreate", message: `Created pod on node ${nodeName}` });
  }
  for (const pod of deletes) {
    ctx.events.push({ type: "Normal", reason: "SuccessfulDelete", message: `Deleted pod: ${pod.name}` });
  }
  // The rest waits for the next pass, which the applied actions would trigger anyway.
  if (creates.length < actions.nodesNeedingDaemonPods.length || deletes.length < actions.podsToDelete.length) {
    ctx.requeueAfter(0);
  }
}
