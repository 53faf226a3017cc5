/**
 * @module
 * What a node shard counts about the syncs it sees, in memory only: an unchanged sync must stay a
 * call answered from memory with no write anywhere, so the counters are never stored. They start
 * at zero when the shard's instance starts (reported beside them as its start time), as a
 * process's counters do; Prometheus' `rate()` and `increase()` treat the drop as a reset.
 *
 * @example
 * const counters = new SyncCounters();
 * counters.count("304", "shard");
 * counters.snapshot(); // { "304/shard": 1 }
 */

/** The answer the device got: 200 (assignments sent), 304 (unchanged), or an error (4xx/5xx). */
export type SyncResult = "200" | "304" | "error";
/**
 * Where it was decided: `shard` (from the shard's memory, no D1 query), `assignments` (the shard
 * vouched for the report; the assignments were read from D1), `d1` (the credential and report were
 * checked in D1), `write` (the report was written through to D1).
 */
export type SyncPath = "shard" | "assignments" | "d1" | "write";

export const syncResults: readonly SyncResult[] = ["200", "304", "error"];
export const syncPaths: readonly SyncPath[] = ["shard", "assignments", "d1", "write"];

export class SyncCounters {
  private readonly counts = new Map<string, number>();

  count(result: SyncResult, path: SyncPath): void {
    const key = `${result}/${path}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** `result/path` → count, only the pairs seen. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
