/**
 * @module
 * The failed-pod backoff (`flowcontrol.Backoff` as the DaemonSet controller builds it: 1 s,
 * doubling, at most 15 min, no jitter) kept as a plain table the shell stores between passes.
 * Each key `<dsUID>/<observedGeneration>/<node>` maps to backoff-until (ms), and its companion
 * `<key>#backoff` to the current delay (ms). An entry not renewed for twice the maximum delay is
 * forgotten (`hasExpired` / `GC`), so the next failure starts again at 1 s.
 *
 * @example
 * const table = new FailedPodBackoff(input.failedPodBackoff);
 * if (!table.isInBackOff(key, now)) { table.next(key, now); deleteFailedPod(); }
 * plan.failedPodBackoff = table.entries(now);
 */

import type { DaemonSet } from "../../resources/types.ts";

export const failedPodBackoffInitialMs = 1_000;
export const failedPodBackoffMaxMs = 15 * 60_000;
const delaySuffix = "#backoff";

/** `failedPodsBackoffKey`: keyed on observedGeneration, so a spec change starts a fresh backoff. */
export function failedPodsBackoffKey(ds: DaemonSet, nodeName: string): string {
  return `${ds.metadata.uid ?? ""}/${ds.status?.observedGeneration ?? 0}/${nodeName}`;
}

interface Entry {
  until: number;
  delay: number;
}

export class FailedPodBackoff {
  readonly #entries = new Map<string, Entry>();

  constructor(table: Readonly<Record<string, number>>) {
    for (const [key, until] of Object.entries(table)) {
      if (key.endsWith(delaySuffix)) continue;
      const delay = table[key + delaySuffix] ?? failedPodBackoffInitialMs;
      this.#entries.set(key, { until, delay });
    }
  }

  /** `IsInBackOffSinceUpdate`: now is before lastUpdate + delay, and the entry has not expired. */
  isInBackOff(key: string, now: number): boolean {
    const entry = this.#entries.get(key);
    if (!entry || this.#expired(entry, now)) return false;
    return now < entry.until;
  }

  /** Milliseconds left in the backoff of `key` (0 if none). */
  remaining(key: string, now: number): number {
    return this.isInBackOff(key, now) ? this.#entries.get(key)!.until - now : 0;
  }

  /** `Next`: start at the initial delay, or double the current one up to the maximum. */
  next(key: string, now: number): void {
    const entry = this.#entries.get(key);
    const delay =
      !entry || this.#expired(entry, now)
        ? failedPodBackoffInitialMs
        : Math.min(entry.delay * 2, failedPodBackoffMaxMs);
    this.#entries.set(key, { until: now + delay, delay });
  }

  /** The table to store, with expired entries dropped (`GC`). */
  entries(now: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const key of [...this.#entries.keys()].sort()) {
      const entry = this.#entries.get(key)!;
      if (this.#expired(entry, now)) continue;
      out[key] = entry.until;
      out[key + delaySuffix] = entry.delay;
    }
    return out;
  }

  // hasExpired: not updated for more than twice the maximum delay.
  #expired(entry: Entry, now: number): boolean {
    const lastUpdate = entry.until - entry.delay;
    return now - lastUpdate > 2 * failedPodBackoffMaxMs;
  }
}
