/**
 * @module
 * The `docker` and `podman` runtimes: each container of a pod is an engine container, driven
 * through the engine's CLI. The engine is the source of truth, as for the kubelet: containers
 * carry labels (pod uid, name, namespace, container name, restart count, the agent's id), so a
 * restarted agent relists them and adopts what runs instead of starting duplicates; nothing else
 * is kept on disk. Containers run with `--restart no`: the agent restarts them under the pod's
 * restart policy with the kubelet's CrashLoopBackOff, keeping one dead instance per container for
 * its last state. Images are pulled as the pull policy says (with the pod's imagePullSecrets).
 * Exits are noticed through the engine's event stream (`events`, one process while pods run) and
 * a relist every minute as a safety net; an idle agent with no container pods runs no CLI at all.
 *
 * @example
 * const docker = new ContainerRuntime({ engine: "docker", agentId, helper, secretsDir, log });
 * await docker.recover();   // finds the containers of a previous agent by label
 * docker.syncPod(pod);      // pulls, runs, restarts
 */
import type { Pod, PodSpec } from "../../../src/resources/types.ts";
import type { Logger } from "../../log.ts";
import { podKey } from "../../pods/pod-key.ts";
import { kubeletRestartBackoff, type RestartBackoffParams } from "../../pods/restart-backoff.ts";
import type { ExecRequest, ExecResult, ExecStreams, LogRequest, OutputSink, PortStream, Runtime, RuntimeHelper, RuntimePodSnapshot } from "../runtime.ts";
import { type CliResult, lastErrorLine } from "./cli.ts";
import { attemptOf, containerSnapshot, type EnginePod } from "./container-status.ts";
import { ContainerSupervisor } from "./container-supervisor.ts";
import { type Engine, EngineCli } from "./engine-cli.ts";
import { execEngineStream, streamEngineLogs } from "./engine-streams.ts";
import { EngineWatch } from "./engine-watch.ts";
import { connectTcp } from "./tcp-stream.ts";
import { pullImagesOf } from "./stage-images.ts";
import type { InspectedContainer } from "./inspect.ts";
import { labels } from "./run-args.ts";

export type { Engine };

export interface ContainerRuntimeOptions {
  engine: Engine;
  /** The CLI to run; defaults to the engine's name on PATH. */
  command?: string;
  /** Labels the containers of this agent (a digest of its state dir): several agents may share an engine. */
  agentId: string;
  helper: RuntimeHelper;
  /** Private directory (tmpfs) for env files and registry credentials while a command needs them. */
  secretsDir: string;
  log: Logger;
  now?: () => number;
  restartBackoff?: RestartBackoffParams;
  minimumGracePeriodSeconds?: number;
  /** Safety relist while pods run; default 60 s. */
  relistIntervalMs?: number;
  /** How soon an unavailable engine is asked again; default 30 s. */
  availabilityRecheckMs?: number;
  /** Environment of the CLI; defaults to the agent's without its EDGESET_* variables. */
  env?: Record<string, string | undefined>;
}

/** Pod spec a restarted agent can work with before the control plane resends the real one. */
function podFromLabels(c: InspectedContainer): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { uid: c.labels[labels.podUid], name: c.labels[labels.podName], namespace: c.labels[labels.podNamespace] },
    spec: { containers: [], terminationGracePeriodSeconds: Number(c.labels[labels.gracePeriod] ?? 30) },
  };
}

export class ContainerRuntime implements Runtime {
  readonly name: Engine;
  /** `<engine>://<server version>` once known. */
  version?: string;
  private readonly options: ContainerRuntimeOptions;
  private readonly cli: EngineCli;
  private readonly supervisor: ContainerSupervisor;
  private readonly cliEnv: Record<string, string | undefined>;
  private readonly now: () => number;
  private readonly backoffParams: RestartBackoffParams;
  private readonly pods = new Map<string, EnginePod>();
  private readonly listeners: Array<() => void> = [];
  private isAvailable = false;
  private checkedAt?: number;
  private checking?: Promise<boolean>;
  private unavailableReason?: string;
  private relisting?: Promise<void>;
  private queuedRelist?: Promise<void>;
  private watcher?: EngineWatch;
  private lastSnapshot = "";
  /** Pods removed while their containers may still be listed (until `rm` is through). */
  private readonly removed = new Set<string>();
  private closed = false;
  /** Nothing starts before the engine was listed once: a container of a previous agent may already run. */
  private listed = false;

  constructor(options: ContainerRuntimeOptions) {
    this.options = options;
    this.name = options.engine;
    this.now = options.now ?? Date.now;
    this.backoffParams = options.restartBackoff ?? kubeletRestartBackoff;
    this.cliEnv = options.env ?? Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("EDGESET_")));
    this.cli = new EngineCli({ engine: options.engine, command: options.command ?? options.engine, env: this.cliEnv, scratchDir: options.secretsDir });
    this.supervisor = new ContainerSupervisor({
      engine: options.engine,
      cli: this.cli,
      agentId: options.agentId,
      helper: options.helper,
      log: options.log,
      now: this.now,
      backoff: this.backoffParams,
      canStart: () => !this.closed && this.isAvailable && this.listed,
      changed: () => this.emit(),
      relist: () => this.relist(),
    });
  }

  available(): boolean {
    return this.isAvailable;
  }

  /** Asks the engine again if the last answer was "no" and is older than a minute (a daemon that started late). */
  refreshAvailability(): void {
    const stale = this.checkedAt === undefined || this.now() - this.checkedAt > (this.options.availabilityRecheckMs ?? 30_000);
    if (!this.isAvailable && stale && !this.checking && !this.closed) void this.checkAvailability();
  }

  /** Asks the engine for its version: the CLI is there and its daemon (docker) answers. */
  async checkAvailability(): Promise<boolean> {
    if (this.checking) return this.checking;
    this.checking = (async () => {
      let result: CliResult | undefined;
      let reason: string;
      try {
        result = await this.cli.version();
        reason = result.code === 0 ? "" : lastErrorLine(result.stderr) || `exit code ${result.code}`;
      } catch (error) {
        reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? `${this.cli.command} not found` : (error as Error).message;
      }
      this.checkedAt = this.now();
      const was = this.isAvailable;
      this.isAvailable = reason === "";
      if (this.isAvailable && result) this.version = `${this.name}://${result.stdout.trim()}`;
      if (!this.isAvailable && reason !== this.unavailableReason) this.options.log(`runtime ${this.name} is not available: ${reason}`);
      if (this.isAvailable && !was) this.options.log(`runtime ${this.name} is available (${this.version})`);
      this.unavailableReason = this.isAvailable ? undefined : reason;
      if (this.isAvailable !== was) this.emit();
      return this.isAvailable;
    })().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  async recover(): Promise<void> {
    if (!(await this.checkAvailability())) return;
    await this.relist();
    for (const pod of this.pods.values()) {
      const running = [...pod.containers.values()].filter((c) => c.instances.at(-1)?.running).map((c) => c.name);
      if (running.length > 0) this.options.log(`pod ${pod.namespace}/${pod.name}: adopted ${this.name} container(s) ${running.join(", ")}`);
    }
    this.watch();
  }

  pullImages(namespace: string, spec: PodSpec): Promise<string[]> {
    return pullImagesOf(this.cli, this.options.helper.config, namespace, spec);
  }

  syncPod(pod: Pod): void {
    const uid = pod.metadata.uid;
    if (!uid || this.closed) return;
    let current = this.pods.get(uid);
    if (!current) {
      const namespace = pod.metadata.namespace || "default";
      const name = pod.metadata.name ?? uid;
      current = { uid, namespace, name, key: podKey({ namespace, name, uid }), pod, startTime: this.now(), phase: "active", containers: new Map() };
      this.pods.set(uid, current);
      this.options.log(`pod ${namespace}/${name}: starting (${this.name})`);
    }
    if (current.phase === "stopping") return;
    if (current.phase === "stopped") current.phase = "active";
    current.pod = pod;
    for (const spec of pod.spec.containers) {
      let container = current.containers.get(spec.name);
      if (!container) {
        container = { name: spec.name, spec, instances: [], busy: false };
        current.containers.set(spec.name, container);
      }
      container.spec = spec;
    }
    this.setUpVolumes(current);
    for (const container of current.containers.values()) this.supervisor.sync(current, container);
    this.watch();
  }

  killPod(uid: string, gracePeriodSeconds: number): Promise<void> {
    const pod = this.pods.get(uid);
    if (!pod || pod.phase === "stopped") return Promise.resolve();
    if (pod.stopping) return pod.stopping;
    const grace = Math.max(gracePeriodSeconds, this.options.minimumGracePeriodSeconds ?? 2);
    pod.phase = "stopping";
    this.emit();
    this.options.log(`pod ${pod.namespace}/${pod.name}: stopping (grace period ${grace}s)`);
    for (const c of pod.containers.values()) clearTimeout(c.timer);
    pod.stopping = Promise.all([...pod.containers.values()].map((c) => this.supervisor.stop(pod, c, grace)))
      .then(() => this.relist())
      .then(() => {
        pod.stopping = undefined;
        pod.phase = "stopped";
        this.options.helper.volumes.tearDown(pod.key);
        pod.volumePaths = undefined;
        this.options.log(`pod ${pod.namespace}/${pod.name}: stopped`);
        this.emit();
      });
    return pod.stopping;
  }

  async killContainer(uid: string, name: string, gracePeriodSeconds: number): Promise<void> {
    const pod = this.pods.get(uid);
    const container = pod?.containers.get(name);
    if (!pod || !container || pod.phase !== "active" || container.busy) return;
    container.busy = true;
    try {
      await this.supervisor.stop(pod, container, Math.max(gracePeriodSeconds, this.options.minimumGracePeriodSeconds ?? 2));
    } finally {
      container.busy = false;
    }
    await this.relist();
  }

  async exec(uid: string, name: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    const instance = this.pods.get(uid)?.containers.get(name)?.instances.at(-1);
    if (!instance?.running) throw new Error(`container ${name} is not running`);
    const result = await this.cli.exec(instance.id, command, timeoutMs);
    const timedOut = result.code === 128 && result.stderr.includes("timed out after");
    return { exitCode: result.code, output: `${result.stdout}${result.stderr}`.slice(0, 10 * 1024), timedOut };
  }

  logs(uid: string, request: LogRequest, out: OutputSink): Promise<void> {
    const container = this.pods.get(uid)?.containers.get(request.container);
    if (!container) return Promise.reject(new Error(`container ${request.container} is not valid for pod ${uid}`));
    // One dead instance is kept per container: the previous one is the last but one.
    const instance = request.previous ? container.instances.at(-2) : container.instances.at(-1);
    if (!instance) return Promise.reject(new Error(request.previous ? `previous terminated container "${request.container}" not found` : `container "${request.container}" has not started yet`));
    return streamEngineLogs(this.cli, instance.id, request, out);
  }

  execStream(uid: string, request: ExecRequest, streams: ExecStreams): Promise<number> {
    const instance = this.pods.get(uid)?.containers.get(request.container)?.instances.at(-1);
    if (!instance?.running) return Promise.reject(new Error(`container ${request.container} is not running`));
    return execEngineStream(this.cli, instance.id, request, streams);
  }

  /** A host-network container's port is on the node's loopback; another's on its bridge address. */
  connectPort(uid: string, port: number): Promise<PortStream> {
    if (!this.pods.has(uid)) return Promise.reject(new Error(`pod ${uid} does not run`));
    return connectTcp(this.probeHost(uid), port);
  }

  probeHost(uid: string): string {
    const pod = this.pods.get(uid);
    if (!pod || pod.pod.spec.hostNetwork) return "127.0.0.1";
    return this.podIP(pod) ?? "127.0.0.1";
  }

  removePod(uid: string): void {
    const pod = this.pods.get(uid);
    if (!pod || pod.phase !== "stopped") return;
    this.pods.delete(uid);
    this.removed.add(uid);
    const ids = [...pod.containers.values()].flatMap((c) => c.instances.map((i) => i.id));
    this.options.helper.volumes.tearDown(pod.key);
    if (ids.length > 0) {
      this.cli.remove(ids)
        .then((r) => r.code !== 0 && this.options.log(`pod ${pod.namespace}/${pod.name}: removing its containers failed: ${lastErrorLine(r.stderr)}`))
        .catch(() => {});
    }
    if (this.pods.size === 0) this.unwatch();
  }

  listPods(): RuntimePodSnapshot[] {
    return [...this.pods.values()].map((pod) => {
      const podIP = pod.pod.spec.hostNetwork ? undefined : this.podIP(pod);
      return {
        uid: pod.uid,
        namespace: pod.namespace,
        name: pod.name,
        startTime: pod.startTime,
        phase: pod.phase,
        pod: pod.pod,
        ...(podIP ? { podIP } : {}),
        containers: [...pod.containers.values()].map((c) => containerSnapshot(c, this.name, this.now())),
      };
    });
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Resolves once a relist ran with no start or stop in flight: everything the runtime decided
   * from what it was told so far has reached the engine. A start is marked busy the moment it is
   * decided, so "nothing more will start" is this plus no later syncPod (tests rely on it).
   */
  async settled(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      await this.relist();
      const pods = [...this.pods.values()];
      if (!pods.some((p) => p.stopping || [...p.containers.values()].some((c) => c.busy))) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`${this.name}: still starting or stopping containers after 100 relists`);
  }

  close(): void {
    this.closed = true;
    this.unwatch();
    for (const pod of this.pods.values()) for (const c of pod.containers.values()) clearTimeout(c.timer);
  }

  // ---- containers ----

  private setUpVolumes(pod: EnginePod): void {
    const { helper, log } = this.options;
    const result = helper.volumes.setUp(pod.key, pod.pod, helper.config, helper.podFacts());
    if ("paths" in result) {
      pod.volumePaths = result.paths;
      pod.volumeError = undefined;
      return;
    }
    if (pod.volumeError !== result.error) log(`pod ${pod.namespace}/${pod.name}: ${result.error}`);
    pod.volumeError = result.error;
  }

  private podIP(pod: EnginePod): string | undefined {
    for (const c of pod.containers.values()) {
      const ip = c.instances.at(-1)?.running ? c.instances.at(-1)?.ipAddress : undefined;
      if (ip) return ip;
    }
    return undefined;
  }

  // ---- the engine's view ----

  /**
   * Lists this agent's containers and refreshes every pod from them, then lets each container
   * act on what it sees (restart an exit). One at a time: a call during a relist gets the next one.
   */
  relist(): Promise<void> {
    if (!this.relisting) {
      this.relisting = this.relistOnce()
        .catch((error: Error) => this.options.log(`${this.name}: listing containers failed: ${error.message}`))
        .finally(() => {
          this.relisting = undefined;
        });
      return this.relisting;
    }
    this.queuedRelist ??= this.relisting.then(() => {
      this.queuedRelist = undefined;
      return this.relist();
    });
    return this.queuedRelist;
  }

  private async relistOnce(): Promise<void> {
    const found = await this.cli.list(`${labels.agent}=${this.options.agentId}`);
    this.listed = true;
    const byPod = new Map<string, InspectedContainer[]>();
    for (const c of found) {
      const uid = c.labels[labels.podUid];
      if (!uid || c.labels[labels.agent] !== this.options.agentId) continue;
      byPod.set(uid, [...(byPod.get(uid) ?? []), c]);
    }
    for (const uid of this.removed) if (!byPod.has(uid)) this.removed.delete(uid);
    for (const [uid, instances] of byPod) {
      if (this.pods.has(uid) || this.removed.has(uid)) continue;
      const first = instances[0];
      const namespace = first.labels[labels.podNamespace] || "default";
      const name = first.labels[labels.podName] || uid;
      const startTime = Math.min(...instances.map((i) => i.createdAt ?? this.now()));
      this.pods.set(uid, { uid, namespace, name, key: podKey({ namespace, name, uid }), pod: podFromLabels(first), startTime, phase: "active", containers: new Map() });
    }
    for (const pod of this.pods.values()) {
      const instances = byPod.get(pod.uid) ?? [];
      for (const instance of instances) {
        const name = instance.labels[labels.containerName] ?? "";
        if (!pod.containers.has(name)) pod.containers.set(name, { name, spec: { name }, instances: [], busy: false });
      }
      for (const c of pod.containers.values()) {
        c.instances = instances.filter((i) => i.labels[labels.containerName] === c.name).sort((a, b) => attemptOf(a) - attemptOf(b));
        if (c.instances.at(-1)?.running) c.waiting = undefined;
      }
    }
    const snapshot = JSON.stringify(this.listPods());
    if (snapshot !== this.lastSnapshot) {
      this.lastSnapshot = snapshot;
      this.emit();
    }
    for (const pod of this.pods.values()) {
      if (pod.phase === "active" && pod.pod.spec.containers.length > 0) for (const c of pod.containers.values()) this.supervisor.sync(pod, c);
    }
  }

  /** The event stream and periodic relist while pods exist. */
  private watch(): void {
    if (this.closed || this.pods.size === 0 || !this.isAvailable) return;
    this.watcher ??= new EngineWatch({
      command: this.cli.command,
      filters: ["--filter", `label=${labels.agent}=${this.options.agentId}`, "--filter", "type=container"],
      env: this.cliEnv,
      onEvent: () => void this.relist(),
      relistIntervalMs: this.options.relistIntervalMs,
    });
    this.watcher.start();
  }

  private unwatch(): void {
    this.watcher?.stop();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
