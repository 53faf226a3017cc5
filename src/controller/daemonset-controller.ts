/**
 * @module
 * `DaemonSetController`: one Durable Object per DaemonSet (named `<namespace>/<name>`), the only
 * place rollout decisions for it are taken. A thin shell around the pure planner:
 *
 * 1. load the DaemonSet's world from D1 (DaemonSet, nodes, its pods and revisions, and, only when
 *    the input says the pass may place pods (`mayPlacePods`), the pods its pod (anti-)affinity is
 *    judged against);
 * 2. plan (pure, once), then synchronously record the resulting writes in this object's outbox
 *    (outbox.ts), with the failed-pod back-off table — no await between reading this object's
 *    state and writing it;
 * 3. apply the outbox to D1 and clear it. An interrupted pass leaves its writes in the outbox, and
 *    the next pass (or the alarm) applies them first: a restart or eviction loses nothing, and
 *    never applies a wave twice (pod names are decided when recorded);
 * 4. wake the other DaemonSets whose pod (anti-)affinity the pods it placed may concern.
 *
 * Passes are serialized: a poke during a pass sets `pending`, and the loop runs once more. A pass
 * that acted runs another (its results must be observed, as Kubernetes' expectations require).
 * One alarm serves every timer: minReadySeconds expiring, failed-pod back-off, and a safety net
 * that finishes work an eviction interrupted.
 *
 * State: key-values (the DaemonSet's name and last body, deletion policies, back-off table, the
 * rollout record: offers with the node's readiness when made, progress, last complete revision) in the
 * object's synchronous `ctx.storage.kv`; rows that are queued or queried by time (the outbox,
 * recently emitted Warning events) in its SQLite.
 */
import { DurableObject } from "cloudflare:workers";
import { invalidateNodeShards } from "./node-shards.ts";
import { settingsOf } from "../config.ts";
import type { ControllerRevision, DaemonSet, Node, Pod } from "../resources/types.ts";
import { listNodesNamed, listOwnedAndOrphans, listPodsNamed, listPodsOnNodes } from "../store/controller-reads.ts";
import { openDb, type Db } from "../store/db.ts";
import { getObject, listObjects } from "../store/objects.ts";
import { Changes, DaemonSetView, type ChangeSet } from "./daemonset-view.ts";
import { ViewStore } from "./view-store.ts";
import { BudgetExhausted, Outbox } from "./outbox.ts";
import { planActed, podsWritten, writesForOrphaning, writesForPlan, type RecordedWrite } from "./plan-writes.ts";
import { defaultPlannerDeps, mayPlacePods, planDaemonSet, type Placement, type Plan, type PlannerDeps, type PlannerInput, type RolloutRecord, type SchedulingWorld } from "./planner/index.ts";
import { hasRequiredPodAffinityTerms } from "../scheduling/index.ts";
import { countFleet, maxActiveNodes, planNodeChanges } from "./planner/local-pass.ts";
import type { FleetCounts } from "./planner/fleet-counts.ts";
import { parseRolloutPolicy } from "../resources/daemonset/rollout-policy.ts";
import { podAvailableAt } from "./planner/pod-util.ts";
import { loadSchedulingWorld } from "./scheduling-world.ts";
import { wakeForPodChanges, type Changed, type DaemonSetRef } from "./wake.ts";
import { rfc3339 } from "../resources/meta.ts";
import { emptyReconcileStats, observePass, type ReconcileStats } from "../metrics/reconcile-stats.ts";

/** How long a poke waits for others to join it: a burst of pokes is one pass. */
const coalesceMs = 50;
/** The most passes one wake-up runs back to back before leaving the rest to the alarm. */
const maxPassesPerRun = 20;
/** How long an interrupted run may sit before the safety alarm resumes it. */
const safetyDelayMs = 30_000;
/**
 * A settled DaemonSet still runs a pass this often, in case a wake-up was lost, and a view older
 * than this is reloaded whole (an informer's resync period), so a lost poke costs minutes.
 */
const resyncMs = 5 * 60_000;
/** When a run stops at maxPassesPerRun with work left, the alarm resumes it this soon. */
const continueDelayMs = 1_000;
/**
 * D1 statements one run's writes may send before handing the rest to a fresh alarm invocation
 * (`statementCount`: a pod create is 3, its pass's Event and status 2 each). D1 allows 1,000
 * queries per invocation on paid plans; counting every statement of a batch as one (the strict
 * reading) leaves 200 for the run's reads and shard calls. About 265 pod creates.
 */
export const statementBudgetPerRun = 800;
/**
 * Creates and deletes one pass may plan (Kubernetes' BurstReplicas is 250). More than one run's
 * statement budget covers: the outbox carries the rest into the next invocations, which start at
 * once and only drain it, so a fleet-wide DaemonSet costs one planner pass per `burstPerPass` pods,
 * not per invocation (the full pass over 10,000 nodes is the expensive part of a create).
 */
export const burstPerPass = 500;
/** A repeated Warning event is recorded at most this often. */
const eventRepeatMs = 10 * 60_000;

export interface PlanningStats {
  localPasses: number;
  fullPasses: number;
  /** Nodes the passes planned over, summed (a local pass: the changed ones and the unsettled). */
  nodesPlanned: number;
  /** Times the running counts were built from the whole view (after a full pass, by the next local one). */
  countsBuilt: number;
}

export interface PassSummary {
  created: number;
  deleted: number;
  status?: DaemonSet["status"];
  requeueAfterMs?: number;
}

export class DaemonSetController extends DurableObject<Env> {
  private readonly db: Db;
  private readonly sql: SqlStorage;
  private readonly kv: SyncKvStorage;
  private readonly outbox: Outbox;
  private running: Promise<PassSummary | undefined> | undefined;
  private pending = false;
  private budget = { left: statementBudgetPerRun };
  /** What changed since the last pass, recorded synchronously by every poke (and kept in storage). */
  private readonly changes: Changes;
  /** This object's view of its nodes and pods; undefined until loaded (from storage, else from D1). */
  private view: DaemonSetView | undefined;
  private readonly viewStore: ViewStore;
  /** Placement per Node object, for one DaemonSet uid and generation (nodes are replaced, never mutated). */
  private placements = { key: "", byNode: new WeakMap<Node, Placement>() };
  /**
   * The scheduling world of a DaemonSet without required pod (anti-)affinity of its own (the
   * others' anti-affinity holders only), kept until a poke says such pods came or went.
   */
  private world: { uid: string; value: SchedulingWorld | undefined } | undefined;
  /** Running counts over the view, for passes over the changed nodes (memory only: rebuilt from the view). */
  private counts: FleetCounts | undefined;
  /** What the passes since this object started planned over (tests, the pass-cost bench). */
  private readonly passStats: PlanningStats = { localPasses: 0, fullPasses: 0, nodesPlanned: 0, countsBuilt: 0 };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openDb(env.DB, { agentsChanged: (names) => invalidateNodeShards(env, names) });
    this.sql = ctx.storage.sql;
    this.kv = ctx.storage.kv;
    this.outbox = new Outbox(ctx.storage);
    this.viewStore = new ViewStore(ctx.storage);
    this.changes = new Changes(this.kv.get<ChangeSet>("changes"));
    this.sql.exec(`CREATE TABLE IF NOT EXISTS recent_events (key TEXT PRIMARY KEY, at INTEGER NOT NULL)`);
    migrateStateTable(this.sql, this.kv);
  }

  /**
   * Something about this DaemonSet changed (`changed`: what to re-read; undefined: anything, a full
   * resync). Records it and returns: a pass runs from the alarm `coalesceMs` later, or, when one is
   * running, right after it, over everything recorded meanwhile.
   */
  async poke(ref: DaemonSetRef, changed?: Changed): Promise<void> {
    this.remember(ref);
    this.note(changed);
    if (this.running) {
      this.pending = true;
      return;
    }
    await this.armAlarm(Date.now() + coalesceMs);
  }

  /**
   * A poke that waits for the pass covering it (at most until its loop ends): a node that just
   * confirmed its old pod gone learns its replacement in the same sync, not one interval later,
   * as a kubelet watching would. The caller bounds the wait.
   */
  async pokeAndWait(ref: DaemonSetRef, changed?: Changed): Promise<void> {
    this.remember(ref);
    this.note(changed);
    await this.run();
  }

  /** A full resync now: runs passes until nothing is left to do and returns the last one's summary (tests, tools). */
  async reconcileNow(ref: DaemonSetRef): Promise<PassSummary | undefined> {
    this.remember(ref);
    this.changes.addAll();
    if (this.running) await this.running.catch(() => undefined);
    return this.run();
  }

  /**
   * Every timer, and the safety net. Re-derives everything from D1 and this object's storage, so
   * a second firing (alarms are at-least-once) is one more harmless pass.
   */
  override async alarm(): Promise<void> {
    await this.run();
  }

  /**
   * Keeps the DaemonSet's name, and for a deletion its policy keyed by the deleted uid: a later
   * poke (a pod's status) cannot lose it, and a new DaemonSet of the same name never inherits it.
   */
  private remember(ref: DaemonSetRef): void {
    this.put("ref", { namespace: ref.namespace, name: ref.name });
    if (ref.uid) this.put(`deletion/${ref.uid}`, ref.propagationPolicy ?? "Background");
  }

  private note(changed: Changed | undefined): void {
    if (!changed) this.changes.addAll();
    this.changes.addNodes(changed?.nodes ?? []);
    this.changes.addPods(changed?.pods ?? []);
    if (changed?.elsewhere) this.changes.addElsewhere();
    this.put("changes", this.changes.snapshot());
  }

  /**
   * One run at a time: a call during a run marks it pending and shares its promise, and the run
   * loops until no call came in meanwhile. The pending check and the end of the run happen in
   * one synchronous step, so no wake-up is ever lost between them.
   */
  private run(): Promise<PassSummary | undefined> {
    if (this.running) {
      this.pending = true;
      return this.running;
    }
    this.pending = true;
    this.running = this.loop();
    return this.running;
  }

  private async loop(): Promise<PassSummary | undefined> {
    let summary: PassSummary | undefined;
    try {
      // Armed before any D1 work: an eviction or crash mid-run (even inside the alarm handler
      // itself) is resumed by it. Settled (re-armed for the next timer, or removed) at the end.
      await this.armAlarm(Date.now() + safetyDelayMs);
      this.budget = { left: statementBudgetPerRun };
      let passes = 0;
      while (this.pending) {
        let more = true;
        while (more && passes < maxPassesPerRun) {
          this.pending = false;
          let result: Awaited<ReturnType<DaemonSetController["pass"]>>;
          const started = Date.now();
          try {
            result = await this.pass();
            this.observePass(started, false);
          } catch (error) {
            if (!(error instanceof BudgetExhausted)) {
              this.observePass(started, true);
              throw error;
            }
            this.observePass(started, false);
            // Only D1's per-invocation limit stops this run: the next invocation goes on at once.
            await this.ctx.storage.setAlarm(Date.now());
            return summary;
          }
          passes++;
          summary = result.summary;
          // A pass that acted runs again at once: the next wave is planned only from a world in
          // which this one's creates and deletes are visible (Kubernetes' expectations).
          more = result.acted || this.pending;
        }
        // Out of passes with work left (a huge fleet, or pokes arriving all the time): the alarm
        // continues shortly, in a fresh invocation.
        if (more || (this.pending && passes >= maxPassesPerRun)) {
          await this.settleAlarm(continueDelayMs);
          return summary;
        }
        // Settled: the planner's next timer, else a periodic resync (what an informer's resync is
        // in Kubernetes), so a wake-up lost on the way (a deploy, a failed poke) costs minutes, not forever.
        await this.settleAlarm(summary?.requeueAfterMs ?? (summary ? resyncMs : undefined));
      }
      return summary;
    } finally {
      this.running = undefined;
    }
  }

  /** How many passes planned the changed nodes only, how many the whole view, and over how many nodes. */
  async planningStats(): Promise<PlanningStats> {
    return { ...this.passStats };
  }

  /** Its reconcile passes so far, for `/metrics` (kept in storage: an eviction loses none). */
  async reconcileStats(): Promise<ReconcileStats> {
    return this.get<ReconcileStats>("reconcileStats") ?? emptyReconcileStats();
  }

  /** Date.now() inside an object advances with I/O: the pass's wall time, D1 round trips included. */
  private observePass(started: number, failed: boolean): void {
    this.put("reconcileStats", observePass(this.get<ReconcileStats>("reconcileStats") ?? emptyReconcileStats(), (Date.now() - started) / 1000, failed));
  }

  private async pass(): Promise<{ acted: boolean; summary?: PassSummary }> {
    await this.applyOutbox();
    const ref = this.get<DaemonSetRef>("ref");
    if (!ref) return { acted: false };
    const ds = await getObject<DaemonSet>(this.db, { kind: "DaemonSet", namespace: ref.namespace, name: ref.name });
    const known = this.get<DaemonSet>("daemonSet");
    // The DaemonSet was deleted (or replaced by a new one of the same name): clean up after the old one.
    if (known && (!ds || ds.metadata.uid !== known.metadata.uid)) {
      const policy = this.get<NonNullable<DaemonSetRef["propagationPolicy"]>>(`deletion/${known.metadata.uid}`) ?? "Background";
      const acted = await this.cleanUp(known, policy);
      if (acted) return { acted: true };
      this.delete("daemonSet");
      this.delete(`deletion/${known.metadata.uid}`);
    }
    if (!ds) {
      this.forgetView();
      return { acted: false };
    }
    if (known?.metadata.resourceVersion !== ds.metadata.resourceVersion) this.put("daemonSet", ds);

    const namespace = ds.metadata.namespace ?? "default";
    const [{ view, touched }, revisions] = await Promise.all([
      this.refreshView(ds),
      listObjects<ControllerRevision>(this.db, "ControllerRevision", { namespace, ownerUid: ds.metadata.uid, includeOrphans: true }),
    ]);
    const deps = this.plannerDeps(ds);
    const base = { ds, revisions: revisions.items };
    // A pass told which nodes changed plans those alone (local-pass.ts) when it can be sure to plan
    // what the full pass would; else it plans the whole view.
    const active = touched && this.activeNames(ds, view, base.revisions, deps, touched);
    const nodes = active ? [...active].flatMap((name) => view.node(name) ?? []) : view.nodeList();
    const pods = active ? [...active].flatMap((name) => view.podsTargeting(name)) : view.podList();
    const inputFor = async (snapshot: Pick<PlannerInput, "ds" | "revisions" | "nodes" | "pods">): Promise<PlannerInput> => {
      // Pods elsewhere only matter to a pass that may place pods: the input says whether to load them.
      const world = mayPlacePods({ ...snapshot, now: Date.now(), failedPodBackoff: {} }, deps) ? await this.schedulingWorld(ds) : undefined;
      // From here to the outbox write there is no await: decide and record in one step.
      const rollout = this.get<RolloutRecord>("rollout");
      return { ...snapshot, world, maxCreates: burstPerPass, maxDeletes: burstPerPass, now: Date.now(), failedPodBackoff: this.get<Record<string, number>>("failedPodBackoff") ?? {}, ...(rollout ? { rollout } : {}) };
    };
    let input = await inputFor(active ? { ...base, nodes, pods } : { ...base, nodes: view.nodeList(), pods: view.podList() });
    const local = active && this.counts ? planNodeChanges(input, this.counts, active, deps) : undefined;
    if (active && !local) input = await inputFor({ ...base, nodes: view.nodeList(), pods: view.podList() });
    const plan = local?.plan ?? planDaemonSet(input, deps);
    const now = input.now;
    if (local) for (const [name, summary] of local.summaries) this.counts!.set(name, summary);
    // The counts follow the view only through local passes: any other pass leaves them behind.
    if (!local) this.counts = undefined;
    if (local) this.passStats.localPasses++;
    else this.passStats.fullPasses++;
    this.passStats.nodesPlanned += local ? nodes.length : view.nodeCount;
    const planned = local ? pods : view.podList();
    this.record(ds, plan, planned, now);
    await this.applyOutbox();
    await this.wakeForPlacedPods(ref, plan, planned);
    return {
      acted: planActed(plan),
      summary: { created: plan.createPods.length, deleted: plan.deletePods.length, status: plan.status ?? ds.status, requeueAfterMs: earliest(plan.requeueAfterMs, nextAvailabilityMs(ds, view, planned, now)) },
    };
  }

  /**
   * The names a pass told about `touched` re-plans: those and the fleet's unsettled ones, with the
   * running counts (built from the view when there are none) — or undefined when the counts cannot
   * serve (a rollout policy or a rolling update under way: the full pass plans those).
   */
  private activeNames(ds: DaemonSet, view: DaemonSetView, revisions: readonly ControllerRevision[], deps: PlannerDeps, touched: Set<string>): Set<string> | undefined {
    const rollingOut = (ds.status?.updatedNumberScheduled ?? 0) !== (ds.status?.desiredNumberScheduled ?? 0) || (ds.status?.observedGeneration ?? 0) < (ds.metadata.generation ?? 0);
    if (!this.counts) {
      if (rollingOut || parseRolloutPolicy(ds.metadata.annotations).policy) return undefined;
      this.passStats.countsBuilt++;
      this.counts = countFleet({ ds, nodes: view.nodeList(), pods: view.podList(), revisions, now: Date.now(), failedPodBackoff: this.get<Record<string, number>>("failedPodBackoff") ?? {} }, deps);
    }
    if (!this.counts) return undefined;
    const active = new Set([...touched, ...this.counts.unsettled]);
    return active.size <= maxActiveNodes ? active : undefined;
  }

  /**
   * The view, brought up to date: loaded whole when there is none (a restart), it belongs to
   * another DaemonSet of this name, a poke could not say what changed, or it is older than the
   * resync period; else only the nodes and pods the pokes (and this object's own writes) named
   * are re-read.
   */
  private async refreshView(ds: DaemonSet): Promise<{ view: DaemonSetView; touched?: Set<string> }> {
    const uid = ds.metadata.uid ?? "";
    const namespace = ds.metadata.namespace ?? "default";
    const taken = this.changes.take();
    const startedAt = Date.now();
    const previous = this.view ?? this.viewStore.load(uid, startedAt - resyncMs, startedAt);
    // Until this refresh is saved, a restart must not trust the stored view.
    this.viewStore.refreshing();
    this.put("changes", this.changes.snapshot());
    if (taken.full || taken.elsewhere) this.world = undefined;
    try {
      if (!previous || previous.uid !== uid || taken.full || startedAt - previous.loadedAt >= resyncMs) {
        this.world = undefined;
        const [nodes, pods] = await Promise.all([listObjects<Node>(this.db, "Node"), listOwnedAndOrphans<Pod>(this.db, "Pod", namespace, uid)]);
        const view = new DaemonSetView(uid, namespace, startedAt, nodes.items, [...pods.owned, ...pods.orphans]);
        this.viewStore.savedWhole(view, previous);
        this.view = view;
        return { view };
      }
      const [nodes, onNodes, named] = await Promise.all([
        taken.nodes.length ? listNodesNamed(this.db, taken.nodes) : [],
        taken.nodes.length ? listPodsOnNodes(this.db, taken.nodes) : [],
        taken.pods.length ? listPodsNamed(this.db, namespace, taken.pods) : [],
      ]);
      const readAt = Date.now();
      const touched = previous.applyNodes(taken.nodes, nodes, onNodes, readAt);
      const { targets } = previous.applyPods(taken.pods, named, readAt);
      this.viewStore.savedDelta(previous, taken.nodes, [...touched.pods, ...taken.pods]);
      this.view = previous;
      return { view: previous, touched: new Set([...taken.nodes, ...targets]) };
    } catch (error) {
      this.changes.restore(taken);
      this.put("changes", this.changes.snapshot());
      throw error;
    }
  }

  private forgetView(): void {
    if (!this.view && !this.get("view")) return;
    this.view = undefined;
    this.viewStore.clear();
  }

  /**
   * What pod (anti-)affinity is judged against. A DaemonSet with required terms of its own sees
   * every bound pod, its own just placed included: read every time. Any other sees only the
   * anti-affinity holders of others, which every change pokes it about (`elsewhere`): kept.
   */
  private async schedulingWorld(ds: DaemonSet): Promise<SchedulingWorld | undefined> {
    const uid = ds.metadata.uid ?? "";
    if (hasRequiredPodAffinityTerms(ds.spec.template.spec)) return loadSchedulingWorld(this.db, ds);
    if (this.world?.uid === uid) return this.world.value;
    const value = await loadSchedulingWorld(this.db, ds);
    // A poke meanwhile that said the world changed is in `changes`: the next pass drops this one.
    this.world = { uid, value };
    return value;
  }

  /**
   * The planner's dependencies, with placement remembered across passes per Node object: a pass
   * after one node's change judges that node again and no other.
   */
  private plannerDeps(ds: DaemonSet): PlannerDeps {
    const key = `${ds.metadata.uid}/${ds.metadata.generation ?? 0}`;
    if (this.placements.key !== key) this.placements = { key, byNode: new WeakMap() };
    const memo = this.placements.byNode;
    return {
      ...defaultPlannerDeps,
      nodeShouldRunDaemonPod(node, daemonSet) {
        let placement = memo.get(node);
        if (!placement) memo.set(node, (placement = defaultPlannerDeps.nodeShouldRunDaemonPod(node, daemonSet)));
        return placement;
      },
    };
  }

  /** Pods this pass put on nodes may be what other DaemonSets' pending pods wait for (or must avoid). */
  private async wakeForPlacedPods(ref: DaemonSetRef, plan: Plan, pods: readonly Pod[]): Promise<void> {
    const byName = new Map(pods.map((pod) => [pod.metadata.name ?? "", pod]));
    const placed = [
      ...plan.createPods.filter((pod) => pod.spec.nodeName),
      ...plan.bindPods.flatMap((binding) => byName.get(binding.name) ?? []),
    ];
    await wakeForPodChanges(this.env, this.db, placed, ref).catch((error) => console.error(`daemonset ${ref.namespace}/${ref.name}: waking others failed`, error));
  }

  /** Deletes (or orphans) what a deleted DaemonSet owned. Returns whether anything was left to do. */
  private async cleanUp(ds: DaemonSet, policy: NonNullable<DaemonSetRef["propagationPolicy"]>): Promise<boolean> {
    const namespace = ds.metadata.namespace ?? "default";
    const uid = ds.metadata.uid ?? "";
    const [pods, revisions] = await Promise.all([
      listObjects<Pod>(this.db, "Pod", { namespace, ownerUid: uid }),
      listObjects<ControllerRevision>(this.db, "ControllerRevision", { namespace, ownerUid: uid }),
    ]);
    const now = Date.now();
    if (policy === "Orphan") {
      const writes = writesForOrphaning(uid, pods.items, revisions.items);
      this.enqueue(writes);
      await this.applyOutbox();
      return false;
    }
    const deleting: DaemonSet = { ...ds, metadata: { ...ds.metadata, deletionTimestamp: ds.metadata.deletionTimestamp ?? rfc3339(now) } };
    const plan = planDaemonSet({ ds: deleting, nodes: [], pods: pods.items, revisions: revisions.items, now, failedPodBackoff: {}, maxDeletes: burstPerPass });
    this.record(deleting, { ...plan, status: undefined }, pods.items, now);
    await this.applyOutbox();
    return planActed(plan);
  }

  private record(ds: DaemonSet, plan: Plan, pods: readonly Pod[], now: number): void {
    const recent = new Set(
      this.sql
        .exec<{ key: string }>(`SELECT key FROM recent_events WHERE at > ?`, now - eventRepeatMs)
        .toArray()
        .map((row) => row.key),
    );
    const { writes, emitted } = writesForPlan(ds, plan, {
      now,
      newUid: () => crypto.randomUUID(),
      random: Math.random,
      eventTtlMs: settingsOf(this.env).eventTtlMs,
      pods: new Map(pods.map((pod) => [pod.metadata.name ?? "", pod])),
      recentEvents: recent,
    });
    // What this pass writes is re-read by the next one (the expectations of Kubernetes).
    this.changes.addPods(podsWritten(writes, ds.metadata.namespace ?? "default"));
    this.ctx.storage.transactionSync(() => {
      this.put("changes", this.changes.snapshot());
      this.enqueue(writes);
      this.put("failedPodBackoff", plan.failedPodBackoff);
      if (plan.rollout) this.put("rollout", plan.rollout);
      this.sql.exec(`DELETE FROM recent_events WHERE at <= ?`, now - eventRepeatMs);
      for (const key of emitted) this.sql.exec(`INSERT OR REPLACE INTO recent_events (key, at) VALUES (?, ?)`, key, now);
    });
  }

  private enqueue(writes: readonly RecordedWrite[]): void {
    this.outbox.enqueue(writes);
  }

  /** Sends recorded writes to D1 in order, within this run's write budget. */
  private async applyOutbox(): Promise<void> {
    await this.outbox.drain(this.db, this.budget);
  }

  /** One alarm for every timer: the planner's requeue, or none when all is settled. */
  private async settleAlarm(requeueAfterMs: number | undefined): Promise<void> {
    if (requeueAfterMs !== undefined) await this.ctx.storage.setAlarm(Date.now() + Math.max(requeueAfterMs, 100));
    else await this.ctx.storage.deleteAlarm();
  }

  private async armAlarm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  private get<T>(key: string): T | undefined {
    return this.kv.get<T>(key);
  }

  private put(key: string, value: unknown): void {
    this.kv.put(key, value);
  }

  private delete(key: string): void {
    this.kv.delete(key);
  }
}

const earliest = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

/**
 * How long until the next of the view's pods has been Ready for minReadySeconds: the moment a
 * rolling update's budget frees, so the next wave starts then rather than at some later poke.
 * Measured from when the pod really turned Ready as far as this object can tell (`readySince`),
 * never earlier: a wave never starts before minReadySeconds have passed.
 */
function nextAvailabilityMs(ds: DaemonSet, view: DaemonSetView, pods: readonly Pod[], now: number): number | undefined {
  const minReadyMs = (ds.spec.minReadySeconds ?? 0) * 1000;
  if (minReadyMs === 0) return undefined;
  let next: number | undefined;
  for (const pod of pods) {
    if (podAvailableAt(pod, ds.spec.minReadySeconds ?? 0) === undefined) continue;
    const since = view.readySince(pod);
    const at = since === undefined ? undefined : since + minReadyMs;
    if (at !== undefined && at > now && (next === undefined || at < next)) next = at;
  }
  return next === undefined ? undefined : next - now;
}

/**
 * Objects created before the state moved to `ctx.storage.kv` kept it in a hand-made `state` table:
 * copied over once, then dropped.
 */
function migrateStateTable(sql: SqlStorage, kv: SyncKvStorage): void {
  const exists = sql.exec(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'state'`).toArray().length > 0;
  if (!exists) return;
  for (const row of sql.exec<{ key: string; value: string }>(`SELECT key, value FROM state`)) kv.put(row.key, JSON.parse(row.value));
  sql.exec(`DROP TABLE state`);
}
