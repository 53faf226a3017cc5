/**
 * @module
 * A DaemonSet controller's own record of its reconcile passes: how many, how many failed, and how
 * long they took as a Prometheus histogram (cumulative bucket counts). Pure: the controller keeps
 * the value in its storage beside the state each pass writes anyway, and `/metrics` reads it.
 *
 * @example
 * observePass(emptyReconcileStats(), 0.03, false).buckets[passBuckets.indexOf(0.05)]; // 1
 */

/** Upper bounds in seconds: a pass is a few D1 round trips, a large fleet's up to seconds. */
export const passBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export interface ReconcileStats {
  passes: number;
  /** Passes that threw (D1 unavailable, a bug); a pass stopped by its write budget is not a failure. */
  failures: number;
  sumSeconds: number;
  /** `buckets[i]` = passes that took at most `passBuckets[i]` seconds. */
  buckets: number[];
}

export const emptyReconcileStats = (): ReconcileStats => ({ passes: 0, failures: 0, sumSeconds: 0, buckets: passBuckets.map(() => 0) });

export function observePass(stats: ReconcileStats, seconds: number, failed: boolean): ReconcileStats {
  const duration = Math.max(0, seconds);
  return {
    passes: stats.passes + 1,
    failures: stats.failures + (failed ? 1 : 0),
    sumSeconds: stats.sumSeconds + duration,
    buckets: passBuckets.map((le, i) => (stats.buckets[i] ?? 0) + (duration <= le ? 1 : 0)),
  };
}
