/**
 * @module
 * The shard-rate simulation behind docs/scale.md's 100k figure (`BENCH_PARTS=shards npm run
 * bench`, or alone: `npx node --expose-gc bench/shard-rate.ts`): a fleet too big for this machine, simulated at the one
 * place its size matters, the node shards. No control plane runs; the code is the shard's own
 * (`shardOf`, `decideSync`, `expiredLeases` from src/controller/node-shard-state.ts).
 *
 * 1. Spread: the fleet's names (`sim-0` … the simulator's) over the shard count with `shardOf`:
 *    nodes per shard (min, mean, max), so the hottest shard's sync rate at each interval.
 * 2. One shard at the hottest shard's size: its entries in memory (heap per entry), then one
 *    interval of syncs at that rate, each `decideSync` + lease renewal as `NodeShard.sync` does
 *    (the unchanged path: 304), timed; then the alarm's `expiredLeases` over all entries, timed.
 *    The result is the shard's own CPU per sync (the map lookup and comparisons), to set against the
 *    published ~500–1,000 requests/s of one Durable Object, which is the RPC's cost, not ours.
 *
 * Options: BENCH_SHARD_NODES (100000), BENCH_SHARD_COUNT (20), BENCH_SHARD_INTERVALS seconds ("10,60").
 */
import { decideSync, etagOf, expiredLeases, shardOf, type ShardEntry } from "../src/controller/node-shard-state.ts";

export interface ShardRateResults {
  nodes: number;
  shards: number;
  nodesPerShard: { min: number; mean: number; max: number };
  /** Heap bytes per entry of the simulated shard (after a GC when `--expose-gc` is on, else approximate). */
  heapBytesPerEntry: number;
  perInterval: { intervalSeconds: number; hottestShardSyncsPerSecond: number; meanShardSyncsPerSecond: number; decideMicrosPerSync: number; unchanged: number; alarmScanMs: number; shardCpuShare: number }[];
}

const hex = (i: number, salt: string) => `${salt}${i.toString(16).padStart(8, "0")}`.padEnd(64, "0");
const gc = (globalThis as { gc?: () => void }).gc;

export function shardRate(nodes: number, shards: number, intervals: number[]): ShardRateResults {
  const counts = new Array<number>(shards).fill(0);
  let hottest = 0;
  for (let i = 0; i < nodes; i++) {
    const s = shardOf(`sim-${i}`, shards);
    counts[s]!++;
    if (counts[s]! > counts[hottest]!) hottest = s;
  }
  const mine = Array.from({ length: nodes }, (_, i) => `sim-${i}`).filter((name) => shardOf(name, shards) === hottest);
  const now0 = Date.now();
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const entries = new Map<string, ShardEntry>();
  for (const [i, name] of mine.entries()) {
    entries.set(name, { name, credentialId: hex(i, "c").slice(0, 16), credentialHash: hex(i, "h"), ready: "True", statusDigest: hex(i, "d"), podsVersion: 3, leaseRenewedAt: now0, fresh: true, generation: 1, loadedAt: now0 });
  }
  gc?.();
  const heapBytesPerEntry = (process.memoryUsage().heapUsed - heapBefore) / mine.length;
  const perInterval = intervals.map((intervalSeconds) => {
    const rate = mine.length / intervalSeconds;
    // One interval of syncs: every node once, in a shuffled order, at simulated times spread over it.
    const order = mine.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const inputs = order.map((i) => {
      const e = entries.get(mine[i]!)!;
      return { name: e.name, input: { credentialId: e.credentialId, secretHash: e.credentialHash, digest: e.statusDigest, etag: etagOf(e.credentialId, e.podsVersion) } };
    });
    let unchanged = 0;
    let started = 0;
    // Twice: the first pass warms the JIT up (a shard answers millions of syncs), the second is timed.
    for (const pass of [0, 1]) {
      unchanged = 0;
      started = performance.now();
      for (const [k, { name, input }] of inputs.entries()) {
        const now = now0 + (pass + k / inputs.length) * intervalSeconds * 1000;
        const entry = entries.get(name);
        const { answer, renew } = decideSync(entry, input, now, 10 * 60_000);
        if (renew && entry) entry.leaseRenewedAt = now;
        if (answer.kind === "unchanged") unchanged++;
      }
    }
    const decideMicrosPerSync = ((performance.now() - started) * 1000) / inputs.length;
    const alarmStarted = performance.now();
    expiredLeases(entries.values(), now0 + 2 * intervalSeconds * 1000, Math.max(40, 5 * intervalSeconds) * 1000, 1000); // grace as the fleet bench sets it
    const alarmScanMs = performance.now() - alarmStarted;
    return {
      intervalSeconds,
      hottestShardSyncsPerSecond: rate,
      meanShardSyncsPerSecond: nodes / shards / intervalSeconds,
      decideMicrosPerSync,
      unchanged,
      alarmScanMs,
      // The share of one second the shard's own decisions take at the hottest shard's rate.
      shardCpuShare: (rate * decideMicrosPerSync) / 1e6,
    };
  });
  return { nodes, shards, nodesPerShard: { min: Math.min(...counts), mean: nodes / shards, max: counts[hottest]! }, heapBytesPerEntry, perInterval };
}

export function shardRateBench(): ShardRateResults {
  const nodes = Number(process.env.BENCH_SHARD_NODES ?? 100_000);
  const shards = Number(process.env.BENCH_SHARD_COUNT ?? 20);
  const intervals = (process.env.BENCH_SHARD_INTERVALS ?? "10,60").split(",").map(Number);
  const r = shardRate(nodes, shards, intervals);
  console.log(`\nshard-rate simulation: ${r.nodes} nodes over ${r.shards} shards: ${r.nodesPerShard.min}–${r.nodesPerShard.max} nodes per shard (mean ${r.nodesPerShard.mean.toFixed(0)}), ${r.heapBytesPerEntry.toFixed(0)} heap bytes per entry${gc ? "" : " (no --expose-gc: approximate)"}`);
  console.log("interval s   hottest shard syncs/s   mean syncs/s   µs per decision   304s   alarm scan ms   shard's own CPU share");
  for (const p of r.perInterval) {
    console.log(`${String(p.intervalSeconds).padStart(10)} ${p.hottestShardSyncsPerSecond.toFixed(0).padStart(23)} ${p.meanShardSyncsPerSecond.toFixed(0).padStart(14)} ${p.decideMicrosPerSync.toFixed(2).padStart(17)} ${String(p.unchanged).padStart(6)} ${p.alarmScanMs.toFixed(1).padStart(15)} ${(p.shardCpuShare * 100).toFixed(2).padStart(20)} %`);
  }
  return r;
}

if (import.meta.main) shardRateBench();
