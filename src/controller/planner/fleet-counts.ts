/**
 * @module
 * Running counts over a DaemonSet's fleet, kept between passes so a pass triggered by a few
 * nodes' changes (local-pass.ts) plans those nodes only and still writes the status and budget a
 * pass over the whole fleet would. One {@link NodeSummary} per node name (every node, and every
 * name a pod targets), the totals of them all, and the names a local pass must always re-plan
 * (`unsettled`): nodes the planner would act on, or whose counts change with time.
 *
 * Invariant: `totals` is the sum of `summaries`; every summary was computed for the DaemonSet
 * generation and revision in `key`. A summary is a pure function of (DaemonSet, node, its pods,
 * now), and only nodes in `unsettled` depend on `now`.
 *
 * @example
 * const counts = FleetCounts.build(input, deps, hash); // after a full pass
 * const plan = planNodeChanges(input, counts, ["edge-7"], deps) ?? planDaemonSet(fullInput, deps);
 */
import type { DaemonSet, Node, Pod } from "../../resources/types.ts";
import type { PassContext } from "./context.ts";
import { podsShouldBeOnNode } from "./manage.ts";
import { getNodesToDaemonPods } from "./node-pods.ts";
import { compareByCreationTimestampAndPhase, getTargetNodeName, isPodAvailable, isPodReady, isPodUpdated, podAvailableAt } from "./pod-util.ts";
import { findUpdatedPodsOnNode } from "./rolling-update.ts";
import { isNodeReady } from "./rollout-record.ts";

/** What one node adds to the DaemonSet's status and to the rollout's completion. */
export interface NodeSummary {
  desired: number;
  current: number;
  misscheduled: number;
  ready: number;
  available: number;
  updated: number;
  /** Live pods of another revision (a rolling update has work here). */
  old: number;
  /** A member of the rollout (desired, or offline with a pod that may continue), and done with it. */
  rolloutMember: number;
  rolloutDone: number;
  /** The planner would act here, warn about it, wait on a timer for it, or its counts change with time. */
  unsettled: boolean;
}

export type Totals = Omit<NodeSummary, "unsettled">;

const zero = (): Totals => ({ desired: 0, current: 0, misscheduled: 0, ready: 0, available: 0, updated: 0, old: 0, rolloutMember: 0, rolloutDone: 0 });
const fields = Object.keys(zero()) as (keyof Totals)[];

/** `${uid}/${generation}/${hash}`: what every summary depends on besides its node and pods. */
export const fleetKey = (ds: DaemonSet, hash: string): string => `${ds.metadata.uid ?? ""}/${ds.metadata.generation ?? 0}/${hash}`;

/**
 * One node's summary, with the same rules as the full pass: status.ts counts from the oldest pod,
 * manage.ts decides (run on a scratch context, so its backoff, events and requeue tell whether it
 * would act), rollout.ts judges membership and completion.
 */
export function summarizeNode(ctx: PassContext, name: string, node: Node | undefined, pods: readonly Pod[], patched: boolean): NodeSummary {
  const s: NodeSummary = { ...zero(), unsettled: patched };
  const placement = node ? ctx.placement(node) : undefined;
  const byNode = new Map([[name, [...pods]]]);
  if (pods.some((p) => !p.spec.nodeName)) s.unsettled = true;
  const timed = ctx.minReadySeconds > 0 && pods.some((p) => (podAvailableAt(p, ctx.minReadySeconds) ?? 0) > ctx.now);
  if (timed) s.unsettled = true;
  const found = findUpdatedPodsOnNode(ctx, pods);
  if (found.oldPod || !found.ok) s.old = 1;
  if (!node || !placement) {
    if (pods.length > 0) s.unsettled = true;
    return s;
  }
  if (placement.warnings.length > 0) s.unsettled = true;
  const events = ctx.events.length;
  ctx.requeue.afterMs = undefined;
  const actions = podsShouldBeOnNode(ctx, node, pods.length ? byNode : new Map());
  if (actions.nodesNeedingDaemonPods.length || actions.podsToDelete.length || ctx.events.length !== events || ctx.requeue.afterMs !== undefined) s.unsettled = true;
  ctx.events.length = events;
  if (!placement.shouldRun) {
    if (pods.length > 0) s.misscheduled = 1;
  } else {
    s.desired = 1;
    if (pods.length > 0) {
      s.current = 1;
      const oldest = [...pods].sort(compareByCreationTimestampAndPhase)[0]!;
      if (isPodReady(oldest)) {
        s.ready = 1;
        if (isPodAvailable(oldest, ctx.minReadySeconds, ctx.now)) s.available = 1;
      }
      if (isPodUpdated(oldest, ctx.hash, ctx.generation)) s.updated = 1;
    }
  }
  const offlineMember = !isNodeReady(node) && placement.shouldContinueRunning && pods.length > 0;
  if (placement.shouldRun || offlineMember) {
    s.rolloutMember = 1;
    if (found.ok && found.newPod && !found.oldPod && isPodAvailable(found.newPod, ctx.minReadySeconds, ctx.now)) s.rolloutDone = 1;
  }
  return s;
}

export class FleetCounts {
  private readonly summaries = new Map<string, NodeSummary>();
  readonly totals: Totals = zero();
  /** Names whose summary is unsettled: every local pass plans them again. */
  readonly unsettled = new Set<string>();

  readonly key: string;

  constructor(key: string) {
    this.key = key;
  }

  /**
   * Counts over every node and every name the claimed pods target, for the pass context of a full
   * pass. `ctx` is used as a scratch context (its backoff table may advance): hand in a fresh one.
   */
  static build(ctx: PassContext, claimed: readonly Pod[], patchedPods: ReadonlySet<string>): FleetCounts {
    const counts = new FleetCounts(fleetKey(ctx.ds, ctx.hash));
    const byNode = getNodesToDaemonPods(claimed, false);
    for (const node of ctx.nodes) {
      const name = node.metadata.name ?? "";
      counts.set(name, summarizeNode(ctx, name, node, byNode.get(name) ?? [], patched(byNode.get(name), patchedPods)));
    }
    for (const [name, pods] of byNode) if (!ctx.nodeByName.has(name)) counts.set(name, summarizeNode(ctx, name, undefined, pods, patched(pods, patchedPods)));
    if (claimed.some((pod) => getTargetNodeName(pod) === undefined)) counts.set("", { ...zero(), unsettled: true });
    return counts;
  }

  get size(): number {
    return this.summaries.size;
  }

  summary(name: string): NodeSummary | undefined {
    return this.summaries.get(name);
  }

  /** The totals with these names' summaries replaced (undefined: the name is gone). */
  totalsWith(replaced: ReadonlyMap<string, NodeSummary | undefined>): Totals {
    const out = { ...this.totals };
    for (const [name, next] of replaced) {
      const prev = this.summaries.get(name);
      for (const f of fields) out[f] += (next?.[f] ?? 0) - (prev?.[f] ?? 0);
    }
    return out;
  }

  set(name: string, next: NodeSummary | undefined): void {
    const prev = this.summaries.get(name);
    for (const f of fields) this.totals[f] += (next?.[f] ?? 0) - (prev?.[f] ?? 0);
    if (next) this.summaries.set(name, next);
    else this.summaries.delete(name);
    if (next?.unsettled) this.unsettled.add(name);
    else this.unsettled.delete(name);
  }
}

const patched = (pods: readonly Pod[] | undefined, names: ReadonlySet<string>) => (pods ?? []).some((p) => names.has(p.metadata.name ?? ""));
