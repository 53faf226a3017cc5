/**
 * @module
 * `planNodeChanges`: the pass of syncDaemonSet (sync.ts) for a fleet in which only some nodes
 * changed, planned over those nodes alone, with the fleet-wide numbers (status, the rolling
 * update's budget, rollout completion) taken from running counts (fleet-counts.ts). It returns the
 * plan the full pass would, or undefined when it cannot be sure to, and the caller runs the full
 * pass: a DaemonSet being deleted or selecting nothing, a rollout policy, history to write, a
 * rolling update in progress (old pods anywhere: the budget is fleet-wide), counts from another
 * generation, or too many nodes to re-plan.
 *
 * Why the plans are equal: every step of the full pass is per node, in node-name order, or a sum
 * over nodes. Nodes outside `active` are settled (their summary says the planner does nothing
 * there and nothing about them changes with time), so their part of every list is empty and their
 * part of every sum is their summary. The caller puts in `active` the changed names, the names the
 * changed pods target, and `counts.unsettled`. local-pass.test.ts checks it case by case.
 *
 * @example
 * const plan = planNodeChanges({ ...input, nodes: activeNodes, pods: activePods }, counts, active, deps)
 *   ?? planDaemonSet(fullInput, deps);
 */
import { compileLabelSelector, isEmptySelector, type LabelMatcher } from "../../resources/label-selector.ts";
import { parseRolloutPolicy, rolloutStatusAnnotation } from "../../resources/daemonset/rollout-policy.ts";
import { bindDaemonPods, unschedulableRetryMs } from "./bind-pods.ts";
import { claimPods, claimRevisions } from "./claim.ts";
import { defaultRevisionHistoryLimit } from "./cleanup-history.ts";
import { newPassContext } from "./context.ts";
import { FleetCounts, fleetKey, summarizeNode, type NodeSummary } from "./fleet-counts.ts";
import { constructHistory } from "./history.ts";
import { manage, type NodeActions } from "./manage.ts";
import { getNodesToDaemonPods } from "./node-pods.ts";
import { mergeRevisionUpdates } from "./plan-merge.ts";
import { getTargetNodeName, isDeleting } from "./pod-util.ts";
import { isNodeReady, nextRecord } from "./rollout-record.ts";
import { findUpdatedPodsOnNode } from "./rolling-update.ts";
import { earliestAvailability, statusFromCounts } from "./status.ts";
import { inertPlan, placementWarnings, syncNodes } from "./sync.ts";
import type { Plan, PlannerDeps, PlannerInput } from "./types.ts";

/** More names than this and the full pass is as cheap. */
export const maxActiveNodes = 500;

export interface LocalPass {
  plan: Plan;
  /** The new summaries of the active names (undefined: gone), for `counts` once the plan is recorded. */
  summaries: Map<string, NodeSummary | undefined>;
}

/**
 * @param input the full pass's input, except `nodes` and `pods`: the active nodes that exist, and
 *   every pod of the view that targets an active name.
 * @param active the names to re-plan; must include `counts.unsettled`.
 */
export function planNodeChanges(input: PlannerInput, counts: FleetCounts, active: ReadonlySet<string>, deps: PlannerDeps): LocalPass | undefined {
  const { ds, now } = input;
  if (active.size > maxActiveNodes || isEmptySelector(ds.spec.selector) || isDeleting(ds)) return undefined;
  for (const name of counts.unsettled) if (!active.has(name)) return undefined;
  if (parseRolloutPolicy(ds.metadata.annotations).policy || ds.metadata.annotations?.[rolloutStatusAnnotation] !== undefined) return undefined;
  if ((ds.status?.conditions ?? []).some((c) => c.type === "Progressing" || c.type === "RolledBack")) return undefined;
  let matches: LabelMatcher;
  try {
    matches = compileLabelSelector(ds.spec.selector);
  } catch {
    return undefined;
  }

  const revisionClaim = claimRevisions(ds, input.revisions, matches);
  const podClaim = claimPods(ds, input.pods, matches);
  const history = constructHistory(ds, revisionClaim.claimed, input.revisions, podClaim.claimed);
  const revisionWrites = mergeRevisionUpdates([...revisionClaim.updates, ...history.updateRevisions]);
  if (history.collisionCount !== undefined || revisionWrites.length || history.createRevisions.length || history.deleteRevisions.length || history.podPatches.length) return undefined;
  if (history.old.length > (ds.spec.revisionHistoryLimit ?? defaultRevisionHistoryLimit)) return undefined;
  if (counts.key !== fleetKey(ds, history.hash)) return undefined;
  const pods = history.pods;
  if (pods.some((pod) => !active.has(getTargetNodeName(pod) ?? ""))) return undefined;

  const summaries = new Map<string, NodeSummary | undefined>();
  const scratch = newPassContext(input, deps, history.hash);
  const byNode = getNodesToDaemonPods(pods, false);
  const patched = new Set(podClaim.patches.map((p) => p.name));
  for (const name of active) {
    const node = scratch.nodeByName.get(name);
    const onNode = byNode.get(name) ?? [];
    summaries.set(name, node || onNode.length ? summarizeNode(scratch, name, node, onNode, onNode.some((p) => patched.has(p.metadata.name ?? ""))) : undefined);
  }
  const totals = counts.totalsWith(summaries);
  // A rolling update's budget and candidates are fleet-wide: the full pass plans it.
  if (totals.old > 0) return undefined;

  const ctx = newPassContext(input, deps, history.hash);
  ctx.events.push(...placementWarnings(ctx));
  const rollingUpdate = ds.spec.updateStrategy?.type === "RollingUpdate";
  const record = rollingUpdate && history.hash ? nextRecord(input.rollout, history.hash, now) : undefined;
  if (record) {
    for (const name of active) if (!ctx.nodeByName.has(name)) delete record.offers[name];
    for (const name of active) {
      const node = ctx.nodeByName.get(name);
      if (record.offers[name] === "offline" && summaries.get(name)?.rolloutMember && findUpdatedPodsOnNode(ctx, byNode.get(name) ?? []).newPod && isNodeReady(node)) record.offers[name] = "online";
    }
  }

  const actions: NodeActions = manage(ctx, byNode);
  // With no old pod anywhere the rolling update plans nothing, and cleanupHistory has nothing to
  // delete within the history limit whether or not a malformed budget fails the rolling update.

  const plan = inertPlan(input);
  syncNodes(ctx, actions, input, plan);
  const bound = bindDaemonPods(ctx, { creates: plan.createPods, pods, deleted: new Set(plan.deletePods.map((d) => d.uid)), world: input.world });
  plan.createPods = bound.createPods;
  plan.bindPods = bound.bindPods;
  plan.unschedulablePods = bound.unschedulablePods;
  if (bound.pending > 0) ctx.requeueAfter(unschedulableRetryMs);
  plan.patchPods = podClaim.patches;

  if (record) {
    for (const name of actions.nodesNeedingDaemonPods) if (isNodeReady(ctx.nodeByName.get(name))) record.offers[name] = "online";
    if (totals.rolloutMember > 0 && totals.rolloutDone === totals.rolloutMember) record.availableHash = record.hash;
    plan.rollout = record;
  }
  const status = statusFromCounts(ds, totals);
  const nextAvailable = earliestAvailability(byNode.values(), ctx.minReadySeconds, now);
  plan.status = status.shouldWrite ? status.status : undefined;
  if (nextAvailable !== undefined) ctx.requeueAfter(nextAvailable - now + 1000);
  plan.requeueAfterMs = ctx.requeue.afterMs;
  plan.events = ctx.events;
  plan.failedPodBackoff = ctx.backoff.entries(now);
  plan.currentHash = history.hash;
  return { plan, summaries };
}

/**
 * The running counts of a full pass's input (claim and history as the pass makes them), or
 * undefined when a local pass could not use them anyway (no revision yet, an invalid selector).
 */
export function countFleet(input: PlannerInput, deps: PlannerDeps): FleetCounts | undefined {
  const { ds } = input;
  if (isEmptySelector(ds.spec.selector) || isDeleting(ds)) return undefined;
  let matches: LabelMatcher;
  try {
    matches = compileLabelSelector(ds.spec.selector);
  } catch {
    return undefined;
  }
  const podClaim = claimPods(ds, input.pods, matches);
  const history = constructHistory(ds, claimRevisions(ds, input.revisions, matches).claimed, input.revisions, podClaim.claimed);
  if (history.collisionCount !== undefined || !history.hash) return undefined;
  return FleetCounts.build(newPassContext(input, deps, history.hash), history.pods, new Set(podClaim.patches.map((p) => p.name)));
}

/** The input of a local pass over `active`: the nodes of those names, and the pods that target them. */
export function restrictInput(input: PlannerInput, active: ReadonlySet<string>): PlannerInput {
  return {
    ...input,
    nodes: input.nodes.filter((n) => active.has(n.metadata.name ?? "")),
    pods: input.pods.filter((p) => active.has(getTargetNodeName(p) ?? "")),
  };
}
