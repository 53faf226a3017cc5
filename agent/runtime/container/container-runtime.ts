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
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Container, Pod, Volume } from "../../../src/resources/types.ts";
import type { Logger } from "../../log.ts";
import { makeContainerEnvironment } from "../../pods/container-env.ts";
import { podKey } from "../../pods/pod-key.ts";
import { decideRestart, kubeletRestartBackoff, type RestartBackoffEntry, type RestartBackoffParams } from "../../pods/restart-backoff.ts";
import { formatGoDuration } from "../../time.ts";
import type { ContainerSnapshot, ExecResult, Runtime, RuntimeHelper, RuntimePodPhase, RuntimePodSnapshot, Termination } from "../runtime.ts";
import { type CliResult, lastErrorLine, runCli } from "./cli.ts";
import { dockerConfigFrom, neverPullMessage, pullPolicyOf, shouldPull } from "./image-pull.ts";
import { type InspectedContainer, parseInspect, terminationOf } from "./inspect.ts";
import { buildRunArgs, labels, type Mount, splitEnv } from "./run-args.ts";

export type Engine = "docker" | "podman";

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
  /** How soon an unavailable engine is asked again; default 60 s. */
  availabilityRecheckMs?: number;
  /** Environment of the CLI; defaults to the agent's without its EDGESET_* variables. */
  env?: Record<string, string | undefined>;
}

interface Waiting {
  reason: string;
  message?: string;
}

interface EngineContainer {
  name: string;
  spec: Container;
  /** Instances from the last relist, oldest attempt first. */
  instances: InspectedContainer[];
  busy: boolean;
  waiting?: Waiting;
  /** A `run` that failed before the engine created anything (no instance to show it). */
  runFailure?: { termination: Termination; attempt: number };
  backoff?: RestartBackoffEntry;
  pullBackoff?: RestartBackoffEntry;
  pullFailedAt?: number;
  timer?: ReturnType<typeof setTimeout>;
}

interface EnginePod {
  uid: string;
  namespace: string;
  name: string;
  key: string;
  pod: Pod;
  startTime: number;
  phase: RuntimePodPhase;
  stopping?: Promise<void>;
  volumePaths?: Map<string, string>;
  volumeError?: string;
  containers: Map<string, EngineContainer>;
}

const attemptOf = (c: InspectedContainer) => Number(c.labels[labels.restartCount] ?? 0) || 0;

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
  private readonly command: string;
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
  private relistTimer?: ReturnType<typeof setTimeout>;
  private safetyTimer?: ReturnType<typeof setInterval>;
  private events?: ChildProcess;
  private eventsRestart?: ReturnType<typeof setTimeout>;
  private lastSnapshot = "";
  /** Pods removed while their containers may still be listed (until `rm` is through). */
  private readonly removed = new Set<string>();
  private closed = false;

  constructor(options: ContainerRuntimeOptions) {
    this.options = options;
    this.name = options.engine;
    this.command = options.command ?? options.engine;
    this.cliEnv = options.env ?? Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("EDGESET_")));
    this.now = options.now ?? Date.now;
    this.backoffParams = options.restartBackoff ?? kubeletRestartBackoff;
  }

  available(): boolean {
    return this.isAvailable;
  }

  /** Asks the engine again if the last answer was "no" and is older than a minute (a daemon that started late). */
  refreshAvailability(): void {
    const stale = this.checkedAt === undefined || this.now() - this.checkedAt > (this.options.availabilityRecheckMs ?? 60_000);
    if (!this.isAvailable && stale && !this.checking && !this.closed) void this.checkAvailability();
  }

  /** Asks the engine for its version: the CLI is there and its daemon (docker) answers. */
  async checkAvailability(): Promise<boolean> {
    if (this.checking) return this.checking;
    this.checking = (async () => {
      const format = this.name === "docker" ? "{{.Server.Version}}" : "{{.Client.Version}}";
      let result: CliResult | undefined;
      let reason: string;
      try {
        result = await this.cli(["version", "--format", format], 15_000);
        reason = result.code === 0 ? "" : lastErrorLine(result.stderr) || `exit code ${result.code}`;
      } catch (error) {
        reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? `${this.command} not found` : (error as Error).message;
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
    for (const container of current.containers.values()) this.syncContainer(current, container);
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
    pod.stopping = Promise.all([...pod.containers.values()].map((c) => this.stopInstance(pod, c, grace)))
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
      await this.stopInstance(pod, container, Math.max(gracePeriodSeconds, this.options.minimumGracePeriodSeconds ?? 2));
    } finally {
      container.busy = false;
    }
    await this.relist();
  }

  async exec(uid: string, name: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    const instance = this.pods.get(uid)?.containers.get(name)?.instances.at(-1);
    if (!instance?.running) throw new Error(`container ${name} is not running`);
    const result = await this.cli(["exec", instance.id, ...command], timeoutMs);
    const timedOut = result.code === 128 && result.stderr.includes("timed out after");
    return { exitCode: result.code, output: `${result.stdout}${result.stderr}`.slice(0, 10 * 1024), timedOut };
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
      this.cli(["rm", "--force", ...ids], 60_000)
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
        containers: [...pod.containers.values()].map((c) => this.snapshot(c)),
      };
    });
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    this.closed = true;
    this.unwatch();
    for (const pod of this.pods.values()) for (const c of pod.containers.values()) clearTimeout(c.timer);
  }

  // ---- containers ----

  private snapshot(c: EngineContainer): ContainerSnapshot {
    const scheme = this.name;
    const current = c.instances.at(-1);
    const previous = c.instances.at(-2);
    const endOf = (i: InspectedContainer) => this.terminationOfInstance(i);
    const base = {
      name: c.name,
      restartCount: Math.max(current ? attemptOf(current) : 0, c.runFailure?.attempt ?? 0),
      image: c.spec.image,
      ...(current ? { containerID: `${scheme}://${current.id}`, imageID: current.imageID } : {}),
    };
    const lastOfCurrent = c.runFailure && (!current || c.runFailure.attempt > attemptOf(current)) ? c.runFailure.termination : current && !current.running ? endOf(current) : undefined;
    if (current?.running) {
      return { ...base, state: { kind: "running", startedAt: current.startedAt ?? this.now() }, ...(previous ? { lastTermination: endOf(previous) } : {}) };
    }
    if (c.waiting) return { ...base, state: { kind: "waiting", ...c.waiting }, ...(lastOfCurrent ? { lastTermination: lastOfCurrent } : {}) };
    if (lastOfCurrent) {
      const before = c.runFailure && lastOfCurrent === c.runFailure.termination ? (current ? endOf(current) : undefined) : previous ? endOf(previous) : undefined;
      return { ...base, state: { kind: "terminated", termination: lastOfCurrent }, ...(before ? { lastTermination: before } : {}) };
    }
    return { ...base, state: { kind: "waiting", reason: "ContainerCreating" } };
  }

  /** An exit, or for a container the engine created but could not start, containerd's StartError. */
  private terminationOfInstance(i: InspectedContainer): Termination {
    if (i.status === "created") {
      const at = i.createdAt ?? this.now();
      return { exitCode: 128, reason: "StartError", message: i.error || "the container was created but never started", startedAt: at, finishedAt: at, containerID: `${this.name}://${i.id}` };
    }
    return terminationOf(i, this.name, this.now());
  }

  private setWaiting(c: EngineContainer, waiting: Waiting | undefined, pod: EnginePod): void {
    if (JSON.stringify(waiting) === JSON.stringify(c.waiting)) return;
    c.waiting = waiting;
    if (waiting && waiting.reason !== "ContainerCreating" && waiting.reason !== "CrashLoopBackOff" && waiting.reason !== "ImagePullBackOff") {
      this.options.log(`pod ${pod.namespace}/${pod.name}: container ${c.name} waits: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ""}`);
    }
    this.emit();
  }

  private wakeAt(pod: EnginePod, c: EngineContainer, at: number): void {
    clearTimeout(c.timer);
    c.timer = setTimeout(() => {
      c.timer = undefined;
      this.syncContainer(pod, c);
    }, Math.max(0, at - this.now()));
    c.timer.unref();
  }

  /** kubelet computePodActions for one container: start, keep, restart (with back-off) or leave it. */
  private syncContainer(pod: EnginePod, c: EngineContainer): void {
    if (pod.phase !== "active" || c.busy || this.closed || !this.isAvailable) return;
    if (c.timer) {
      // Waiting for a back-off to end; a pull failure reads as ImagePullBackOff meanwhile.
      if (c.waiting?.reason === "ErrImagePull") this.setWaiting(c, { reason: "ImagePullBackOff", message: `Back-off pulling image "${c.spec.image}"` }, pod);
      return;
    }
    const current = c.instances.at(-1);
    if (current?.running) return;
    const failure = c.runFailure && (!current || c.runFailure.attempt > attemptOf(current)) ? c.runFailure : undefined;
    const last = failure?.termination ?? (current ? this.terminationOfInstance(current) : undefined);
    if (!last) {
      this.startInBackground(pod, c, 0);
      return;
    }
    const attempt = failure ? failure.attempt : attemptOf(current!);
    const policy = pod.pod.spec.restartPolicy ?? "Always";
    if (!(policy === "Always" || (policy === "OnFailure" && last.exitCode !== 0))) {
      this.setWaiting(c, undefined, pod);
      return;
    }
    const now = this.now();
    const decision = decideRestart(c.backoff, last.finishedAt, now, this.backoffParams);
    if (decision.kind === "wait") {
      const podRef = `${pod.name}_${pod.namespace}(${pod.uid})`;
      this.setWaiting(c, { reason: "CrashLoopBackOff", message: `back-off ${formatGoDuration(decision.backoffMs)} restarting failed container=${c.name} pod=${podRef}` }, pod);
      this.wakeAt(pod, c, decision.until);
      return;
    }
    c.backoff = decision.entry;
    this.startInBackground(pod, c, attempt + 1);
  }

  private startInBackground(pod: EnginePod, c: EngineContainer, attempt: number): void {
    this.start(pod, c, attempt).catch((error: Error) => {
      if (this.closed) return;
      this.options.log(`pod ${pod.namespace}/${pod.name}: container ${c.name}: ${error.message}`);
      this.setWaiting(c, { reason: "RunContainerError", message: error.message }, pod);
    });
  }

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

  /** Bind mounts at mountPath; a subPath binds the file or directory it names now, as the kubelet does. */
  private mountsFor(pod: EnginePod, spec: Container): { mounts: Mount[] } | { error: string } {
    const mounts: Mount[] = [];
    for (const mount of spec.volumeMounts ?? []) {
      const volume: Volume | undefined = pod.pod.spec.volumes?.find((v) => v.name === mount.name);
      const path = pod.volumePaths?.get(mount.name);
      if (!volume || !path) return { error: `volumeMount ${mount.name}: no such volume` };
      const apiData = Boolean(volume.configMap || volume.secret || volume.projected);
      let hostPath = path;
      if (mount.subPath) {
        try {
          hostPath = realpathSync(join(path, mount.subPath));
        } catch {
          return { error: `failed to prepare subPath for volumeMount "${mount.name}" of container "${spec.name}": ${mount.subPath} does not exist` };
        }
      }
      mounts.push({ hostPath, containerPath: mount.mountPath, readOnly: Boolean(mount.readOnly) || apiData });
    }
    return { mounts };
  }

  /** Pull (as the policy says), then run; every failure ends in a waiting reason the status shows. */
  private async start(pod: EnginePod, c: EngineContainer, attempt: number): Promise<void> {
    const spec = c.spec;
    if (pod.volumeError && !pod.volumePaths) {
      this.setWaiting(c, { reason: "ContainerCreating", message: pod.volumeError }, pod);
      return;
    }
    const { helper } = this.options;
    const resolved = makeContainerEnvironment(pod.pod, spec, helper.config, helper.podFacts());
    if ("error" in resolved) {
      this.setWaiting(c, { reason: "CreateContainerConfigError", message: resolved.error }, pod);
      return;
    }
    const mounts = this.mountsFor(pod, spec);
    if ("error" in mounts) {
      this.setWaiting(c, { reason: "CreateContainerConfigError", message: mounts.error }, pod);
      return;
    }
    if (!spec.image) {
      this.setWaiting(c, { reason: "InvalidImageName", message: "the container has no image" }, pod);
      return;
    }
    c.busy = true;
    try {
      if (!(await this.ensureImage(pod, c, spec.image))) return;
      await this.run(pod, c, attempt, resolved.env, mounts.mounts);
      // Busy until the engine's view includes the new instance: a stale view would start it twice.
      await this.relist();
    } finally {
      c.busy = false;
    }
  }

  /** True when the image is there to run. */
  private async ensureImage(pod: EnginePod, c: EngineContainer, image: string): Promise<boolean> {
    const present = (await this.cli(["image", "inspect", "--format", "{{.Id}}", image], 60_000)).code === 0;
    const decision = shouldPull(pullPolicyOf(c.spec), present);
    if (decision === "never") {
      this.setWaiting(c, { reason: "ErrImageNeverPull", message: neverPullMessage(image) }, pod);
      return false;
    }
    if (!decision) return true;
    const now = this.now();
    if (c.pullBackoff && c.pullFailedAt !== undefined && now - c.pullFailedAt < c.pullBackoff.backoffMs) {
      this.setWaiting(c, { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}"` }, pod);
      this.wakeAt(pod, c, c.pullFailedAt + c.pullBackoff.backoffMs);
      return false;
    }
    this.setWaiting(c, { reason: "ContainerCreating", message: `Pulling image "${image}"` }, pod);
    const result = await this.pull(pod, image);
    if (result.code === 0) {
      c.pullBackoff = undefined;
      c.pullFailedAt = undefined;
      this.options.log(`pod ${pod.namespace}/${pod.name}: pulled image ${image}`);
      return true;
    }
    // The kubelet's image back-off: 10 s after the first failure, doubling up to 5 min.
    const failedAt = this.now();
    const backoffMs = c.pullBackoff ? Math.min(c.pullBackoff.backoffMs * 2, this.backoffParams.maxMs) : this.backoffParams.initialMs;
    c.pullBackoff = { backoffMs, lastUpdate: failedAt };
    c.pullFailedAt = failedAt;
    const message = `failed to pull image "${image}": ${lastErrorLine(result.stderr) || `exit code ${result.code}`}`;
    this.setWaiting(c, { reason: "ErrImagePull", message }, pod);
    this.wakeAt(pod, c, failedAt + backoffMs);
    return false;
  }

  private async pull(pod: EnginePod, image: string): Promise<CliResult> {
    const { helper } = this.options;
    const namespace = pod.namespace;
    const secrets = (pod.pod.spec.imagePullSecrets ?? []).map((s) => helper.config.secret(namespace, s.name)).filter((s) => s !== undefined);
    const config = dockerConfigFrom(secrets);
    if (!config) return this.cli(["pull", image], 30 * 60_000);
    const dir = this.privateTempDir("pull");
    try {
      writeFileSync(join(dir, "config.json"), JSON.stringify(config), { mode: 0o600 });
      const args = this.name === "docker" ? ["--config", dir, "pull", image] : ["pull", "--authfile", join(dir, "config.json"), image];
      return await this.cli(args, 30 * 60_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private async run(pod: EnginePod, c: EngineContainer, attempt: number, env: Record<string, string>, mounts: Mount[]): Promise<void> {
    const dir = this.privateTempDir("run");
    const envFile = join(dir, "env");
    try {
      const { file, fromCliEnv } = splitEnv(env);
      if (file) writeFileSync(envFile, file, { mode: 0o600 });
      const args = buildRunArgs({ pod: pod.pod, container: c.spec, attempt, agentId: this.options.agentId, env, mounts, envFile: file ? envFile : undefined });
      const result = await runCli(this.command, args, { timeoutMs: 5 * 60_000, env: { ...this.cliEnv, ...fromCliEnv } });
      if (result.code === 0) {
        c.runFailure = undefined;
        c.waiting = undefined;
        this.options.log(`pod ${pod.namespace}/${pod.name}: container ${c.name} ${attempt === 0 ? "started" : `restarted (restart ${attempt})`} (${this.name} ${result.stdout.trim().slice(0, 12)})`);
        const stale = c.instances.filter((i) => attemptOf(i) < attempt - 1).map((i) => i.id);
        if (stale.length > 0) await this.cli(["rm", "--force", ...stale], 60_000);
        return;
      }
      const message = lastErrorLine(result.stderr) || `exit code ${result.code}`;
      this.options.log(`pod ${pod.namespace}/${pod.name}: container ${c.name} failed to start: ${message}`);
      const now = this.now();
      c.runFailure = { attempt, termination: { exitCode: 128, reason: "StartError", message, startedAt: now, finishedAt: now } };
      c.waiting = undefined;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private async stopInstance(pod: EnginePod, c: EngineContainer, graceSeconds: number): Promise<void> {
    const instance = c.instances.at(-1);
    if (!instance?.running) return;
    const result = await this.cli(["stop", "--time", String(graceSeconds), instance.id], (graceSeconds + 60) * 1000);
    if (result.code !== 0) this.options.log(`pod ${pod.namespace}/${pod.name}: stopping container ${c.name} failed: ${lastErrorLine(result.stderr)}`);
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
    const ps = await this.cli(["ps", "--all", "--no-trunc", "--filter", `label=${labels.agent}=${this.options.agentId}`, "--format", "{{.ID}}"], 60_000);
    if (ps.code !== 0) throw new Error(lastErrorLine(ps.stderr) || `exit code ${ps.code}`);
    const ids = ps.stdout.split("\n").map((l) => l.trim()).filter(Boolean);
    let found: InspectedContainer[] = [];
    if (ids.length > 0) {
      const inspected = await this.cli(["inspect", ...ids], 60_000);
      // A container removed between ps and inspect makes inspect fail for it; the others still print.
      if (inspected.stdout.trim()) found = parseInspect(inspected.stdout);
    }
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
      if (pod.phase === "active" && pod.pod.spec.containers.length > 0) for (const c of pod.containers.values()) this.syncContainer(pod, c);
    }
  }

  /** The engine's event stream while pods run: any event of ours triggers a relist. */
  private watch(): void {
    if (this.closed || this.pods.size === 0 || !this.isAvailable) return;
    if (!this.safetyTimer) {
      this.safetyTimer = setInterval(() => void this.relist(), this.options.relistIntervalMs ?? 60_000);
      this.safetyTimer.unref();
    }
    if (this.events || this.eventsRestart) return;
    const filters = ["--filter", `label=${labels.agent}=${this.options.agentId}`, "--filter", "type=container"];
    let child: ChildProcess;
    try {
      child = spawn(this.command, ["events", ...filters, "--format", "{{json .}}"], { env: this.cliEnv, stdio: ["ignore", "pipe", "ignore"] });
    } catch {
      return;
    }
    this.events = child;
    child.on("error", () => {});
    child.stdout?.on("data", () => this.scheduleRelist());
    child.once("exit", () => {
      if (this.events !== child) return;
      this.events = undefined;
      if (this.closed || this.pods.size === 0) return;
      this.eventsRestart = setTimeout(() => {
        this.eventsRestart = undefined;
        void this.relist();
        this.watch();
      }, 5000);
      this.eventsRestart.unref();
    });
    child.unref();
    (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
  }

  private unwatch(): void {
    clearInterval(this.safetyTimer);
    this.safetyTimer = undefined;
    clearTimeout(this.eventsRestart);
    this.eventsRestart = undefined;
    clearTimeout(this.relistTimer);
    const child = this.events;
    this.events = undefined;
    child?.kill();
  }

  private scheduleRelist(): void {
    if (this.relistTimer) return;
    this.relistTimer = setTimeout(() => {
      this.relistTimer = undefined;
      void this.relist();
    }, 100);
    this.relistTimer.unref();
  }

  private privateTempDir(prefix: string): string {
    const dir = join(this.options.secretsDir, `${this.name}-${prefix}-${randomBytes(6).toString("hex")}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  private cli(args: string[], timeoutMs: number): Promise<CliResult> {
    return runCli(this.command, args, { timeoutMs, env: this.cliEnv });
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
