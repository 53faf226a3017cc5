/**
 * @module
 * `NodeLifecycleController`, one Durable Object for the fleet (Kubernetes' node lifecycle
 * controller): when a Ready node's lease is older than the grace period, the node turns
 * Ready=Unknown and gets the `node.kubernetes.io/unreachable` NoExecute and NoSchedule taints, its
 * pods' Ready condition turns False (MarkPodsNotReady), and the DaemonSets concerned are told.
 *
 * One alarm, always armed for the earliest lease that can expire, so the cost follows the fleet's
 * changes: a sweep reads only expired leases (an index on ready, lease time). The same alarm
 * compacts tombstones and expired Events, and empties terminating namespaces (every 2 s while one
 * waits for its pods to stop on their devices).
 */
import { DurableObject } from "cloudflare:workers";
import { settingsOf } from "../config.ts";
import type { DaemonSet } from "../resources/types.ts";
import { openDb, type Db } from "../store/db.ts";
import { listExpiredLeases, markNodeAgentUnknown, oldestReadyLease, readNodeWithPods } from "../store/node-agents.ts";
import { compact, listObjects } from "../store/objects.ts";
import { commit, PreconditionFailed, type Write } from "../store/writes.ts";
import { planNodeUnknown } from "./node-report.ts";
import { daemonSetsAffectedByNodeChange } from "./affected.ts";
import { finalizeNamespace, terminatingNamespaces } from "./namespace-deletion.ts";
import { wakeDaemonSets } from "./wake.ts";

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
    this.db = openDb(env.DB);
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
   * Runs a sweep now (tests, and the alarm). Returns the nodes turned Unknown. A retry alarm is
   * armed before any work, and a sweep handles at most `maxNodesPerSweep` nodes, continuing a
   * second later: a site outage of hundreds of nodes never exhausts one invocation, and a sweep
   * that fails is retried rather than leaving liveness unwatched.
   */
  async sweep(now = Date.now()): Promise<string[]> {
    const settings = settingsOf(this.env);
    this.wokenDuringSweep = false;
    await this.setAlarm(now + retryDelayMs);
    // A lease expires only once this controller has watched for a whole grace period: after it was
    // away (an outage of the control plane), every node gets a fresh one, as Kubernetes' node
    // lifecycle controller times the grace from what it observed itself (probeTimestamp).
    const watchingSince = this.ctx.storage.kv.get<number>("watchingSince") ?? 0;
    const judging = now - watchingSince >= settings.nodeGraceMs;
    const expired = judging ? await listExpiredLeases(this.db, now - settings.nodeGraceMs, maxNodesPerSweep + 1) : [];
    const marked: string[] = [];
    if (expired.length) {
      const { items: daemonSets } = await listObjects<DaemonSet>(this.db, "DaemonSet");
      for (const agent of expired.slice(0, maxNodesPerSweep)) {
        if (await this.markUnknown(agent.name, now, now - settings.nodeGraceMs, daemonSets)) marked.push(agent.name);
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
    const oldest = await oldestReadyLease(this.db);
    let next = oldest !== undefined ? oldest + settings.nodeGraceMs + 1000 : now + compactEveryMs;
    if (terminating) next = Math.min(next, now + namespacePollMs);
    if (!judging) next = Math.min(next, watchingSince + settings.nodeGraceMs + 1000);
    if (expired.length > maxNodesPerSweep) next = now + 1000;
    // A node that enrolled or came back during the sweep must not wait for the next compaction.
    if (this.wokenDuringSweep) next = Math.min(next, Date.now() + settings.nodeGraceMs);
    await this.setAlarm(Math.max(next, now + 1000));
    return marked;
  }

  override async alarm(): Promise<void> {
    // An alarm far past its time means the control plane was not running: its devices could not
    // renew their leases, and none of them should be judged by the time it was away.
    const now = Date.now();
    const due = this.ctx.storage.kv.get<number>("alarmAt");
    const tolerance = Math.min(5_000, settingsOf(this.env).nodeGraceMs / 4);
    if (due !== undefined && now - due > tolerance) {
      console.log(`node lifecycle: away for ${Math.round((now - due) / 1000)} s; every node gets a fresh grace period`);
      this.ctx.storage.kv.put("watchingSince", now);
    }
    await this.sweep(now);
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
    await wakeDaemonSets(this.env, [...owners, ...affected.map((ds) => ({ namespace: ds.metadata.namespace ?? "default", name: ds.metadata.name ?? "" }))]);
    return true;
  }
}
