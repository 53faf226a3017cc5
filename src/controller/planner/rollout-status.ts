/**
 * @module
 * Status that says why, for a DaemonSet with a rollout policy: per-reason counts of the desired
 * nodes (written as the `rollout.edgeset.dev/status` annotation, which `kubectl describe ds`
 * prints, and used by `edgeset rollout status`), and the `Progressing` / `RolledBack` conditions
 * in `status.conditions`.
 *
 * The counts are disjoint per node, first match wins: pending (pod not bound), offline (node not
 * Ready), deferred / held by pause, failure, selector or partition (node on the old revision),
 * crash-looping, not-ready (the node's pod is not available). With pre-staging, `staged` counts the
 * nodes on the old revision whose device reports the new one staged (across the reasons above).
 *
 * @example
 * countRollout(states, gates, now, minReadySeconds) // { desired: 5, updated: 3, offline: 2, ... }
 */
import type { DaemonSetCondition, DaemonSetStatus, Pod } from "../../resources/types.ts";
import { rfc3339 } from "../../resources/meta.ts";
import { isPodAvailable } from "./pod-util.ts";
import type { NodeRevisionState, RolloutGates } from "./rollout-gates.ts";
import { isCrashLooping } from "./rollout-health.ts";
import { isNodeReady, type RolloutRecord } from "./rollout-record.ts";
import type { RolloutCounts } from "../../resources/daemonset/rollout-progress.ts";

export function countRollout(nodes: readonly NodeRevisionState[], gates: RolloutGates, now: number, minReadySeconds: number, staged?: ReadonlySet<string>): RolloutCounts {
  const counts: RolloutCounts = { desired: nodes.length, updated: 0, offline: 0, notReady: 0, crashLooping: 0, deferred: 0, pending: 0, heldPartition: 0, heldSelector: 0, heldPaused: 0 };
  // Beside the reasons, not one of them: a staged node is also held, offline or waiting for its turn.
  if (staged) counts.staged = staged.size;
  for (const s of nodes) {
    if (s.ok && s.newPod && !s.oldPod) counts.updated++;
    const pod: Pod | undefined = s.newPod ?? s.oldPod;
    const hold = gates.held.get(s.name);
    if (pod && !pod.spec.nodeName) counts.pending++;
    else if (!isNodeReady(s.node)) counts.offline++;
    else if (hold === "deferred") counts.deferred++;
    else if (hold === "paused" || hold === "failed") counts.heldPaused++;
    else if (hold === "selector") counts.heldSelector++;
    else if (hold === "partition") counts.heldPartition++;
    else if (pod && isCrashLooping(pod)) counts.crashLooping++;
    else if (!pod || !isPodAvailable(pod, minReadySeconds, now)) counts.notReady++;
  }
  return counts;
}

export type RolloutPhase = "Complete" | "Held" | "Rolling" | "Paused" | "Failed";

/** The `Progressing` condition for a phase, and `RolledBack` while a rollback's revision is current. */
export function rolloutConditions(
  previous: readonly DaemonSetCondition[] | undefined,
  phase: RolloutPhase,
  record: RolloutRecord,
  counts: RolloutCounts,
  now: number,
): DaemonSetCondition[] {
  const left = counts.desired - counts.updated;
  const progressing: Omit<DaemonSetCondition, "lastTransitionTime"> =
    phase === "Failed"
      ? { type: "Progressing", status: "False", reason: record.failed?.reason ?? "RolloutFailed", message: record.failed?.message ?? "" }
      : phase === "Paused"
        ? { type: "Progressing", status: "Unknown", reason: "RolloutPaused", message: `paused with ${left} of ${counts.desired} nodes left on the old revision` }
        : phase === "Held"
          ? { type: "Progressing", status: "True", reason: "RolloutHeld", message: `rolled out on the nodes the strategy allows; ${left} left (${heldSummary(counts)})` }
          : phase === "Complete"
            ? { type: "Progressing", status: "True", reason: "RolloutComplete", message: `all ${counts.desired} nodes updated and available` }
            : { type: "Progressing", status: "True", reason: "RollingUpdate", message: `${counts.updated} of ${counts.desired} nodes updated` };
  const wanted: Omit<DaemonSetCondition, "lastTransitionTime">[] = [progressing];
  if (record.rolledBack) wanted.push({ type: "RolledBack", status: "True", reason: "AutoRollback", message: record.rolledBack.message });
  const others = (previous ?? []).filter((c) => c.type !== "Progressing" && c.type !== "RolledBack");
  return [
    ...others,
    ...wanted.map((c) => {
      const before = previous?.find((p) => p.type === c.type);
      const same = before?.status === c.status && before.reason === c.reason;
      return { ...c, lastTransitionTime: same && before?.lastTransitionTime ? before.lastTransitionTime : rfc3339(now) };
    }),
  ];
}

function heldSummary(c: RolloutCounts): string {
  const parts = [
    c.offline && `${c.offline} offline`,
    c.deferred && `${c.deferred} deferred`,
    c.heldPartition && `${c.heldPartition} held by partition`,
    c.heldSelector && `${c.heldSelector} held by selector`,
    c.pending && `${c.pending} pending`,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "none";
}

/** Whether two condition lists say the same (ignoring transition times). */
export function sameConditions(a: DaemonSetStatus["conditions"], b: DaemonSetStatus["conditions"]): boolean {
  const key = (list: DaemonSetStatus["conditions"]) => JSON.stringify((list ?? []).map((c) => [c.type, c.status, c.reason, c.message]));
  return key(a) === key(b);
}
