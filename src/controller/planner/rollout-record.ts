/**
 * @module
 * What the controller remembers about the rollout of one revision between passes (kept in the
 * DaemonSet's Durable Object, handed to the planner as {@link PlannerInput.rollout} and returned
 * as {@link Plan.rollout}), and the node facts the rollout rules read.
 *
 * The record is what makes "offline before it was offered" a recorded fact rather than a guess:
 * `offers[node]` is written in the pass that offers the node the revision, from the node's
 * readiness at that moment, and only ever changes from "offline" to "online" once the node has
 * run the revision while Ready.
 *
 * @example
 * const record = nextRecord(previous, hash, now); // a fresh record when the revision changed
 */
import type { Node } from "../../resources/types.ts";

export type OfferState = "offline" | "online";

export interface RolloutFailure {
  reason: "ProgressDeadlineExceeded" | "FailureThresholdExceeded";
  message: string;
  at: number;
}

export interface RollbackNote {
  /** The hash rolled back to. */
  hash: string;
  fromRevision: number;
  toRevision: number;
  message: string;
  at: number;
}

export interface RolloutRecord {
  /** The revision (controller-revision-hash) this record is about. */
  hash: string;
  /** Node name -> its readiness when it was offered this revision ("online" once it ran it while Ready). */
  offers: Record<string, OfferState>;
  /** When a pass first saw this revision (pre-staging waits are bounded from here). */
  since?: number;
  /** When the counted progress last changed, and what it was. */
  progressAt: number;
  progressKey: string;
  failed?: RolloutFailure;
  /** The last revision hash whose rollout completed (every node the strategy allows available on it). */
  availableHash?: string;
  /** This revision is an automatic rollback (kept while it is current). */
  rolledBack?: RollbackNote;
  /** A rollback this record's pass decided: the next revision seen with that hash is a rollback. */
  rollbackTo?: RollbackNote;
}

/** The record for `hash`: the previous one if it is about the same revision, else a fresh one. */
export function nextRecord(previous: RolloutRecord | undefined, hash: string, now: number): RolloutRecord {
  if (previous?.hash === hash) return { since: now, ...structuredClone(previous) };
  const fresh: RolloutRecord = { hash, offers: {}, since: now, progressAt: now, progressKey: "" };
  if (previous?.availableHash) fresh.availableHash = previous.availableHash;
  if (previous?.rollbackTo?.hash === hash) fresh.rolledBack = previous.rollbackTo;
  return fresh;
}

/** Ready=True: the device is syncing. Unknown (silent) and False both count as offline. */
export function isNodeReady(node: Node | undefined): boolean {
  return node?.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
}

/** The longest deferral honoured from now on, whatever the device asks (bounded gating). */
export const maxDeferralMs = 24 * 3_600_000;

/** The node condition the agent reports while an operator or the workload defers updates. */
export const updateDeferredCondition = "UpdateDeferred";

/**
 * Whether a node's `UpdateDeferred` condition differs between two versions of it: a deferral set,
 * changed or cleared must wake the DaemonSets that honour deferrals, although placement is the
 * same (their view of the node would keep the old deferral until its next resync).
 */
export function deferralChanged(before: Node | undefined, after: Node | undefined): boolean {
  const of = (node: Node | undefined) => node?.status?.conditions?.find((c) => c.type === updateDeferredCondition);
  const a = of(before);
  const b = of(after);
  return a?.status !== b?.status || a?.message !== b?.message;
}

/**
 * When the device's deferral ends (ms), if one is active: the `UpdateDeferred` condition is True
 * and its message starts with `until <RFC 3339>`. Capped at `now + maxDeferralMs`.
 */
export function deferredUntil(node: Node | undefined, now: number): number | undefined {
  const condition = node?.status?.conditions?.find((c) => c.type === updateDeferredCondition);
  if (condition?.status !== "True") return undefined;
  const match = /^until (\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:\d\d))/.exec(condition.message ?? "");
  const until = match ? Date.parse(match[1]!) : Number.NaN;
  if (!Number.isFinite(until) || until <= now) return undefined;
  return Math.min(until, now + maxDeferralMs);
}
