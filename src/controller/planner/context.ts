/**
 * @module
 * What the steps of one pass share: the DaemonSet, its nodes in name order, the current hash,
 * the clock, memoized placement, and the pass's side outputs (events, backoff table, requeue).
 *
 * @example
 * const ctx = newPassContext(input, deps, hash);
 * ctx.placement(node).shouldRun;
 */

import type { DaemonSet, Node } from "../../resources/types.ts";
import { FailedPodBackoff } from "./backoff.ts";
import { getTemplateGeneration } from "./pod-util.ts";
import type { Placement, PlanEvent, PlannerDeps, PlannerInput } from "./types.ts";

export interface PassContext {
  readonly ds: DaemonSet;
  /** Sorted by name: the order nodes are visited in (Go: lister order). */
  readonly nodes: readonly Node[];
  readonly nodeByName: ReadonlyMap<string, Node>;
  readonly hash: string;
  readonly generation: number | undefined;
  readonly minReadySeconds: number;
  readonly now: number;
  readonly deps: PlannerDeps;
  placement(node: Node): Placement;
  readonly events: PlanEvent[];
  readonly backoff: FailedPodBackoff;
  /** Ask to run again within `ms` (the smallest request wins). */
  requeueAfter(ms: number): void;
  readonly requeue: { afterMs: number | undefined };
}

export function newPassContext(input: PlannerInput, deps: PlannerDeps, hash: string): PassContext {
  const nodes = [...input.nodes].sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1));
  const memo = new Map<string, Placement>();
  const requeue: { afterMs: number | undefined } = { afterMs: undefined };
  return {
    ds: input.ds,
    nodes,
    nodeByName: new Map(nodes.map((n) => [n.metadata.name ?? "", n])),
    hash,
    generation: getTemplateGeneration(input.ds),
    minReadySeconds: input.ds.spec.minReadySeconds ?? 0,
    now: input.now,
    deps,
    placement(node) {
      const name = node.metadata.name ?? "";
      let placed = memo.get(name);
      if (!placed) {
        placed = deps.nodeShouldRunDaemonPod(node, input.ds);
        memo.set(name, placed);
      }
      return placed;
    },
    events: [],
    backoff: new FailedPodBackoff(input.failedPodBackoff),
    requeueAfter(ms) {
      const after = Math.max(0, Math.ceil(ms));
      if (requeue.afterMs === undefined || after < requeue.afterMs) requeue.afterMs = after;
    },
    requeue,
  };
}

/** Placement of a node the snapshot does not have: nothing should run there. */
export const missingNodePlacement: Placement = { shouldRun: false, shouldContinueRunning: false, warnings: [] };
