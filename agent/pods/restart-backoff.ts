/**
 * @module
 * The kubelet's container restart back-off (CrashLoopBackOff), as a pure decision with the clock
 * passed in. It mirrors kuberuntime's `doBackOff` over client-go's `flowcontrol.Backoff`
 * (initial 10 s, max 5 min, no jitter):
 *
 * - the first exit restarts at once and arms a 10 s window;
 * - a later exit waits until `finishedAt + window`; the restart then doubles the window (capped);
 * - an exit more than 2×max (10 min) after the last restart forgets the window (`hasExpired`), so
 *   a container that ran 10 minutes starts over at 10 s.
 *
 * @example
 * decideRestart(undefined, 1000, 1000, kubeletRestartBackoff)
 * // { kind: "restart", entry: { backoffMs: 10000, lastUpdate: 1000 } }
 */

export interface RestartBackoffParams {
  initialMs: number;
  maxMs: number;
}

/** kubelet: `backOffPeriod` = 10 s, `MaxContainerBackOff` = 300 s. */
export const kubeletRestartBackoff: RestartBackoffParams = { initialMs: 10_000, maxMs: 300_000 };

/** flowcontrol's backoffEntry: the current window and when it was last moved (the last restart). */
export interface RestartBackoffEntry {
  backoffMs: number;
  lastUpdate: number;
}

export type RestartDecision =
  | { kind: "restart"; entry: RestartBackoffEntry }
  | { kind: "wait"; until: number; backoffMs: number };

function hasExpired(eventTime: number, lastUpdate: number, params: RestartBackoffParams): boolean {
  return eventTime - lastUpdate > params.maxMs * 2;
}

/**
 * Decides, at `now`, what to do with a container that exited at `finishedAt` and must restart
 * under its policy. `entry` is the back-off state left by the previous restart, if any.
 */
export function decideRestart(
  entry: RestartBackoffEntry | undefined,
  finishedAt: number,
  now: number,
  params: RestartBackoffParams,
): RestartDecision {
  // IsInBackOffSince: no entry, or an expired one, means no back-off.
  if (!entry || hasExpired(finishedAt, entry.lastUpdate, params)) {
    return { kind: "restart", entry: { backoffMs: params.initialMs, lastUpdate: now } };
  }
  if (now - finishedAt < entry.backoffMs) {
    return { kind: "wait", until: finishedAt + entry.backoffMs, backoffMs: entry.backoffMs };
  }
  return { kind: "restart", entry: { backoffMs: Math.min(entry.backoffMs * 2, params.maxMs), lastUpdate: now } };
}
