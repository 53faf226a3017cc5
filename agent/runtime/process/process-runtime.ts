/**
 * @module
 * The `process` runtime: every container of a pod is a supervised host process (see
 * ProcessContainer). Pods live under `<rootDir>/<namespace>_<name>_<uid>/` with `state.json`
 * (the record that lets a restarted agent adopt instead of duplicate), `logs/<container>/` (the
 * container's CRI log files, agent/logs/container-log.ts) and `root/<container>/`, the container's view of its volumes (`EDGESET_POD_ROOT`).
 * The image field is ignored; `command` is required. The environment is the kubelet's
 * (`makeContainerEnvironment`) over the agent's own, less its `EDGESET_*` variables.
 *
 * @example
 * const runtime = new ProcessRuntime({ rootDir: "/var/lib/edgeset/pods", log, helper });
 * await runtime.recover();
 * runtime.syncPod(pod);
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Container, Pod } from "../../../src/resources/types.ts";
import type { Logger } from "../../log.ts";
import { makeContainerEnvironment } from "../../pods/container-env.ts";
import { podKey } from "../../pods/pod-key.ts";
import { kubeletRestartBackoff, type RestartBackoffParams } from "../../pods/restart-backoff.ts";
import { readJsonFile, writeFileAtomic } from "../../state/atomic-file.ts";
import { VolumeManager } from "../../volumes/volume-manager.ts";
import { runExecStream } from "../exec-stream.ts";
import { connectTcp } from "../container/tcp-stream.ts";
import type { ExecRequest, ExecStreams, PortStream } from "../runtime.ts";
import type { ExecResult, LogRequest, OutputSink, Runtime, RuntimeHelper, RuntimePodPhase, RuntimePodSnapshot } from "../runtime.ts";
import { kubeletLogRotation, type LogRotationOptions } from "../../logs/container-log.ts";
import { acceptPod, describeRefusal } from "../../accept/accept-pod.ts";
import { prepareProcessStart } from "./prepare-start.ts";
import { type ContainerContext, ProcessContainer, type ContainerRecord } from "./process-container.ts";
import { runCommand } from "./run-command.ts";

export interface ProcessRuntimeOptions {
  rootDir: string;
  log: Logger;
  now?: () => number;
  /** The kubelet's 10 s → 5 min by default; tests inject a short one. */
  restartBackoff?: RestartBackoffParams;
  /** How often adopted processes (no longer our children) are checked; default 1 s. */
  pollIntervalMs?: number;
  /** kubelet `minimumGracePeriodInSeconds` (2): a kill never allows less. */
  minimumGracePeriodSeconds?: number;
  /** Defaults to the agent's environment without its EDGESET_* variables (the bootstrap token). */
  baseEnv?: Record<string, string | undefined>;
  /** The kubelet's 10 MiB × 5 files by default. */
  logRotation?: LogRotationOptions;
  /** ConfigMaps, Secrets, node facts and volumes; tests may leave it out (no config, volumes beside rootDir). */
  helper?: RuntimeHelper;
}

interface PodRecord {
  uid: string;
  namespace: string;
  name: string;
  startTime: number;
  /** Set once a kill finished; the pod stays stopped until it is synced again. */
  stopped?: boolean;
  pod: Pod;
  containers: ContainerRecord[];
}

interface ProcessPod {
  record: PodRecord;
  dir: string;
  phase: RuntimePodPhase;
  containers: Map<string, ProcessContainer>;
  stopping?: Promise<void>;
  /** Host paths of the pod's volumes, once they were set up. */
  volumePaths?: Map<string, string>;
  /** Why the volumes could not be set up, while they never were. */
  volumeError?: string;
}

function agentFreeEnv(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("EDGESET_")));
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_");
}

function defaultHelper(rootDir: string): RuntimeHelper {
  const stateDir = dirname(rootDir);
  return {
    config: { configMap: () => undefined, secret: () => undefined },
    podFacts: () => ({ nodeName: "" }),
    volumes: new VolumeManager({ stateDir, secretsDir: join(stateDir, "secrets") }),
  };
}

/** The pod without its status: what the runtime needs to run it again after a restart. */
/** What is wrong with a saved pod record (written by an earlier agent, or by anyone since). */
function recordProblem(record: PodRecord | undefined): string | undefined {
  if (record === undefined) return undefined;
  if (typeof record !== "object" || record === null || typeof record.uid !== "string" || typeof record.namespace !== "string" || typeof record.name !== "string") return "state.json: not a pod record";
  const accepted = acceptPod(record.pod);
  if ("refused" in accepted) return `state.json: pod.${describeRefusal(accepted.refused)}`;
  record.pod = accepted.pod;
  const containers: unknown = record.containers;
  if (!Array.isArray(containers) || containers.some((c) => typeof c !== "object" || c === null || typeof c.name !== "string")) return "state.json: containers: Invalid value";
  return undefined;
}

function specOf(pod: Pod): Pod {
  return { apiVersion: pod.apiVersion, kind: pod.kind, metadata: pod.metadata, spec: pod.spec };
}

export class ProcessRuntime implements Runtime {
  readonly name = "process";
  private readonly options: Required<Omit<ProcessRuntimeOptions, "baseEnv" | "helper">> & { baseEnv: Record<string, string | undefined> };
  private readonly helper: RuntimeHelper;
  private readonly pods = new Map<string, ProcessPod>();
  private readonly listeners: Array<() => void> = [];
  private notifyScheduled = false;
  private closed = false;

  constructor(options: ProcessRuntimeOptions) {
    this.options = {
      now: Date.now,
      restartBackoff: kubeletRestartBackoff,
      pollIntervalMs: 1000,
      minimumGracePeriodSeconds: 2,
      baseEnv: agentFreeEnv(),
      logRotation: kubeletLogRotation,
      ...options,
    };
    this.helper = options.helper ?? defaultHelper(options.rootDir);
  }

  available(): boolean {
    return true;
  }

  async recover(): Promise<void> {
    mkdirSync(this.options.rootDir, { recursive: true, mode: 0o700 });
    for (const entry of readdirSync(this.options.rootDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(this.options.rootDir, entry.name);
      let record: PodRecord | undefined;
      try {
        record = readJsonFile<PodRecord>(join(dir, "state.json"));
      } catch (error) {
        this.options.log(`ignoring pod directory ${entry.name}: ${(error as Error).message}`);
        continue;
      }
      const problem = recordProblem(record);
      if (problem) {
        // Left on disk for someone to look at; the agent starts without it.
        this.options.log(`ignoring pod directory ${entry.name}: ${problem}`);
        continue;
      }
      if (!record?.uid || this.pods.has(record.uid)) continue;
      const pod: ProcessPod = { record, dir, phase: record.stopped ? "stopped" : "active", containers: new Map() };
      this.pods.set(record.uid, pod);
      for (const containerRecord of record.containers) {
        const spec = record.pod.spec.containers.find((c) => c.name === containerRecord.name) ?? { name: containerRecord.name };
        const container = new ProcessContainer(this.contextFor(pod), spec, containerRecord);
        pod.containers.set(containerRecord.name, container);
        const outcome = container.adopt();
        if (outcome === "adopted") {
          this.options.log(`pod ${label(record)}: adopted container ${spec.name} (pid ${containerRecord.process?.pid})`);
        }
        if (outcome === "gone") this.options.log(`pod ${label(record)}: container ${spec.name} ended while the agent was away`);
      }
      this.persist(pod);
    }
  }

  syncPod(pod: Pod): void {
    const uid = pod.metadata.uid;
    if (!uid || this.closed) return;
    let current = this.pods.get(uid);
    if (!current) {
      const namespace = pod.metadata.namespace ?? "default";
      const name = pod.metadata.name ?? uid;
      const record: PodRecord = { uid, namespace, name, startTime: this.options.now(), pod: specOf(pod), containers: [] };
      current = { record, dir: join(this.options.rootDir, podKey({ namespace, name, uid })), phase: "active", containers: new Map() };
      mkdirSync(current.dir, { recursive: true, mode: 0o700 });
      this.pods.set(uid, current);
      this.options.log(`pod ${label(record)}: starting`);
    }
    if (current.phase === "stopping") return;
    if (current.phase === "stopped") {
      current.phase = "active";
      current.record.stopped = false;
    }
    current.record.pod = specOf(pod);
    for (const spec of pod.spec.containers) {
      let container = current.containers.get(spec.name);
      if (!container) {
        const record: ContainerRecord = { name: spec.name, restartCount: 0 };
        current.record.containers.push(record);
        container = new ProcessContainer(this.contextFor(current), spec, record);
        current.containers.set(spec.name, container);
      }
      container.spec = spec;
    }
    this.persist(current);
    this.setUpVolumes(current);
    for (const container of current.containers.values()) container.sync();
  }

  /**
   * (Re)writes the pod's volumes from the current ConfigMaps and Secrets. A failure blocks starts
   * only while the volumes never were set up; afterwards the last good content stays, as a
   * mounted kubelet volume does when its source goes away.
   */
  private setUpVolumes(pod: ProcessPod): void {
    const result = this.helper.volumes.setUp(basename(pod.dir), pod.record.pod, this.helper.config, this.helper.podFacts());
    if ("paths" in result) {
      pod.volumePaths = result.paths;
      pod.volumeError = undefined;
      return;
    }
    if (pod.volumeError !== result.error) this.options.log(`pod ${label(pod.record)}: ${result.error}`);
    pod.volumeError = result.error;
  }

  killPod(uid: string, gracePeriodSeconds: number): Promise<void> {
    const pod = this.pods.get(uid);
    if (!pod || pod.phase === "stopped") return Promise.resolve();
    if (pod.stopping) return pod.stopping;
    const grace = Math.max(gracePeriodSeconds, this.options.minimumGracePeriodSeconds);
    pod.phase = "stopping";
    this.changed(pod);
    this.options.log(`pod ${label(pod.record)}: stopping (grace period ${grace}s)`);
    pod.stopping = Promise.all([...pod.containers.values()].map((c) => c.stop(grace * 1000))).then(() => {
      pod.stopping = undefined;
      pod.phase = "stopped";
      pod.record.stopped = true;
      // Nothing runs any more: its Secrets leave the device.
      this.helper.volumes.tearDown(basename(pod.dir));
      pod.volumePaths = undefined;
      this.changed(pod);
      this.options.log(`pod ${label(pod.record)}: stopped`);
    });
    return pod.stopping;
  }

  removePod(uid: string): void {
    const pod = this.pods.get(uid);
    if (!pod || pod.phase !== "stopped") return;
    for (const container of pod.containers.values()) container.close();
    this.pods.delete(uid);
    this.helper.volumes.tearDown(basename(pod.dir));
    rmSync(pod.dir, { recursive: true, force: true });
  }

  killContainer(uid: string, name: string, gracePeriodSeconds: number): Promise<void> {
    const pod = this.pods.get(uid);
    const container = pod?.containers.get(name);
    if (!pod || !container || pod.phase !== "active") return Promise.resolve();
    const grace = Math.max(gracePeriodSeconds, this.options.minimumGracePeriodSeconds);
    return container.stop(grace * 1000);
  }

  async exec(uid: string, name: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    const pod = this.pods.get(uid);
    const container = pod?.containers.get(name);
    if (!pod || !container) throw new Error(`container ${name} of pod ${uid} is not known`);
    let env = container.lastEnv;
    if (!env) {
      const resolved = makeContainerEnvironment(pod.record.pod, container.spec, this.helper.config, this.helper.podFacts());
      env = { ...this.options.baseEnv, ...("env" in resolved ? resolved.env : {}), EDGESET_POD_ROOT: this.rootOf(pod, container.spec) };
    }
    return runCommand(command, { env, cwd: container.spec.workingDir, timeoutMs });
  }

  /**
   * kubectl exec into a process pod: the command runs as the container does (the agent's user,
   * the container's environment and working directory), in its own process group.
   */
  execStream(uid: string, request: ExecRequest, streams: ExecStreams): Promise<number> {
    const pod = this.pods.get(uid);
    const container = pod?.containers.get(request.container);
    if (!pod || !container) return Promise.reject(new Error(`container ${request.container} is not valid for pod ${uid}`));
    if (container.snapshot().state.kind !== "running") return Promise.reject(new Error(`container ${request.container} is not running`));
    let env = container.lastEnv;
    if (!env) {
      const resolved = makeContainerEnvironment(pod.record.pod, container.spec, this.helper.config, this.helper.podFacts());
      env = { ...this.options.baseEnv, ...("env" in resolved ? resolved.env : {}), EDGESET_POD_ROOT: this.rootOf(pod, container.spec) };
    }
    return runExecStream(request.command, { env, cwd: container.spec.workingDir }, request, streams);
  }

  /** A process shares the node's network: its ports are on the loopback address. */
  connectPort(uid: string, port: number): Promise<PortStream> {
    if (!this.pods.has(uid)) return Promise.reject(new Error(`pod ${uid} does not run`));
    return connectTcp("127.0.0.1", port);
  }

  /** A process shares the host's network: probes reach it on the loopback address. */
  probeHost(): string {
    return "127.0.0.1";
  }

  listPods(): RuntimePodSnapshot[] {
    return [...this.pods.values()].map((pod) => ({
      uid: pod.record.uid,
      namespace: pod.record.namespace,
      name: pod.record.name,
      startTime: pod.record.startTime,
      phase: pod.phase,
      pod: pod.record.pod,
      containers: [...pod.containers.values()].map((c) => c.snapshot()),
    }));
  }

  /** Where a container's output goes (for tests and for operators reading logs). */
  logPath(uid: string, containerName: string): string | undefined {
    return this.pods.get(uid)?.containers.get(containerName)?.logPath;
  }

  async logs(uid: string, request: LogRequest, out: OutputSink): Promise<void> {
    const container = this.pods.get(uid)?.containers.get(request.container);
    if (!container) throw new Error(`container "${request.container}" is not running on this node`);
    await container.readLogs(request, out);
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    this.closed = true;
    for (const pod of this.pods.values()) {
      for (const container of pod.containers.values()) container.close();
    }
  }

  private rootOf(pod: ProcessPod, spec: Container): string {
    return join(pod.dir, "root", safeName(spec.name));
  }

  private contextFor(pod: ProcessPod): ContainerContext {
    const { record } = pod;
    return {
      podDir: pod.dir,
      podRef: `${record.name}_${record.namespace}(${record.uid})`,
      podLabel: label(record),
      restartPolicy: () => pod.record.pod.spec.restartPolicy ?? "Always",
      isActive: () => pod.phase === "active" && !this.closed,
      now: this.options.now,
      log: this.options.log,
      backoff: this.options.restartBackoff,
      pollIntervalMs: this.options.pollIntervalMs,
      logRotation: this.options.logRotation,
      prepareStart: (spec) =>
        prepareProcessStart({ pod: pod.record.pod, spec, helper: this.helper, podKey: basename(pod.dir), volumePaths: pod.volumePaths, root: this.rootOf(pod, spec), baseEnv: this.options.baseEnv }),
      blocked: () => (pod.volumeError && !pod.volumePaths ? { reason: "ContainerCreating", message: pod.volumeError } : undefined),
      changed: () => this.changed(pod),
    };
  }

  private changed(pod: ProcessPod): void {
    if (this.pods.get(pod.record.uid) !== pod) return;
    this.persist(pod);
    if (this.notifyScheduled || this.closed) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      if (this.closed) return;
      for (const listener of this.listeners) listener();
    });
  }

  private persist(pod: ProcessPod): void {
    try {
      // Not fsynced: it must be on disk before a SIGKILLed agent restarts (the rename does that),
      // not across a power cut, which ends the processes it records anyway.
      writeFileAtomic(join(pod.dir, "state.json"), JSON.stringify(pod.record), { durable: false });
    } catch (error) {
      this.options.log(`pod ${label(pod.record)}: cannot save its state: ${(error as Error).message}`);
    }
  }
}

function label(record: { namespace: string; name: string }): string {
  return `${record.namespace}/${record.name}`;
}
