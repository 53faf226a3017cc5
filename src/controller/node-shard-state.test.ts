import { describe, expect, it } from "vitest";
import { decideSync, expiredLeases, leaseAfterRestart, shardOf, type ShardEntry } from "./node-shard-state.ts";

const now = 1_000_000;
const entry = (over: Partial<ShardEntry> = {}): ShardEntry => ({
  name: "n1",
  credentialId: "cred",
  credentialHash: "hash",
  ready: "True",
  statusDigest: "d1",
  podsVersion: 3,
  leaseRenewedAt: now - 1000,
  fresh: true,
  generation: 2,
  loadedAt: now - 1000,
  ...over,
});
const input = { credentialId: "cred", secretHash: "hash", digest: "d1", etag: `"cred-3"` };

describe("shardOf", () => {
  it("is stable, in range, and spreads names", () => {
    expect(shardOf("edge-17", 4)).toBe(shardOf("edge-17", 4));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) counts[shardOf(`node-${i}`, 4)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(60);
    expect(shardOf("x", 1)).toBe(0);
    expect(shardOf("x", 0)).toBe(0);
  });
});

describe("decideSync", () => {
  it.each<[string, ShardEntry | undefined, Partial<typeof input>, string, boolean]>([
    ["unchanged", entry(), {}, "unchanged", true],
    ["stale ETag: download", entry(), { etag: `"cred-2"` }, "download", true],
    ["no ETag: download", entry(), { etag: undefined }, "download", true],
    ["unknown node: load", undefined, {}, "load", false],
    ["invalidated: load", entry({ fresh: false }), {}, "load", false],
    ["loaded too long ago: load", entry({ loadedAt: now - 600_000 }), {}, "load", false],
    ["another credential (re-enrolled): load", entry({ credentialId: "old" }), {}, "load", false],
    ["wrong secret", entry(), { secretHash: "nope" }, "unauthorized", false],
    ["changed report: load, lease renewed", entry(), { digest: "d2" }, "load", true],
    ["Unknown node: load, lease renewed", entry({ ready: "Unknown" }), {}, "load", true],
  ])("%s", (_name, e, over, kind, renew) => {
    const decided = decideSync(e, { ...input, ...over }, now, 600_000);
    expect(decided.answer.kind).toBe(kind);
    expect(decided.renew).toBe(renew);
  });

  it("hands out the entry's generation with a load", () => {
    expect(decideSync(entry({ fresh: false }), input, now, 600_000).answer).toEqual({ kind: "load", generation: 2 });
  });
});

describe("expiredLeases", () => {
  it("takes Ready nodes past the grace period, oldest first, at most limit", () => {
    const entries = [
      entry({ name: "fresh", leaseRenewedAt: now - 1000 }),
      entry({ name: "old", leaseRenewedAt: now - 50_000 }),
      entry({ name: "older", leaseRenewedAt: now - 90_000 }),
      entry({ name: "unknown", ready: "Unknown", leaseRenewedAt: now - 90_000 }),
    ];
    expect(expiredLeases(entries, now, 40_000, 10).map((e) => e.name)).toEqual(["older", "old"]);
    expect(expiredLeases(entries, now, 40_000, 1).map((e) => e.name)).toEqual(["older"]);
  });
});

describe("leaseAfterRestart", () => {
  it.each([
    ["a Ready node gets a fresh grace period", 5, "True", 100, 100],
    ["a later stored lease stays", 200, "True", 100, 200],
    ["an Unknown node keeps its lease", 5, "Unknown", 100, 5],
  ])("%s", (_name, stored, ready, at, expected) => {
    expect(leaseAfterRestart(stored as number, ready as string, at as number)).toBe(expected);
  });
});
