/**
 * @module
 * A fleet of simulated devices in one process, speaking the real agent protocol: each enrolls with
 * a bootstrap token (`POST /agent/v1/enroll`), then syncs with its node credential
 * (`POST /agent/v1/sync`, the version it holds as If-None-Match, 304 = nothing new), its body built
 * by the agent's own `buildSyncRequest`/`serializeSyncRequest` and its timing by the agent's own
 * `SyncScheduler` (the server's interval ±10 % jitter, a prompt report ~300 ms after a local change,
 * back-off after a failure). Pods run in a `StandInRuntime`. Syncs start spread over one interval.
 *
 * Commands: `failImage(image)` makes a revision fail, `setOffline(name, true)` silences a device.
 * Every sync is recorded (when, status, server time) for the scenarios to read.
 *
 * @example
 * const fleet = new Fleet({ server: cp.url, ca: cp.connection.ca });
 * await fleet.enroll(names.map((name) => ({ name, labels: { fleet: "on" } })), token);
 * fleet.start();
 * await fleet.waitFor("all ready", () => fleet.nodes.every((n) => n.readyPods().size === 1));
 * await fleet.stop();
 */
import { buildSyncRequest, serializeSyncRequest } from "../../agent/sync/sync-request.ts";
import { defaultSyncBackoff, nextSyncDelay, syncBackoffDelay } from "../../agent/sync/sync-backoff.ts";
import { SyncScheduler } from "../../agent/sync/sync-scheduler.ts";
import type { NodeReport, SyncResponse } from "../../src/protocol/agent.ts";
import type { Pod } from "../../src/resources/types.ts";
import { FleetClient, type FleetResponse } from "./http.ts";
import { StandInRuntime } from "./stand-in-runtime.ts";

export interface FleetOptions {
  server: string;
  ca?: string;
  /** Requests on the wire at once (default 16). */
  concurrency?: number;
  /** How long a started pod takes to become Ready (default 0: at once). */
  readyDelayMs?: number;
  /** Debounce of the prompt report after a local change (the agent's default, 300 ms). */
  debounceMs?: number;
}

export interface SyncRecord {
  /** performance.now() at the answer. */
  at: number;
  node: string;
  status: number;
  /** Socket assigned → last byte. */
  ms: number;
  totalMs: number;
}

export interface NodeSpec {
  name: string;
  labels?: Record<string, string>;
}

export class SimNode {
  credential?: string;
  version?: string;
  assigned: Pod[] = [];
  intervalSeconds = 10;
  failures = 0;
  syncs = 0;
  offline = false;
  private lastSentBody?: string;
  private scheduler?: SyncScheduler;
  private readyTimer?: ReturnType<typeof setTimeout>;
  readonly runtime: StandInRuntime;
  readonly name: string;
  readonly labels: Record<string, string>;
  private readonly fleet: Fleet;

  constructor(name: string, labels: Record<string, string>, fleet: Fleet) {
    this.name = name;
    this.labels = labels;
    this.fleet = fleet;
    this.runtime = new StandInRuntime({ readyDelayMs: fleet.readyDelayMs, failingImages: fleet.failingImages });
  }

  report(): NodeReport {
    return {
      labels: { "kubernetes.io/hostname": this.name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64" },
      nodeInfo: { operatingSystem: "linux", architecture: "amd64", kubeletVersion: "edgeset-sim" },
      runtimes: ["process"],
    };
  }

  body(now: number): string {
    return serializeSyncRequest(buildSyncRequest({ node: this.report(), assigned: this.assigned, running: this.runtime.snapshots(now) }));
  }

  readyPods(now = Date.now()): Map<string, number> {
    return this.runtime.readyPods(now);
  }

  /** The pods assigned here and not being deleted. */
  livePods(): Pod[] {
    return this.assigned.filter((p) => !p.metadata.deletionTimestamp);
  }

  start(delayMs: number): void {
    this.scheduler = new SyncScheduler({
      run: () => this.syncOnce(),
      promptWanted: () => this.failures === 0 && this.body(Date.now()) !== this.lastSentBody,
      debounceMs: this.fleet.debounceMs,
    });
    this.scheduler.start(delayMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.readyTimer);
    const scheduler = this.scheduler;
    this.scheduler = undefined;
    await scheduler?.stop();
  }

  private async syncOnce(): Promise<number> {
    if (!this.credential) return 1000;
    const body = this.body(Date.now());
    let res: FleetResponse;
    try {
      res = await this.fleet.client.request("POST", "/agent/v1/sync", body, {
        Authorization: `Bearer ${this.credential}`,
        // As the agent does: the node's shard answers from memory (src/controller/node-shard.ts).
        "X-Edgeset-Node": this.name,
        ...(this.version ? { "If-None-Match": this.version } : {}),
      });
    } catch {
      this.fleet.record({ at: performance.now(), node: this.name, status: 0, ms: 0, totalMs: 0 });
      return this.failed();
    }
    this.syncs++;
    this.fleet.record({ at: performance.now(), node: this.name, status: res.status, ms: res.ms, totalMs: res.totalMs });
    if (res.status === 304) {
      this.lastSentBody = body;
      this.failures = 0;
      const interval = Number(res.headers["x-sync-interval"]);
      if (interval > 0) this.intervalSeconds = interval;
    } else if (res.status === 200) {
      this.lastSentBody = body;
      this.failures = 0;
      const response = JSON.parse(res.body) as SyncResponse;
      this.version = response.version;
      this.assigned = response.pods;
      if (response.syncIntervalSeconds > 0) this.intervalSeconds = response.syncIntervalSeconds;
      const now = Date.now();
      if (this.runtime.converge(this.assigned, now)) this.scheduler?.requestPrompt();
      this.armReadyTimer(now);
    } else {
      return this.failed();
    }
    return nextSyncDelay(this.intervalSeconds, Math.random);
  }

  /** A prompt report when the next pod turns ready (the real runtime's onChange). */
  private armReadyTimer(now: number): void {
    clearTimeout(this.readyTimer);
    const next = this.runtime.nextReadyAt(now);
    if (next === undefined) return;
    this.readyTimer = setTimeout(() => {
      this.scheduler?.requestPrompt();
      this.armReadyTimer(Date.now());
    }, next - now);
  }

  private failed(): number {
    this.failures++;
    return syncBackoffDelay(this.failures, defaultSyncBackoff, Math.random);
  }
}

export class Fleet {
  readonly client: FleetClient;
  /**
   * Enrolments go over their own connections: new devices are other machines than the fleet's,
   * so a burst of them does not queue behind the running fleet's syncs in this one process.
   */
  private readonly enrolClient: FleetClient;
  readonly readyDelayMs: number;
  readonly debounceMs: number;
  readonly failingImages = new Set<string>();
  readonly nodes: SimNode[] = [];
  readonly syncLog: SyncRecord[] = [];
  private readonly byName = new Map<string, SimNode>();
  private started = false;

  constructor(options: FleetOptions) {
    this.client = new FleetClient(options.server, options.ca, options.concurrency ?? 16);
    this.enrolClient = new FleetClient(options.server, options.ca, 8);
    this.readyDelayMs = options.readyDelayMs ?? 0;
    this.debounceMs = options.debounceMs ?? 300;
  }

  node(name: string): SimNode {
    const node = this.byName.get(name);
    if (!node) throw new Error(`no simulated node ${name}`);
    return node;
  }

  record(entry: SyncRecord): void {
    this.syncLog.push(entry);
  }

  /**
   * Enrolls devices with the bootstrap token, `concurrency` at a time (at most 8 on the wire), and
   * resolves to each enrolment's latency in ms. Enrolled devices start syncing once `start()` ran
   * (at once when it already has).
   */
  async enroll(specs: readonly NodeSpec[], bootstrapToken: string, concurrency = 8): Promise<number[]> {
    const latencies: number[] = [];
    let next = 0;
    const one = async (spec: NodeSpec) => {
      const node = new SimNode(spec.name, spec.labels ?? {}, this);
      const res = await this.enrolClient.request("POST", "/agent/v1/enroll", JSON.stringify({ nodeName: spec.name, labels: spec.labels, node: node.report() }), { Authorization: `Bearer ${bootstrapToken}` });
      if (res.status !== 200 && res.status !== 201) throw new Error(`enroll ${spec.name}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
      const response = JSON.parse(res.body) as { credential: string; syncIntervalSeconds?: number };
      node.credential = response.credential;
      if (response.syncIntervalSeconds && response.syncIntervalSeconds > 0) node.intervalSeconds = response.syncIntervalSeconds;
      latencies.push(res.ms);
      this.nodes.push(node);
      this.byName.set(node.name, node);
      if (this.started) node.start(0);
    };
    await Promise.all(
      Array.from({ length: Math.min(concurrency, specs.length) }, async () => {
        while (next < specs.length) await one(specs[next++]!);
      }),
    );
    return latencies;
  }

  /** Every enrolled device starts syncing, the first syncs spread evenly over one interval. */
  start(): void {
    this.started = true;
    for (const node of this.nodes) node.start(Math.random() * node.intervalSeconds * 1000);
  }

  /** An offline device stops syncing (its lease runs out); back online it syncs at once. */
  async setOffline(name: string, offline: boolean): Promise<void> {
    const node = this.node(name);
    if (node.offline === offline) return;
    node.offline = offline;
    if (offline) await node.stop();
    else if (this.started) node.start(0);
  }

  failImage(image: string): void {
    this.failingImages.add(image);
  }

  /**
   * Resolves when `check` holds, checked every `pollMs` (a poll, not a wake per device change: a
   * check reads the whole fleet, and 10,000 devices change 10,000 times); rejects after `timeoutMs`, with `progress()` in the message (and in a log line every
   * 30 s when `log` is given).
   */
  async waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 600_000, pollMs = 100, progress?: () => string | Promise<string>, log?: (line: string) => void): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    let nextLog = performance.now() + 30_000;
    while (!(await check())) {
      const now = performance.now();
      if (now > deadline) throw new Error(`fleet: timed out after ${timeoutMs} ms waiting for ${what}${progress ? ` (${await progress()})` : ""}`);
      if (log && progress && now > nextLog) {
        log(`waiting for ${what}: ${await progress()}`);
        nextLog = now + 30_000;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all(this.nodes.map((n) => n.stop()));
    this.client.close();
    this.enrolClient.close();
  }
}
