/**
 * @module
 * `NodeShard`, one Durable Object per shard of the fleet (`shard:<i>`, i = FNV-1a(node name) mod
 * `NODE_SHARDS`): the per-device hot state (credential digest, lease, last report digest,
 * assignments version) in memory, so an unchanged sync is answered with no D1 query and no write.
 *
 * - Leases live here. A sync renews one in memory; the alarm checkpoints the leases that moved to the
 *   shard's own SQLite every renew period, hands nodes that now hash elsewhere (the shard count
 *   changed) to their new shard with their lease, and records only transitions: a Ready node whose
 *   lease expired turns Unknown here and is told to the node lifecycle, which writes Ready=Unknown
 *   through the existing path (its D1 guard lets a concurrent write-through win).
 * - D1 stays the source of truth for everything else. A commit that changes a node's agent row
 *   (assignments version bumped, report forgotten, node deleted or re-keyed) invalidates its entry;
 *   the next sync reads D1 and reloads it (`remember`, guarded by the entry's generation so a
 *   reload that raced an invalidation never installs stale state).
 * - On restart every Ready node gets a fresh grace period (`leaseAfterRestart`), and none is judged
 *   before the longest agent retry wait has passed too (`agentMaxRetryWaitMs`); every entry
 *   is reloaded from D1 on its next sync: a restart loses no lease and marks no healthy node Unknown.
 */
import { agentMaxRetryWaitMs } from "../protocol/agent.ts";
import { DurableObject } from "cloudflare:workers";
import { settingsOf } from "../config.ts";
import { SyncCounters, type SyncPath, type SyncResult } from "../metrics/sync-counters.ts";
import { decideSync, expiredLeases, leaseAfterRestart, shardOf, type AgentState, type ShardEntry, type SyncAnswer, type SyncInput } from "./node-shard-state.ts";

export type { AgentState } from "./node-shard-state.ts";

/** A lease handed over between shards, or taken as expired. */
export interface LeaseOf {
  name: string;
  leaseRenewedAt: number;
}

/** What `/metrics` reads from a shard: its nodes by Ready status, and its sync counters. */
export interface ShardStats {
  startedAt: number;
  /** Ready status as the control plane last recorded it (True or Unknown) → nodes. */
  nodes: Record<string, number>;
  /** `result/path` → syncs since `startedAt` (metrics/sync-counters.ts). */
  syncs: Record<string, number>;
}

/** Expired leases told to the node lifecycle per call. */
const markBatch = 25;

export class NodeShard extends DurableObject<Env> {
  private readonly entries = new Map<string, ShardEntry>();
  /**
   * When this instance started again with nodes in its storage (evicted, redeployed, or the control
   * plane was away); undefined for a shard that started empty.
   */
  private restartedAt: number | undefined;
  /** Names whose lease moved since the last checkpoint. */
  private readonly dirty = new Set<string>();
  private alarmAt: number | undefined;
  /**
   * Operator sessions (kubectl logs) waiting for each node, as its session bridge last said. In
   * memory only: after a restart the bridge's waiting sessions time out (the operator retries).
   */
  private readonly pendingSessions = new Map<string, number>();
  private readonly startedAt = Date.now();
  private readonly syncs = new SyncCounters();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec(
      `CREATE TABLE IF NOT EXISTS nodes (name TEXT PRIMARY KEY, credential_id TEXT NOT NULL, credential_hash TEXT NOT NULL, ready TEXT NOT NULL, status_digest TEXT NOT NULL, pods_version INTEGER NOT NULL, lease_renewed_at INTEGER NOT NULL)`,
    );
    const now = Date.now();
    for (const row of sql.exec<{ name: string; credential_id: string; credential_hash: string; ready: string; status_digest: string; pods_version: number; lease_renewed_at: number }>(`SELECT * FROM nodes`)) {
      // Not fresh: the first sync after a restart reloads from D1 (a notification may have been lost with the old instance).
      this.entries.set(row.name, {
        name: row.name,
        credentialId: row.credential_id,
        credentialHash: row.credential_hash,
        ready: row.ready,
        statusDigest: row.status_digest,
        podsVersion: row.pods_version,
        leaseRenewedAt: leaseAfterRestart(row.lease_renewed_at, row.ready, now),
        fresh: false,
        generation: 0,
        loadedAt: 0,
      });
    }
    if (this.entries.size) {
      this.restartedAt = now;
      ctx.blockConcurrencyWhile(async () => this.arm(now));
    }
  }

  /** The sync fast path: answered from memory; renews the lease when the credential is known. */
  async sync(shard: number, name: string, input: SyncInput, now = Date.now()): Promise<SyncAnswer> {
    this.noteShard(shard);
    const entry = this.entries.get(name);
    const { answer, renew } = decideSync(entry, input, now, settingsOf(this.env).shardReloadMs);
    if (renew && entry) this.renew(entry, now);
    if (answer.kind === "unchanged") this.syncs.count("304", "shard");
    else if (answer.kind === "download") this.syncs.count("200", "assignments");
    else if (answer.kind === "unauthorized") this.syncs.count("error", "shard");
    // Only an authenticated sync learns of its node's sessions.
    const sessions = answer.kind === "unauthorized" ? undefined : this.pendingSessions.get(name);
    return sessions ? { ...answer, sessions } : answer;
  }

  /** The node's session bridge: this many sessions wait for the device (0: none). */
  async setPendingSessions(name: string, count: number): Promise<void> {
    if (count > 0) this.pendingSessions.set(name, count);
    else this.pendingSessions.delete(name);
  }

  /** A sync the shard sent to D1 ended (`remember` counts the ones that ended well with the state they learnt). */
  async counted(result: SyncResult, path: SyncPath): Promise<void> {
    this.syncs.count(result, path);
  }

  /** Counts for `/metrics`: from memory, nothing read or written. */
  async stats(): Promise<ShardStats> {
    const nodes: Record<string, number> = {};
    for (const entry of this.entries.values()) if (entry.ready) nodes[entry.ready] = (nodes[entry.ready] ?? 0) + 1;
    return { startedAt: this.startedAt, nodes, syncs: this.syncs.snapshot() };
  }

  /**
   * Installs the state a sync read from D1 (and wrote through, if it did), unless a commit
   * invalidated the entry since `generation` was handed out; `outcome` is the sync's answer, counted.
   */
  async remember(shard: number, state: AgentState, generation: number, now = Date.now(), outcome?: { result: SyncResult; path: SyncPath }): Promise<void> {
    this.noteShard(shard);
    if (outcome) this.syncs.count(outcome.result, outcome.path);
    const entry = this.entries.get(state.name);
    if (entry && entry.generation !== generation) return;
    const next: ShardEntry = {
      ...state,
      leaseRenewedAt: Math.max(entry?.leaseRenewedAt ?? 0, now),
      fresh: true,
      generation: entry?.generation ?? 0,
      loadedAt: now,
    };
    this.entries.set(state.name, next);
    this.persist(next);
    this.dirty.delete(state.name);
    await this.arm(now);
  }

  /**
   * The node (re-)enrolled: its new credential and a fresh lease, from now. The rest (its
   * assignments version) is read from D1 on its first sync.
   */
  async enrolled(shard: number, state: AgentState, now = Date.now()): Promise<void> {
    this.noteShard(shard);
    const entry = this.entries.get(state.name);
    const next: ShardEntry = { ...state, leaseRenewedAt: now, fresh: false, generation: (entry?.generation ?? 0) + 1, loadedAt: 0 };
    this.entries.set(state.name, next);
    this.persist(next);
    this.dirty.delete(state.name);
    await this.arm(now);
  }

  /** A commit changed these nodes' agent rows: their next sync reads D1. */
  async invalidate(names: string[]): Promise<void> {
    for (const name of names) {
      const entry = this.entries.get(name);
      if (entry) {
        entry.fresh = false;
        entry.generation++;
      } else {
        // A reload in flight for a node the shard did not know yet must not install what it read.
        this.entries.set(name, { name, credentialId: "", credentialHash: "", ready: "", statusDigest: "", podsVersion: 0, leaseRenewedAt: 0, fresh: false, generation: 1, loadedAt: 0 });
      }
    }
  }

  /** The node's lease as this shard knows it (enrolment refuses to take over a live node). */
  async leaseOf(name: string): Promise<{ ready: string; leaseRenewedAt: number } | undefined> {
    const entry = this.entries.get(name);
    return entry?.ready ? { ready: entry.ready, leaseRenewedAt: entry.leaseRenewedAt } : undefined;
  }

  /** The live lease renewal times of those of `names` this shard holds (the Lease API reads them). */
  async leasesOf(names: string[]): Promise<Record<string, number>> {
    const leases: Record<string, number> = {};
    for (const name of names) {
      const entry = this.entries.get(name);
      if (entry?.ready) leases[name] = entry.leaseRenewedAt;
    }
    return leases;
  }

  /** Leases handed over by the node's previous shard: the later lease wins. */
  async adopt(shard: number, leases: LeaseOf[], now = Date.now()): Promise<void> {
    this.noteShard(shard);
    for (const { name, leaseRenewedAt } of leases) {
      const entry = this.entries.get(name);
      if (entry?.ready) {
        if (leaseRenewedAt > entry.leaseRenewedAt) this.renew(entry, leaseRenewedAt);
      } else {
        // Known only by its lease until its next sync loads the rest from D1.
        const adopted: ShardEntry = { name, credentialId: "", credentialHash: "", ready: "True", statusDigest: "", podsVersion: 0, leaseRenewedAt, fresh: false, generation: entry?.generation ?? 0, loadedAt: 0 };
        this.entries.set(name, adopted);
        this.dirty.add(name);
      }
    }
    this.checkpoint();
    await this.arm(now);
  }

  /**
   * Ready nodes whose lease expired, recorded here as Unknown (the transition): the caller writes
   * Ready=Unknown through the node lifecycle and calls `restore` for those it could not.
   */
  async takeExpired(now: number, limit: number): Promise<LeaseOf[]> {
    // Started again (evicted, or the control plane was away): the devices may be waiting out their
    // retry back-off; none is judged before it had that long on top of the grace period.
    if (this.restartedAt !== undefined && now < this.restartedAt + settingsOf(this.env).nodeGraceMs + agentMaxRetryWaitMs) return [];
    const taken = expiredLeases(this.entries.values(), now, settingsOf(this.env).nodeGraceMs, limit);
    for (const entry of taken) {
      entry.ready = "Unknown";
      entry.statusDigest = "";
      this.persist(entry);
    }
    return taken.map(({ name, leaseRenewedAt }) => ({ name, leaseRenewedAt }));
  }

  /** Nodes the node lifecycle could not mark: Ready again here, so the next sweep retries; or gone. */
  async restore(failed: string[], missing: string[] = []): Promise<void> {
    for (const name of failed) {
      const entry = this.entries.get(name);
      if (entry?.ready === "Unknown") {
        entry.ready = "True";
        this.persist(entry);
      }
    }
    for (const name of missing) this.forget(name);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.alarmAt = undefined;
    await this.ctx.storage.setAlarm(now + settingsOf(this.env).leaseRenewMs);
    this.checkpoint();
    await this.rebalance(settingsOf(this.env).nodeShards, now);
    const lifecycle = this.env.NODE_LIFECYCLE.getByName("node-lifecycle");
    const kept: string[] = [];
    try {
      // At most a few batches per alarm (the next alarm continues); kept nodes go back at the end.
      for (let batch = 0; batch < 4; batch++) {
        const expired = await this.takeExpired(now, markBatch);
        if (!expired.length) break;
        const outcome = await lifecycle.markNodesUnknown(expired, now).catch(async (error: unknown) => {
          await this.restore(expired.map((e) => e.name));
          throw error;
        });
        kept.push(...outcome.kept);
        await this.restore([], outcome.missing);
        if (expired.length < markBatch) break;
      }
    } finally {
      await this.restore(kept);
    }
    this.alarmAt = undefined;
    await this.arm(now);
  }

  private renew(entry: ShardEntry, at: number): void {
    entry.leaseRenewedAt = Math.max(entry.leaseRenewedAt, at);
    this.dirty.add(entry.name);
    if (this.alarmAt === undefined) void this.arm(at);
  }

  /** One alarm while any node is Ready: the next checkpoint, or the earliest lease expiry if sooner. */
  private async arm(now: number): Promise<void> {
    if (this.alarmAt !== undefined) return;
    const settings = settingsOf(this.env);
    let earliest: number | undefined;
    for (const entry of this.entries.values()) {
      if (entry.ready === "True" && (earliest === undefined || entry.leaseRenewedAt < earliest)) earliest = entry.leaseRenewedAt;
    }
    if (earliest === undefined && this.dirty.size === 0) return;
    const at = Math.max(now + 1000, Math.min(now + settings.leaseRenewMs, (earliest ?? Infinity) + settings.nodeGraceMs));
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }

  /** Writes the leases that moved since the last checkpoint, in one local transaction. */
  private checkpoint(): void {
    if (!this.dirty.size) return;
    this.ctx.storage.transactionSync(() => {
      for (const name of this.dirty) {
        const entry = this.entries.get(name);
        if (entry) this.persist(entry);
      }
    });
    this.dirty.clear();
  }

  /**
   * Nodes that hash to another shard under `count` (the shard count changed) go there with their
   * lease, and are forgotten here. The alarm runs it with the configured count. Returns how many moved.
   */
  async rebalance(count: number, now = Date.now()): Promise<number> {
    const self = this.ctx.storage.kv.get<number>("shard");
    if (self === undefined) return 0;
    const moving = new Map<number, LeaseOf[]>();
    for (const entry of this.entries.values()) {
      const home = shardOf(entry.name, count);
      if (home === self || !entry.ready) continue;
      moving.set(home, [...(moving.get(home) ?? []), { name: entry.name, leaseRenewedAt: entry.leaseRenewedAt }]);
    }
    for (const [home, leases] of moving) {
      await this.env.NODE_SHARD.getByName(`shard:${home}`).adopt(home, leases, now);
      for (const { name } of leases) this.forget(name);
    }
    return [...moving.values()].reduce((n, leases) => n + leases.length, 0);
  }

  private forget(name: string): void {
    this.entries.delete(name);
    this.dirty.delete(name);
    this.ctx.storage.sql.exec(`DELETE FROM nodes WHERE name = ?`, name);
  }

  /** Stores an entry; one that only marks an invalidation (no state yet) is not worth a row. */
  private persist(entry: ShardEntry): void {
    if (!entry.ready) return;
    this.ctx.storage.sql.exec(
      `INSERT OR REPLACE INTO nodes (name, credential_id, credential_hash, ready, status_digest, pods_version, lease_renewed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      entry.name,
      entry.credentialId,
      entry.credentialHash,
      entry.ready,
      entry.statusDigest,
      entry.podsVersion,
      entry.leaseRenewedAt,
    );
  }

  /** An object does not know its own name: every caller passes the shard index, kept for the alarm. */
  private noteShard(shard: number): void {
    if (this.ctx.storage.kv.get<number>("shard") !== shard) this.ctx.storage.kv.put("shard", shard);
  }
}
