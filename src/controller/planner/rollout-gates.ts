/**
 * @module
 * Which desired nodes the rolling update may offer the new revision this pass, and which nodes'
 * unavailability does not count against `maxUnavailable`, from a DaemonSet's {@link RolloutPolicy}.
 * `rollingUpdate` consults the result; without a policy there are no gates and it is exactly
 * Kubernetes'.
 *
 * Rules (a node "on the old revision" has a live old pod and no new one):
 * * paused, or the rollout failed: no node on the old revision is offered it (in-flight nodes,
 *   whose old pod is already going, finish: manage creates their new pod).
 * * allow-defer: a node whose device defers updates keeps its old pod until the deferral ends.
 * * selector: a node whose labels do not match keeps its old pod.
 * * partition P (N, or N% of the desired nodes rounded up): at most (nodes on the old revision - P)
 *   are offered, the first in name order; the rest are held. P above the fleet holds every node.
 * * prestage: a node that may be offered waits ("staging") until its device reports the revision
 *   staged, or that staging failed, at most `prestageWaitMs` after the revision was first seen.
 * * skip-offline: a node that is not Ready is "free" (costs no budget) unless it was Ready when it
 *   was offered this revision (then it may be what broke it, and it counts).
 *
 * @example
 * const gates = rolloutGates({ policy, record, nodes: states, desired: 5, now });
 * gates.held.get("node-3"); // "partition"
 */
import type { RolloutPolicy } from "../../resources/daemonset/rollout-policy.ts";
import type { Node, Pod } from "../../resources/types.ts";
import { stagingReportOf } from "../../protocol/prestage.ts";
import { scaledValue } from "./intstr.ts";
import { deferredUntil, isNodeReady, type RolloutRecord } from "./rollout-record.ts";

/** One desired node as the rolling update sees it (findUpdatedPodsOnNode). */
export interface NodeRevisionState {
  name: string;
  node: Node;
  newPod?: Pod;
  oldPod?: Pod;
  /** False when the node has more than one new or old pod (manage prunes those first). */
  ok: boolean;
}

export type HoldReason = "paused" | "failed" | "deferred" | "selector" | "partition" | "staging";

/** Holds that only delay a node (it belongs to the rollout's counts, and the rollout is not done while it waits). */
export const isWaitHold = (reason: HoldReason | undefined): boolean => reason === "paused" || reason === "failed" || reason === "staging";

export interface RolloutGates {
  /** Nodes on the old revision that are not offered the new one this pass, and why. */
  held: ReadonlyMap<string, HoldReason>;
  /** Nodes whose unavailability does not count against the budget (skip-offline). */
  free: ReadonlySet<string>;
  /** The earliest moment a gate opens by itself (a deferral ending), if any. */
  nextChangeAt?: number;
  /** Nodes offered first within the budget (pre-staging: those whose device staged the revision). */
  preferred?: ReadonlySet<string>;
}

export const noGates: RolloutGates = { held: new Map(), free: new Set() };

export const onOldRevision = (s: NodeRevisionState): boolean => s.ok && !!s.oldPod && !s.newPod;

export interface GatesInput {
  policy: RolloutPolicy;
  record: RolloutRecord;
  /** The desired nodes, in name order. */
  nodes: readonly NodeRevisionState[];
  desired: number;
  now: number;
  failed: boolean;
  /** Pre-staging: how long from `record.since` a node waits for its staging (absent: no wait). */
  prestageWaitMs?: number;
}

export function rolloutGates({ policy, record, nodes, desired, now, failed, prestageWaitMs }: GatesInput): RolloutGates {
  const free = new Set<string>();
  if (policy.skipOffline) {
    for (const s of nodes) if (!isNodeReady(s.node) && record.offers[s.name] !== "online") free.add(s.name);
  }
  const held = new Map<string, HoldReason>();
  const old = nodes.filter(onOldRevision);
  if (policy.paused || failed) {
    for (const s of old) held.set(s.name, failed ? "failed" : "paused");
    return { held, free };
  }
  let nextChangeAt: number | undefined;
  for (const s of old) {
    const until = policy.allowDefer ? deferredUntil(s.node, now) : undefined;
    if (until !== undefined) {
      held.set(s.name, "deferred");
      nextChangeAt = nextChangeAt === undefined ? until : Math.min(nextChangeAt, until);
    } else if (policy.selector && !policy.selector.matches(s.node.metadata.labels)) {
      held.set(s.name, "selector");
    }
  }
  if (policy.partition !== undefined) {
    const keep = scaledValue(policy.partition, desired, true);
    const allowed = Math.max(0, old.length - keep);
    const eligible = old.filter((s) => !held.has(s.name));
    for (const s of eligible.slice(allowed)) held.set(s.name, "partition");
  }
  const waitUntil = (record.since ?? now) + (prestageWaitMs ?? 0);
  if (prestageWaitMs !== undefined && now < waitUntil) {
    let waiting = false;
    for (const s of old) {
      if (held.has(s.name) || free.has(s.name)) continue;
      const report = stagingReportOf(s.oldPod!);
      if (report?.revision === record.hash && report.kind !== "staging") continue;
      held.set(s.name, "staging");
      waiting = true;
    }
    if (waiting) nextChangeAt = nextChangeAt === undefined ? waitUntil : Math.min(nextChangeAt, waitUntil);
  }
  return { held, free, ...(nextChangeAt !== undefined ? { nextChangeAt } : {}) };
}
