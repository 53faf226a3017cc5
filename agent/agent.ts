/**
 * @module
 * The agent: enrolls once, keeps the node's assignments (and the ConfigMaps and Secrets they
 * reference) on disk, makes the runtime match them together with the static pods of the manifest
 * directory (from the saved copy at start, before and regardless of reaching the server), runs
 * the probes, and syncs status up and assignments down on an interval, promptly after local
 * changes, with back-off on failure.
 *
 * Order of a start: load credential, saved assignments and config → read the static pods →
 * recover the runtime (adopt live workloads) → remove volumes nobody owns → converge → first
 * sync. Each 200 is persisted (temp + rename) before the runtime converges on it.
 *
 * @example
 * const agent = new Agent({ config, runtime, store, client, log, readNodeReport, configStore, volumes });
 * await agent.start();
 * process.on("SIGTERM", () => agent.stop(config.stopPodsOnExit).then(() => process.exit(0)));
 */
import type { NodeReport, SyncResponse } from "../src/protocol/agent.ts";
import type { Pod } from "../src/resources/types.ts";
import { acceptSyncResponse } from "./accept/accept-assignments.ts";
import type { RefusedPod } from "./accept/accept-pod.ts";
import type { AgentConfig } from "./cli/flags.ts";
import type { Logger } from "./log.ts";
import { gracePeriodFor, planPodActions } from "./pods/plan-pod-actions.ts";
import { podKey } from "./pods/pod-key.ts";
import type { ProbeResults } from "./pods/pod-status.ts";
import { ProbeManager } from "./probes/probe-manager.ts";
import type { Stager } from "./prestage/stager.ts";
import type { Runtime } from "./runtime/runtime.ts";
import { ConfigStore } from "./state/config-store.ts";
import { acquireInstanceLock, type InstanceLock } from "./state/instance-lock.ts";
import type { StateStore, StoredAssignments, StoredCredential } from "./state/state-store.ts";
import type { VolumeManager } from "./volumes/volume-manager.ts";
import type { ControlPlane, EnrollOutcome, HttpFailure } from "./sync/control-plane-client.ts";
import { absentConfig, missingConfig } from "./sync/missing-config.ts";
import {
  clampSyncInterval,
  defaultSyncBackoff,
  defaultSyncIntervalBounds,
  nextSyncDelay,
  retryAfterDelay,
  syncBackoffDelay,
  type SyncBackoffParams,
  type SyncIntervalBounds,
} from "./sync/sync-backoff.ts";
import { buildSyncRequest, serializeSyncRequest } from "./sync/sync-request.ts";
import { type SyncScheduleState, SyncScheduler } from "./sync/sync-scheduler.ts";
import { formatGoDuration } from "./time.ts";

export interface AgentOptions {
  config: AgentConfig;
  runtime: Runtime;
  store: StateStore;
  client: ControlPlane;
  log: Logger;
  readNodeReport: () => NodeReport;
  /** The ConfigMaps and Secrets runtimes read; the agent fills it from each sync. */
  configStore?: ConfigStore;
  /** To remove, at start, the volumes (Secrets) of pods that no longer exist. */
  volumes?: VolumeManager;
  /** The static pods of the manifest directory, if the agent has one. */
  staticPods?: StaticPods;
  /** Prepares the upcoming revisions the assignments announce (pre-staging: agent/prestage). */
  stager?: Pick<Stager, "update" | "conditions" | "onChange" | "close">;
  /** Joins the operator sessions a sync answer says wait (kubectl logs). */
  sessions?: { poll(credential: string, nodeName: string): void; keepDoorbell?(credential: string, nodeName: string): void; close?(): void };
  /** Called at the end of `stop` (the assembly removes an empty secrets dir). */
  onStopped?: () => void;
  random?: () => number;
  syncBackoff?: SyncBackoffParams;
  /** Where the sync interval is held, whoever sets it; default 1 s to 1 h. */
  syncIntervalBounds?: SyncIntervalBounds;
  /** Debounce before a sync prompted by a local change; default 300 ms. */
  debounceMs?: number;
}

/** What the agent needs from the static pod source. */
export interface StaticPods {
  start(): void;
  pods(): Pod[];
  close(): void;
}

export class Agent {
  private readonly options: AgentOptions;
  private readonly config: AgentConfig;
  private readonly scheduler: SyncScheduler;
  private readonly abort = new AbortController();
  private credential?: StoredCredential;
  /** The last sync was refused with 401/403: enroll again (if possible), keep the credential meanwhile. */
  private credentialRejected = false;
  private assignments?: StoredAssignments;
  /** The Retry-After of the last refused enrolment (429/503), for the round's back-off. */
  private enrollRetryAfter?: number;
  /** The server's syncIntervalSeconds from enrollment, until a sync brings one. */
  private enrolledInterval?: number;
  private failures = 0;
  private lastSentBody?: string;
  private stopped = false;
  private lock?: InstanceLock;
  private runtimeRecovered = false;
  private readonly configStore: ConfigStore;
  private readonly probes: ProbeManager;
  /** False until a full answer (200) arrived since the start: what was saved may be incomplete. */
  private assignmentsFresh = false;
  /** Referenced objects the last full answer did not carry (they do not exist on the server). */
  private absentOnServer = new Set<string>();
  private missingLogged = "";
  /** Assigned pods the agent cannot run (refused at the boundary); reported, never applied. */
  private refused: RefusedPod[] = [];
  /** Pods whose last sync with the runtime threw, by uid: reported until a sync succeeds. */
  private readonly applyFailures = new Map<string, RefusedPod>();

  constructor(options: AgentOptions) {
    this.options = options;
    this.config = options.config;
    this.configStore = options.configStore ?? new ConfigStore();
    this.probes = new ProbeManager({ runtime: options.runtime, log: options.log, onChange: () => this.scheduler.requestPrompt() });
    this.scheduler = new SyncScheduler({
      run: () => this.syncOnce(),
      promptWanted: () => this.failures === 0 && this.credential !== undefined && this.currentBody() !== this.lastSentBody,
      debounceMs: options.debounceMs ?? 300,
    });
    options.stager?.onChange(() => {
      if (!this.stopped) this.scheduler.requestPrompt();
    });
  }

  async start(): Promise<void> {
    const { store, runtime, log } = this.options;
    store.ensure();
    this.credential = this.loadCredential();
    if (!this.credential && !this.config.bootstrapToken) {
      throw new Error(`not enrolled (no credential in ${store.dir}) and no bootstrap token: pass --bootstrap-token`);
    }
    this.lock = acquireInstanceLock(store.dir);
    // Whatever was saved, the agent starts: what cannot be used is logged (and reported) and left out.
    const saved = store.loadAssignments();
    for (const problem of saved.problems) log(problem);
    this.assignments = saved.value;
    this.refused = saved.refused;
    for (const problem of this.configStore.load(this.assignments?.configMaps)) log(problem);
    // Read now, before any network: static pods run at boot whether or not the server answers.
    this.options.staticPods?.start();
    runtime.onChange(() => this.onRuntimeChange());
    await runtime.recover();
    this.runtimeRecovered = true;
    const held = runtime.listPods();
    // Volumes of pods still wanted stay (a runtime may not list them yet: a daemon still starting).
    const wanted = this.desiredPods().map((pod) => ({ namespace: pod.metadata.namespace || "default", name: pod.metadata.name ?? "", uid: pod.metadata.uid ?? "" }));
    const removed = this.options.volumes?.removeOthers(new Set([...held, ...wanted].map((p) => podKey(p)))) ?? [];
    if (removed.length > 0) log(`removed the volumes of ${removed.length} pod(s) that no longer exist`);
    log(
      `edgeset agent starting: node ${this.config.nodeName}, server ${this.config.server}, ` +
        `${this.assignments?.pods.length ?? 0} saved pod(s), ${this.options.staticPods?.pods().length ?? 0} static pod(s), ${held.length} pod(s) on disk`,
    );
    this.converge();
    this.scheduler.start(0);
  }

  /** What the sync loop has armed (a sync in flight, a prompt, the next regular delay). */
  syncSchedule(): SyncScheduleState {
    return this.scheduler.state();
  }

  /** The static pods changed (a manifest was added, changed or removed). */
  staticPodsChanged(): void {
    if (this.stopped || !this.runtimeRecovered) return;
    this.converge();
    this.scheduler.requestPrompt();
  }

  /** Ends the sync loop; the workloads keep running unless `stopPods`. */
  async stop(stopPods: boolean): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.options.sessions?.close?.();
    await this.scheduler.stop();
    this.probes.close();
    this.options.stager?.close();
    this.options.staticPods?.close();
    const { runtime } = this.options;
    if (stopPods) {
      const pods = runtime.listPods().filter((p) => p.phase !== "stopped");
      await Promise.all(pods.map((p) => runtime.killPod(p.uid, gracePeriodFor(p.pod))));
    }
    runtime.close();
    this.lock?.release();
    this.options.onStopped?.();
  }

  private loadCredential(): StoredCredential | undefined {
    const { store, log } = this.options;
    let stored: StoredCredential | undefined;
    try {
      stored = store.loadCredential();
    } catch (error) {
      log(`ignoring the saved credential: ${(error as Error).message}`);
      return undefined;
    }
    if (stored && (stored.server !== this.config.server || stored.nodeName !== this.config.nodeName)) {
      log(`the saved credential is for node ${stored.nodeName} at ${stored.server}; enrolling again`);
      return undefined;
    }
    return stored;
  }

  private onRuntimeChange(): void {
    // Until every runtime knows what already runs, converging could start a second copy.
    if (this.stopped || !this.runtimeRecovered) return;
    this.converge();
    this.scheduler.requestPrompt();
  }

  /** The pods this node should run: its assignments and its static pods. */
  private desiredPods(): Pod[] {
    return [...(this.assignments?.pods ?? []), ...(this.options.staticPods?.pods() ?? [])];
  }

  /** Each action is contained: one pod the runtime fails on is reported, the others go on. */
  private converge(): void {
    const { runtime, log } = this.options;
    const actions = planPodActions(this.desiredPods(), runtime.listPods());
    for (const pod of actions.sync) this.syncContained(pod);
    // Without saved assignments (none, or a corrupt file) the agent does not know yet what it
    // should run: like the kubelet before all its sources are ready, it kills nothing it adopted
    // until the first full answer says what is no longer assigned.
    const sourcesReady = this.assignmentsFresh || this.assignments !== undefined;
    for (const kill of actions.kill) {
      if (!sourcesReady && kill.reason === "unassigned") continue;
      const failed = (error: Error) => log(`pod ${kill.namespace}/${kill.name}: stopping failed: ${error.message}`);
      try {
        runtime.killPod(kill.uid, kill.gracePeriodSeconds).catch(failed);
      } catch (error) {
        failed(error as Error);
      }
    }
    for (const uid of actions.remove) {
      try {
        runtime.removePod(uid);
      } catch (error) {
        log(`pod ${uid}: removing failed: ${(error as Error).message}`);
      }
    }
    this.probes.update(runtime.listPods());
    this.options.stager?.update(this.assignments?.pods ?? []);
  }

  private syncContained(pod: Pod): void {
    const uid = pod.metadata.uid ?? "";
    try {
      this.options.runtime.syncPod(pod);
      this.applyFailures.delete(uid);
    } catch (error) {
      const message = `Internal error: ${(error as Error).message}`;
      if (this.applyFailures.get(uid)?.message !== message) this.options.log(`pod ${pod.metadata.namespace || "default"}/${pod.metadata.name}: cannot be applied: ${message}`);
      this.applyFailures.set(uid, { namespace: pod.metadata.namespace || "default", name: pod.metadata.name, uid, field: "", message });
    }
  }

  private currentBody(): string {
    const node = this.options.readNodeReport();
    const hostIP = node.addresses?.find((a) => a.type === "InternalIP")?.address;
    const running = this.options.runtime.listPods();
    const probes: Record<string, ProbeResults | undefined> = {};
    for (const pod of running) probes[pod.uid] = this.probes.results(pod.uid, pod);
    const request = buildSyncRequest({
      node,
      assigned: this.assignments?.pods ?? [],
      staticPods: this.options.staticPods?.pods(),
      running,
      hostIP,
      probes,
      refused: [...this.refused, ...this.applyFailures.values()],
      staged: this.options.stager?.conditions(),
    });
    return serializeSyncRequest(request);
  }

  private intervalSeconds(): number {
    const bounds = this.options.syncIntervalBounds ?? defaultSyncIntervalBounds;
    return (
      clampSyncInterval(this.assignments?.syncIntervalSeconds, bounds) ??
      clampSyncInterval(this.enrolledInterval, bounds) ??
      clampSyncInterval(this.config.syncIntervalSeconds, bounds) ??
      bounds.maxSeconds
    );
  }

  /**
   * One round: enroll if needed, then sync. Resolves to the delay before the next round. After a
   * 401/403 the agent enrolls again when it has a bootstrap token, but keeps the credential it has
   * until a new one is issued: the rejection may pass (a server restored from a backup) while the
   * token has expired, so a failed enrollment falls back on the stored credential in the same round.
   */
  private async syncOnce(): Promise<number> {
    try {
      this.enrollRetryAfter = undefined;
      const enrollProblem = !this.credential || (this.credentialRejected && this.config.bootstrapToken) ? await this.tryEnroll() : undefined;
      const credential = this.credential;
      // Not enrolled: a 429 or 503 from the enrolment says when to try again, as a sync's does.
      if (!credential) return this.failed(enrollProblem ?? "not enrolled", this.enrollRetryAfter);
      const body = this.currentBody();
      const outcome = await this.options.client.sync(credential.credential, this.knownVersion(), body, this.abort.signal, credential.nodeName);
      if (outcome.kind === "assignments" || outcome.kind === "unchanged") {
        if (this.credentialRejected) this.options.log("the control plane accepts the node credential again");
        this.credentialRejected = false;
        this.recovered();
        this.lastSentBody = body;
        if (outcome.kind === "assignments") this.applyAssignments(outcome.response);
        if (outcome.sessions) this.options.sessions?.poll(credential.credential, credential.nodeName);
        this.options.sessions?.keepDoorbell?.(credential.credential, credential.nodeName);
        return nextSyncDelay(this.intervalSeconds(), this.random);
      }
      const rejection = this.describeRejection(outcome, "sync");
      return this.failed(enrollProblem ? `${rejection}; ${enrollProblem}` : rejection, outcome.kind === "failed" ? outcome.retryAfterSeconds : undefined);
    } catch (error) {
      if (this.stopped) return 0;
      return this.failed(`sync failed: ${(error as Error).message}`);
    }
  }

  /**
   * The version to send as If-None-Match, or undefined to get the whole assignments again: on the
   * first sync after a start (a reboot wiped the Secrets on tmpfs), and while a ConfigMap or Secret
   * the pods reference is missing here. The server answers 304 whenever the version matches, so
   * sending it then would leave those pods waiting for good.
   */
  private knownVersion(): string | undefined {
    const saved = this.assignments;
    if (!saved || !this.assignmentsFresh) return undefined;
    const missing = missingConfig(saved.pods, this.configStore, this.absentOnServer);
    const described = missing.length > 0 ? `${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", …" : ""}` : "";
    if (described && described !== this.missingLogged) this.options.log(`asking for the assignments again: ${described} missing on this device`);
    this.missingLogged = described;
    return described ? undefined : saved.version;
  }

  /** Enrolls with the bootstrap token; resolves to what went wrong, or undefined once enrolled. */
  private async tryEnroll(): Promise<string | undefined> {
    const token = this.config.bootstrapToken;
    if (!token) return "not enrolled and no bootstrap token to enroll with";
    let outcome: EnrollOutcome;
    try {
      const node = this.options.readNodeReport();
      outcome = await this.options.client.enroll(token, { nodeName: this.config.nodeName, labels: this.config.labels, node }, this.abort.signal);
    } catch (error) {
      return `enroll failed: ${(error as Error).message}`;
    }
    if (outcome.kind !== "enrolled") {
      if (outcome.kind === "failed") this.enrollRetryAfter = outcome.retryAfterSeconds;
      return this.describeRejection(outcome, "enroll");
    }
    const { response } = outcome;
    // Keyed by the configured name, which is what the next start compares with.
    this.credential = { server: this.config.server, nodeName: this.config.nodeName, credential: response.credential };
    this.credentialRejected = false;
    try {
      this.options.store.saveCredential(this.credential);
    } catch (error) {
      this.options.log(`cannot save the node credential (it is used until the agent restarts): ${(error as Error).message}`);
    }
    if (typeof response.syncIntervalSeconds === "number" && response.syncIntervalSeconds > 0) this.enrolledInterval = response.syncIntervalSeconds;
    this.options.log(`enrolled as node ${response.nodeName || this.config.nodeName}`);
    return undefined;
  }

  /**
   * A 401/403 on sync means the credential was probably revoked: the next round enrolls again if it
   * can. The credential stays, in memory and on disk, until a new enrollment replaces it.
   */
  private describeRejection(outcome: HttpFailure, what: "sync" | "enroll"): string {
    if (outcome.kind === "failed") return `${what} failed: HTTP ${outcome.status}: ${outcome.message}`;
    if (what === "enroll") return `the control plane rejected the bootstrap token (HTTP ${outcome.status})`;
    this.credentialRejected = true;
    if (!this.config.bootstrapToken) {
      return `the control plane rejected the node credential (HTTP ${outcome.status}) and there is no bootstrap token to enroll again`;
    }
    return `the control plane rejected the node credential (HTTP ${outcome.status}); enrolling again`;
  }

  /** Counts a failure and logs one line with the back-off; resolves to the delay. */
  private failed(message: string, retryAfterSeconds?: number): number {
    this.failures++;
    const backoff = syncBackoffDelay(this.failures, this.options.syncBackoff ?? defaultSyncBackoff, this.random);
    const delay = retryAfterSeconds === undefined ? backoff : retryAfterDelay(retryAfterSeconds, backoff, this.random);
    this.options.log(`${message}; retrying in ${formatGoDuration(delay)}`);
    return delay;
  }

  private recovered(): void {
    if (this.failures > 0) this.options.log(`sync succeeded after ${this.failures} failed attempt(s)`);
    this.failures = 0;
  }

  /**
   * Persists (temp + rename) then converges; a 200 for a changed report alone changes nothing
   * here. New ConfigMaps and Secrets reach the runtimes through the converge (volumes rewritten).
   */
  private applyAssignments(raw: SyncResponse): void {
    const { store, log } = this.options;
    const accepted = acceptSyncResponse(raw);
    for (const problem of accepted.problems) log(problem);
    const response = accepted.value;
    if (!response) return;
    const refusedBefore = JSON.stringify(this.refused);
    this.refused = accepted.refused;
    const previous = this.assignments;
    const configMaps = response.configMaps ?? [];
    const next: StoredAssignments = {
      version: response.version,
      pods: response.pods,
      ...(typeof response.syncIntervalSeconds === "number" && response.syncIntervalSeconds > 0 ? { syncIntervalSeconds: response.syncIntervalSeconds } : {}),
      ...(configMaps.length > 0 ? { configMaps } : {}),
    };
    this.assignments = next;
    let configChanged = false;
    try {
      configChanged = this.configStore.replace(configMaps, response.secrets ?? []);
    } catch (error) {
      log(`cannot keep the Secrets: ${(error as Error).message}`);
    }
    this.assignmentsFresh = true;
    this.absentOnServer = absentConfig(next.pods, configMaps, response.secrets ?? []);
    if (previous && !configChanged && JSON.stringify(previous) === JSON.stringify(next)) {
      if (JSON.stringify(this.refused) !== refusedBefore) this.scheduler.requestPrompt();
      return;
    }
    try {
      store.saveAssignments(next);
    } catch (error) {
      log(`cannot save the assignments: ${(error as Error).message}`);
    }
    const before = new Set((previous?.pods ?? []).map((p) => p.metadata.uid));
    const after = new Set(next.pods.map((p) => p.metadata.uid));
    const added = [...after].filter((uid) => !before.has(uid)).length;
    const removed = [...before].filter((uid) => !after.has(uid)).length;
    const config = configChanged ? ", ConfigMaps or Secrets changed" : "";
    log(`assignments changed (version ${next.version}): ${next.pods.length} pod(s), ${added} added, ${removed} removed${config}`);
    this.converge();
    this.scheduler.requestPrompt();
  }

  private readonly random = (): number => (this.options.random ?? Math.random)();
}
