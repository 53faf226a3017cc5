/**
 * @module
 * A DaemonSet's rollout progress as one line and a verdict, read from what the API serves: the
 * Kubernetes counts, the `Progressing` condition and the `rollout.edgeset.dev/status` counts.
 * Used by `edgeset rollout status`; `kubectl rollout status` applies the Kubernetes rule alone
 * (polymorphichelpers DaemonSetStatusViewer), which the counts are shaped to satisfy.
 *
 * @example
 * describeRolloutProgress(ds)
 * // { line: "updated 3/5 · ready 3 · available 3 · offline 2 · deferred 0 — RolloutHeld: ...", done: true, failed: false }
 */
import type { DaemonSet } from "../types.ts";
import { rolloutStatusAnnotation } from "./rollout-policy.ts";

/** The per-reason counts of the `rollout.edgeset.dev/status` annotation. */
export interface RolloutCounts {
  desired: number;
  updated: number;
  offline: number;
  notReady: number;
  crashLooping: number;
  deferred: number;
  pending: number;
  heldPartition: number;
  heldSelector: number;
  heldPaused: number;
  /** With pre-staging only: nodes on the old revision whose device staged the new one. */
  staged?: number;
}

export function formatRolloutCounts(c: RolloutCounts): string {
  return (
    `updated=${c.updated}/${c.desired} offline=${c.offline} not-ready=${c.notReady} crash-looping=${c.crashLooping} ` +
    `deferred=${c.deferred} pending=${c.pending} held=partition:${c.heldPartition},selector:${c.heldSelector},paused:${c.heldPaused}` +
    (c.staged !== undefined ? ` staged=${c.staged}` : "")
  );
}

/** The inverse of {@link formatRolloutCounts}; undefined for a missing or foreign annotation. */
export function parseRolloutCounts(text: string | undefined): RolloutCounts | undefined {
  const m =
    /^updated=(\d+)\/(\d+) offline=(\d+) not-ready=(\d+) crash-looping=(\d+) deferred=(\d+) pending=(\d+) held=partition:(\d+),selector:(\d+),paused:(\d+)(?: staged=(\d+))?$/.exec(
      text ?? "",
    );
  if (!m) return undefined;
  const [updated, desired, offline, notReady, crashLooping, deferred, pending, heldPartition, heldSelector, heldPaused] = m.slice(1, 11).map(Number) as number[];
  return {
    desired: desired!,
    updated: updated!,
    offline: offline!,
    notReady: notReady!,
    crashLooping: crashLooping!,
    deferred: deferred!,
    pending: pending!,
    heldPartition: heldPartition!,
    heldSelector: heldSelector!,
    heldPaused: heldPaused!,
    ...(m[11] !== undefined ? { staged: Number(m[11]) } : {}),
  };
}

export interface RolloutProgress {
  line: string;
  done: boolean;
  failed: boolean;
}

export function describeRolloutProgress(ds: DaemonSet): RolloutProgress {
  const s = ds.status;
  const observed = (ds.metadata.generation ?? 0) <= (s?.observedGeneration ?? 0);
  const counts = parseRolloutCounts(ds.metadata.annotations?.[rolloutStatusAnnotation]);
  const progressing = s?.conditions?.find((c) => c.type === "Progressing");
  const parts = counts
    ? [`updated ${counts.updated}/${counts.desired}`, `ready ${s?.numberReady ?? 0}`, `available ${s?.numberAvailable ?? 0}`, `offline ${counts.offline}`, `deferred ${counts.deferred}`]
    : [`updated ${s?.updatedNumberScheduled ?? 0}/${s?.desiredNumberScheduled ?? 0}`, `ready ${s?.numberReady ?? 0}`, `available ${s?.numberAvailable ?? 0}`];
  if (counts?.crashLooping) parts.push(`crash-looping ${counts.crashLooping}`);
  if (counts?.notReady) parts.push(`not ready ${counts.notReady}`);
  if (counts?.pending) parts.push(`pending ${counts.pending}`);
  if (counts?.staged !== undefined) parts.push(`staged ${counts.staged}`);
  const held = counts ? counts.heldPartition + counts.heldSelector + counts.heldPaused : 0;
  if (held) parts.push(`held ${held} (partition ${counts!.heldPartition}, selector ${counts!.heldSelector}, paused ${counts!.heldPaused})`);
  const line = `${parts.join(" · ")}${progressing ? ` — ${progressing.reason}: ${progressing.message}` : ""}`;
  if (!observed) return { line: `waiting for the spec update to be observed — ${line}`, done: false, failed: false };
  if (ds.spec.updateStrategy?.type !== "RollingUpdate") return { line, done: true, failed: false };
  if (progressing?.status === "False") return { line, done: true, failed: true };
  if (progressing) return { line, done: progressing.reason === "RolloutComplete" || progressing.reason === "RolloutHeld", failed: false };
  const desired = s?.desiredNumberScheduled ?? 0;
  return { line, done: (s?.updatedNumberScheduled ?? 0) >= desired && (s?.numberAvailable ?? 0) >= desired, failed: false };
}
