/**
 * @module
 * `NodeLifecycleController`, one Durable Object for the fleet (Kubernetes' node lifecycle
 * controller): when a Ready node's lease is older than the grace period, the node turns
 * Ready=Unknown and gets the `node.kubernetes.io/unreachable` NoExecute and NoSchedule taints, its
 * pods' Ready condition turns False (MarkPodsNotReady), and the DaemonSets concerned are told.
 *
 * Leases live in the node shards (node-shard.ts), not in D1: a shard's alarm finds the expired
 * ones and tells `markNodesUnknown`, so only transitions reach D1. This object's alarm sweeps the
 * shards too (a backstop), compacts tombstones and expired Events, and empties terminating
 * namespaces (every 2 s while one waits for its pods to stop on their devices).
 */
import { agentMaxRetryWaitMs } from "../protocol/agent.ts";
import { DurableObject } from "cloudflare:workers";
import { settingsOf } from "../config.ts";
import type { DaemonSet } from "../resources/types.ts";
import { openDb, type Db } from "../store/db.ts";
import { findNodeAgent, listReadyLeases, markNodeAgentUnknown, readNodeWithPods } from "../store/node-agents.ts";
import { shardOf } from "./node-shard-state.ts";
import type { LeaseOf } from "./node-shard.ts";
import { invalidateNodeShards } from "./node-shards.ts";
import { compact, listObjects } from "../store/objects.ts";
import { commit, PreconditionFailed, type Write } from "../store/writes.ts";
import { planNodeUnknown } from "./node-report.ts";
import { daemonSetsAffectedByNodeChange } from "./affected.ts";
import { finalizeNamespace, terminatingNamespaces } from "./namespace-deletion.ts";
import { daemonSetRefOf, wakeDaemonSets } from "./wake.ts";

/** Housekeeping at least this often while the alarm runs. */
const compactEveryMs = 5 * 60 * 1000;
/** Nodes marked Unknown per sweep; the rest follow a second later. */
const maxNodesPerSweep = 25;
/** A sweep that fails (or is evicted) runs again this soon. */
const retryDelayMs = 10_000;
/** While a namespace terminates, its pods' confirmations are looked for this often. */
const namespacePollMs = 2_000;

export class NodeLifecycleController extends DurableObject<Env> {
  private readonly db: Db;
  private wokenDuringSweep = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openDb(env.DB, { agentsChanged: (names) => invalidateNodeShards(env, names) });
  }

  /** Makes sure a sweep is scheduled (called when a node enrolls or turns Ready). */
  async wake(): Promise<void> {
    this.wokenDuringSweep = true;
    const current = await this.ctx.storage.getAlarm();
    const soon = Date.now() + settingsOf(this.env).nodeGraceMs;
    if (current === null || current > soon) await this.setAlarm(soon);
  }

  /** A namespace is terminating: come back soon to remove it once its pods are gone. */
  async watchNamespaces(): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    const soon = Date.now() + namespacePollMs;
    if (current === null || current > soon) await this.setAlarm(soon);
  }

  /**
   * Runs a sweep now (tests, and the alarm). Returns the nodes turned Unknown. Leases live in the
   * node shards: the sweep takes at most `maxNodesPerSweep` expired ones from them (each shard's own
   * alarm does the same for its nodes between sweeps) and continues a second later. A retry alarm is
   * armed before any work, so a sweep that fails is retried rather than leaving liveness unwatched.
   */
  async sweep(now = Date.now()): Promise<string[]> {
    const settings = settingsOf(this.env);
    this.wokenDuringSweep = false;
    await this.setAlarm(now + retryDelayMs);
    await this.seedShards(now);
    const judging = this.judging(now);
    const marked: string[] = [];
    let taken = 0;
    for (let index = 0; judging && index < settings.nodeShards && marked.length < maxNodesPerSweep && taken < 4 * maxNodesPerSweep; index++) {
      const shard = this.env.NODE_SHARD.getByName(`shard:${index}`);
      const kept: string[] = [];
      try {
        // Kept nodes are given back only at the end, so a batch never takes the same node twice.
        for (;;) {
          const expired = await shard.takeExpired(now, maxNodesPerSweep - marked.length);
          taken += expired.length;
          if (!expired.length) break;
          const outcome = await this.markNodesUnknown(expired, now).catch(async (error: unknown) => {
            await shard.restore(expired.map((e) => e.name));
            throw error;
          });
          marked.push(...outcome.marked);
          kept.push(...outcome.kept);
          if (outcome.missing.length) await shard.restore([], outcome.missing);
          if (marked.length >= maxNodesPerSweep || taken >= 4 * maxNodesPerSweep) break;
        }
      } finally {
        if (kept.length) await shard.restore(kept);
      }
    }
    const lastCompaction = this.ctx.storage.kv.get<number>("lastCompaction") ?? 0;
    if (now - lastCompaction >= compactEveryMs) {
      await compact(this.db, now, settings.tombstoneTtlMs);
      this.ctx.storage.kv.put("lastCompaction", now);
    }
    let terminating = false;
    for (const namespace of await terminatingNamespaces(this.db)) {
      if (await finalizeNamespace(this.env, this.db, namespace, now)) terminating = true;
    }
    let next = now + compactEveryMs;
    if (terminating) next = Math.min(next, now + namespacePollMs);
    if (marked.length >= maxNodesPerSweep || taken >= 4 * maxNodesPerSweep) next = now + 1000;
    if (!judging) next = Math.min(next, this.judgingFrom() + 1000);
    // A node that enrolled or came back during the sweep must not wait for the next compaction.
    if (this.wokenDuringSweep) next = Math.min(next, Date.now() + settings.nodeGraceMs);
    await this.setAlarm(Math.max(next, now + 1000));
    return marked;
  }

  /**
   * A node shard found these leases expired (and recorded them as Unknown): write Ready=Unknown
   * through D1 for each. Returns the nodes marked, those D1 still holds Ready because a sync won the
   * race (`kept`: the shard takes them back as Ready) and those that no longer exist (`missing`: the
   * shard forgets them); a node D1 already holds Unknown is in none of them and stays Unknown.
   */
  async markNodesUnknown(leases: LeaseOf[], now = Date.now()): Promise<{ marked: string[]; kept: string[]; missing: string[] }> {
    // Back from an outage: nobody is judged yet; the shards keep them Ready.
    this.noticeAbsence(Date.now());
    if (!this.judging(now)) return { marked: [], kept: leases.map((l) => l.name), missing: [] };
    const { items: daemonSets } = await listObjects<DaemonSet>(this.db, "DaemonSet");
    const outcome = { marked: [] as string[], kept: [] as string[], missing: [] as string[] };
    for (const { name, leaseRenewedAt } of leases.slice(0, maxNodesPerSweep)) {
      // The guard compares with D1's lease (the last write-through): a write-through after the shard's decision wins.
      if (await this.markUnknown(name, now, leaseRenewedAt + 1, daemonSets)) {
        outcome.marked.push(name);
        continue;
      }
      const agent = await findNodeAgent(this.db, name);
      if (!agent) outcome.missing.push(name);
      else if (agent.ready === "True") outcome.kept.push(name);
    }
    return outcome;
  }

  /**
   * Once per deployment of the shards: every node D1 holds Ready is handed to its shard with D1's
   * lease (the one written before leases moved to the shards), so a node that went silent before
   * the upgrade is still turned Unknown. Paged and resumable (`seededAfter`).
   */
  private async seedShards(now: number): Promise<void> {
    const kv = this.ctx.storage.kv;
    if (kv.get<boolean>("shardsSeeded")) return;
    const shards = settingsOf(this.env).nodeShards;
    for (let after = kv.get<string>("seededAfter") ?? ""; ; ) {
      const page = await listReadyLeases(this.db, after, 500);
      const byShard = new Map<number, LeaseOf[]>();
      for (const lease of page) {
        const index = shardOf(lease.name, shards);
        byShard.set(index, [...(byShard.get(index) ?? []), lease]);
      }
      await Promise.all([...byShard].map(([index, leases]) => this.env.NODE_SHARD.getByName(`shard:${index}`).adopt(index, leases, now)));
      if (page.length < 500) break;
      after = page[page.length - 1]!.name;
      kv.put("seededAfter", after);
    }
    kv.put("shardsSeeded", true);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.noticeAbsence(now);
    await this.sweep(now);
  }

  /**
   * An alarm of this object far past its time means the control plane was not running: its devices
   * could not renew their leases, and none of them is judged by the time it was away. Checked when
   * the alarm fires and when a shard reports expired leases (whichever comes first after an outage).
   */
  private noticeAbsence(now: number): void {
    const due = this.ctx.storage.kv.get<number>("alarmAt");
    const tolerance = Math.min(5_000, settingsOf(this.env).nodeGraceMs / 4);
    if (due === undefined || now - due <= tolerance) return;
    console.log(`node lifecycle: away for ${Math.round((now - due) / 1000)} s; every node gets a fresh grace period`);
    this.ctx.storage.kv.put("watchingSince", now);
    this.ctx.storage.kv.put("alarmAt", now + retryDelayMs);
  }

  /**
   * Whether leases may be judged at `now`: only once this controller has watched for a whole grace
   * period, plus the longest an agent backs off between retries, since it was last away (an outage
   * of the control plane). After one, every node gets that long to come back, as Kubernetes' node
   * lifecycle controller times the grace from what it observed itself (probeTimestamp).
   */
  private judging(now: number): boolean {
    return now >= this.judgingFrom();
  }

  private judgingFrom(): number {
    const watchingSince = this.ctx.storage.kv.get<number>("watchingSince") ?? 0;
    return watchingSince + settingsOf(this.env).nodeGraceMs + agentMaxRetryWaitMs;
  }

  /** Arms the alarm and remembers when it is due (to tell an outage from a punctual alarm). */
  private async setAlarm(at: number): Promise<void> {
    this.ctx.storage.kv.put("alarmAt", at);
    await this.ctx.storage.setAlarm(at);
  }

  /** Load → plan → commit → wake, for one node whose lease expired. */
  private async markUnknown(name: string, now: number, leaseBefore: number, daemonSets: readonly DaemonSet[]): Promise<boolean> {
    const { node, pods } = await readNodeWithPods(this.db, name);
    if (!node) return false;
    const plan = planNodeUnknown(node, pods, now, () => crypto.randomUUID(), settingsOf(this.env).eventTtlMs);
    // Only if the lease is still stale: a sync that renewed it meanwhile wins, and nothing is written.
    const lease: Write = { op: "statement", statement: markNodeAgentUnknown(this.db, name, leaseBefore), mustChange: true };
    try {
      await commit(this.db, [lease, ...plan.writes], now);
    } catch (error) {
      // A sync renewed the lease, or an operator changed the Node: the next sweep decides again.
      if (error instanceof PreconditionFailed) return false;
      throw error;
    }
    console.log(`node ${name} stopped syncing: Ready=Unknown`);
    const { daemonSets: owners, nodeChange } = plan.wakes;
    const affected = nodeChange ? daemonSetsAffectedByNodeChange(daemonSets, nodeChange.before, nodeChange.after) : [];
    await wakeDaemonSets(this.env, [...owners, ...affected.map(daemonSetRefOf)], { nodes: [name] });
    return true;
  }
}
