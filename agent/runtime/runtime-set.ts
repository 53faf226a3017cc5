/**
 * @module
 * The runtimes of a device behind one Runtime: each pod goes to the runtime its
 * `spec.runtimeClassName` names (`process`, `docker`, `podman`), or to the agent's default
 * (`--runtime`). A pod whose runtime the device does not have is held here, not started and not
 * retried in a loop: its containers wait with reason `RuntimeNotAvailable` and a message naming
 * what the device has, and it moves to the runtime as soon as that becomes available (a daemon
 * that starts after the agent).
 *
 * @example
 * const runtimes = new RuntimeSet([processRuntime, dockerRuntime], "process");
 * runtimes.syncPod(pod); // pod.spec.runtimeClassName "docker" → dockerRuntime.syncPod(pod)
 */
import type { Pod, PodSpec } from "../../src/resources/types.ts";
import type { ExecRequest, ExecResult, ExecStreams, LogRequest, OutputSink, PortStream, Runtime, RuntimePodSnapshot } from "./runtime.ts";

/** A pod waiting for a runtime the device lacks. */
interface HeldPod {
  pod: Pod;
  startTime: number;
  stopped: boolean;
  runtime: string;
}

export class RuntimeSet implements Runtime {
  readonly name: string;
  private readonly runtimes: Map<string, Runtime>;
  private readonly held = new Map<string, HeldPod>();
  private readonly listeners: Array<() => void> = [];
  private readonly now: () => number;
  private refreshTimer?: ReturnType<typeof setInterval>;

  constructor(runtimes: Runtime[], defaultName: string, now: () => number = Date.now) {
    this.runtimes = new Map(runtimes.map((r) => [r.name, r]));
    this.name = defaultName;
    this.now = now;
  }

  available(): boolean {
    return this.availableNames().length > 0;
  }

  /** What the device can run now (the node report's `runtimes`). */
  availableNames(): string[] {
    return [...this.runtimes.values()].filter((r) => r.available()).map((r) => r.name);
  }

  /** The runtime a pod asks for. */
  runtimeNameFor(pod: Pod): string {
    return pod.spec.runtimeClassName || this.name;
  }

  async recover(): Promise<void> {
    for (const runtime of this.runtimes.values()) await runtime.recover();
  }

  syncPod(pod: Pod): void {
    const uid = pod.metadata.uid;
    if (!uid) return;
    const wanted = this.runtimeNameFor(pod);
    const runtime = this.runtimes.get(wanted);
    const holder = this.holderOf(uid);
    if (holder && holder !== runtime) {
      // A uid's runtime never changes (runtimeClassName is immutable): keep syncing where it runs.
      holder.syncPod(pod);
      return;
    }
    if (runtime?.available()) {
      if (this.held.delete(uid)) this.notify();
      runtime.syncPod(pod);
      return;
    }
    runtime?.refreshAvailability?.();
    const existing = this.held.get(uid);
    if (existing && !existing.stopped && existing.pod === pod) return;
    this.held.set(uid, { pod, startTime: existing?.startTime ?? this.now(), stopped: false, runtime: wanted });
    this.watchHeld();
    if (!existing) this.notify();
  }

  /** While pods wait for a runtime, ask it now and then whether it came up (its change event converges them). */
  private watchHeld(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setInterval(() => {
      if (this.held.size === 0) {
        clearInterval(this.refreshTimer);
        this.refreshTimer = undefined;
        return;
      }
      for (const held of this.held.values()) this.runtimes.get(held.runtime)?.refreshAvailability?.();
    }, 30_000);
    this.refreshTimer.unref();
  }

  /** The runtime the spec names pulls; an unavailable runtime is a failure the staging reports. */
  pullImages(namespace: string, spec: PodSpec): Promise<string[]> {
    const wanted = spec.runtimeClassName || this.name;
    const runtime = this.runtimes.get(wanted);
    if (!runtime?.available()) return Promise.reject(new Error(`runtime ${wanted} is not available on this node`));
    return runtime.pullImages?.(namespace, spec) ?? Promise.resolve([]);
  }

  killPod(uid: string, gracePeriodSeconds: number): Promise<void> {
    const held = this.held.get(uid);
    if (held) {
      if (!held.stopped) {
        held.stopped = true;
        this.notify();
      }
      return Promise.resolve();
    }
    return this.holderOf(uid)?.killPod(uid, gracePeriodSeconds) ?? Promise.resolve();
  }

  killContainer(uid: string, container: string, gracePeriodSeconds: number): Promise<void> {
    return this.holderOf(uid)?.killContainer(uid, container, gracePeriodSeconds) ?? Promise.resolve();
  }

  exec(uid: string, container: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    const holder = this.holderOf(uid);
    if (!holder) return Promise.reject(new Error(`pod ${uid} does not run`));
    return holder.exec(uid, container, command, timeoutMs);
  }

  logs(uid: string, request: LogRequest, out: OutputSink): Promise<void> {
    const holder = this.holderOf(uid);
    if (!holder) return Promise.reject(new Error(`pod ${uid} does not run on this node`));
    if (!holder.logs) return Promise.reject(new Error(`the ${holder.name} runtime cannot serve logs yet`));
    return holder.logs(uid, request, out);
  }

  execStream(uid: string, request: ExecRequest, streams: ExecStreams): Promise<number> {
    const holder = this.holderOf(uid);
    if (!holder) return Promise.reject(new Error(`pod ${uid} does not run on this node`));
    if (!holder.execStream) return Promise.reject(new Error(`the ${holder.name} runtime cannot exec yet`));
    return holder.execStream(uid, request, streams);
  }

  connectPort(uid: string, port: number): Promise<PortStream> {
    const holder = this.holderOf(uid);
    if (!holder?.connectPort) return Promise.reject(new Error(`pod ${uid} has no port to connect to on this node`));
    return holder.connectPort(uid, port);
  }

  probeHost(uid: string): string {
    return this.holderOf(uid)?.probeHost(uid) ?? "127.0.0.1";
  }

  removePod(uid: string): void {
    if (this.held.delete(uid)) return;
    this.holderOf(uid)?.removePod(uid);
  }

  listPods(): RuntimePodSnapshot[] {
    const pods = [...this.runtimes.values()].flatMap((r) => r.listPods());
    for (const [uid, held] of this.held) pods.push(this.heldSnapshot(uid, held));
    return pods;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
    for (const runtime of this.runtimes.values()) runtime.onChange(listener);
  }

  close(): void {
    clearInterval(this.refreshTimer);
    for (const runtime of this.runtimes.values()) runtime.close();
  }

  private holderOf(uid: string): Runtime | undefined {
    for (const runtime of this.runtimes.values()) {
      if (runtime.listPods().some((p) => p.uid === uid)) return runtime;
    }
    return undefined;
  }

  private heldSnapshot(uid: string, held: HeldPod): RuntimePodSnapshot {
    const have = this.availableNames();
    const message = `runtime "${held.runtime}" is not available on this node (it has: ${have.join(", ") || "none"})`;
    return {
      uid,
      namespace: held.pod.metadata.namespace || "default",
      name: held.pod.metadata.name ?? uid,
      startTime: held.startTime,
      phase: held.stopped ? "stopped" : "active",
      pod: held.pod,
      containers: held.pod.spec.containers.map((c) => ({
        name: c.name,
        restartCount: 0,
        state: { kind: "waiting", reason: "RuntimeNotAvailable", message },
      })),
    };
  }

  private notify(): void {
    setImmediate(() => {
      for (const listener of this.listeners) listener();
    });
  }
}
