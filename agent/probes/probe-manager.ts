/**
 * @module
 * Runs the probes of every running pod, like the kubelet's prober manager: one worker per
 * container and probe type, each probing every `periodSeconds` (and at once when a new
 * container instance appears or its initial delay ends), publishing results through the
 * thresholds of `probe-state.ts`. Readiness and startup results feed the pod status (`ready`,
 * `started`, the Ready condition); a liveness or startup probe that fails for good makes the
 * runtime kill the container, which then restarts under the pod's restart policy and back-off.
 *
 * @example
 * const probes = new ProbeManager({ runtime, log, onChange: () => scheduler.requestPrompt() });
 * runtime.onChange(() => probes.update(runtime.listPods()));
 * buildPodStatus(pod, snapshot, { probes: probes.results(uid) });
 */
import type { Container, Probe } from "../../src/resources/types.ts";
import type { Logger } from "../log.ts";
import type { ProbeResults } from "../pods/pod-status.ts";
import type { ContainerSnapshot, Runtime, RuntimePodSnapshot } from "../runtime/runtime.ts";
import { newProbeState, type ProbeState, type ProbeType, probeTiming, recordOutcome, resetForContainer } from "./probe-state.ts";
import { runProbe } from "./run-probe.ts";
import { defaultTerminationGracePeriodSeconds } from "../../src/protocol/pod-defaults.ts";

export interface ProbeManagerOptions {
  runtime: Runtime;
  log: Logger;
  /** A published result changed (the pod status did). */
  onChange: () => void;
  now?: () => number;
}

const probeTypes: ProbeType[] = ["startup", "readiness", "liveness"];

function probeOf(container: Container, type: ProbeType): Probe | undefined {
  return type === "startup" ? container.startupProbe : type === "readiness" ? container.readinessProbe : container.livenessProbe;
}

class ProbeWorker {
  readonly uid: string;
  readonly container: string;
  readonly type: ProbeType;
  probe: Probe;
  spec: Container;
  state: ProbeState;
  stopped = false;
  private timer?: ReturnType<typeof setTimeout>;
  private inFlight = false;
  private again = false;
  private readonly manager: ProbeManager;

  constructor(manager: ProbeManager, uid: string, spec: Container, type: ProbeType, probe: Probe) {
    this.manager = manager;
    this.uid = uid;
    this.container = spec.name;
    this.spec = spec;
    this.type = type;
    this.probe = probe;
    this.state = newProbeState(type);
  }

  get periodMs(): number {
    return probeTiming(this.probe).periodSeconds * 1000;
  }

  /** Probe now (or right after the probe in flight). */
  trigger(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delayMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async run(): Promise<void> {
    this.inFlight = true;
    let next = this.periodMs;
    try {
      next = (await this.manager.doProbe(this)) ?? next;
    } catch (error) {
      this.manager.log(`probe ${this.type} of ${this.container} failed to run: ${(error as Error).message}`);
    }
    this.inFlight = false;
    if (this.again) {
      this.again = false;
      next = 0;
    }
    this.schedule(next);
  }
}

export class ProbeManager {
  private readonly options: ProbeManagerOptions;
  private readonly workers = new Map<string, ProbeWorker>();
  private readonly now: () => number;
  private closed = false;

  constructor(options: ProbeManagerOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  log(message: string): void {
    this.options.log(message);
  }

  /** Starts workers for new probed containers, stops those of pods that stopped, wakes workers on new instances. */
  update(pods: RuntimePodSnapshot[]): void {
    if (this.closed) return;
    const wanted = new Set<string>();
    for (const pod of pods) {
      if (pod.phase !== "active") continue;
      for (const spec of pod.pod.spec.containers) {
        const snapshot = pod.containers.find((c) => c.name === spec.name);
        for (const type of probeTypes) {
          const probe = probeOf(spec, type);
          if (!probe) continue;
          const key = `${pod.uid}/${spec.name}/${type}`;
          wanted.add(key);
          let worker = this.workers.get(key);
          if (!worker) {
            worker = new ProbeWorker(this, pod.uid, spec, type, probe);
            this.workers.set(key, worker);
            worker.schedule(worker.periodMs);
          }
          worker.spec = spec;
          worker.probe = probe;
          if (snapshot?.state.kind === "running" && snapshot.containerID !== worker.state.containerID) worker.trigger();
        }
      }
    }
    for (const [key, worker] of this.workers) {
      if (wanted.has(key)) continue;
      worker.stop();
      this.workers.delete(key);
    }
  }

  /** `ready` and `started` of the pod's probed containers (absent: not probed, ready once running). */
  results(uid: string, pod?: RuntimePodSnapshot): ProbeResults | undefined {
    const snapshot = pod ?? this.options.runtime.listPods().find((p) => p.uid === uid);
    if (!snapshot) return undefined;
    const out: ProbeResults = {};
    let any = false;
    for (const container of snapshot.containers) {
      const startup = this.workers.get(`${uid}/${container.name}/startup`);
      const readiness = this.workers.get(`${uid}/${container.name}/readiness`);
      if (!startup && !readiness) continue;
      any = true;
      const started = this.isStarted(uid, container);
      const ready = started && (!readiness || this.resultFor(readiness, container) === "success");
      out[container.name] = { started, ready };
    }
    return any ? out : undefined;
  }

  close(): void {
    this.closed = true;
    for (const worker of this.workers.values()) worker.stop();
    this.workers.clear();
  }

  private resultFor(worker: ProbeWorker, container: ContainerSnapshot): string | undefined {
    return container.state.kind === "running" && worker.state.containerID === container.containerID ? worker.state.result : undefined;
  }

  private isStarted(uid: string, container: ContainerSnapshot): boolean {
    if (container.state.kind !== "running") return false;
    const startup = this.workers.get(`${uid}/${container.name}/startup`);
    return !startup || this.resultFor(startup, container) === "success";
  }

  private publish(worker: ProbeWorker, state: ProbeState): void {
    const changed = state.result !== worker.state.result || state.containerID !== worker.state.containerID;
    worker.state = state;
    if (changed) this.options.onChange();
  }

  /**
   * One round of kubelet `worker.doProbe`. Resolves to the delay before the next round when it
   * is not the period (the end of the initial delay).
   */
  async doProbe(worker: ProbeWorker): Promise<number | undefined> {
    const pod = this.options.runtime.listPods().find((p) => p.uid === worker.uid);
    if (!pod || pod.phase !== "active") return undefined;
    const container = pod.containers.find((c) => c.name === worker.container);
    if (!container?.containerID) return undefined;
    if (container.containerID !== worker.state.containerID) this.publish(worker, resetForContainer(worker.state, container.containerID, worker.type));
    if (worker.state.onHold) return undefined;
    if (container.state.kind !== "running") {
      this.publish(worker, { ...worker.state, result: "failure" });
      return undefined;
    }
    if (pod.pod.metadata.deletionTimestamp && worker.type !== "readiness") {
      this.publish(worker, { ...worker.state, result: "success" });
      return undefined;
    }
    const timing = probeTiming(worker.probe);
    const runningFor = this.now() - container.state.startedAt;
    if (Math.floor(runningFor / 1000) < timing.initialDelaySeconds) {
      return Math.min(worker.periodMs, timing.initialDelaySeconds * 1000 - runningFor + 1);
    }
    const started = this.isStarted(worker.uid, container);
    if (started === (worker.type === "startup")) return undefined;

    const runtime = this.options.runtime;
    const outcome = await runProbe(worker.probe, worker.spec, {
      host: runtime.probeHost(worker.uid),
      exec: (command, timeoutMs) => runtime.exec(worker.uid, worker.container, command, timeoutMs),
    });
    if (worker.stopped || outcome.result === "unknown") return undefined;
    // The container may have been replaced while the probe ran: that outcome is not its.
    const current = runtime.listPods().find((p) => p.uid === worker.uid)?.containers.find((c) => c.name === worker.container);
    if (current?.containerID !== worker.state.containerID) return 0;

    const recorded = recordOutcome(worker.state, outcome.result, timing, worker.type);
    const label = `pod ${pod.namespace}/${pod.name}: container ${worker.container}`;
    if (recorded.state.result !== worker.state.result) {
      if (recorded.state.result === "failure") this.log(`${label} ${worker.type} probe failed: ${outcome.output.trim() || "no output"}`);
      else this.log(`${label} ${worker.type} probe succeeded`);
    }
    this.publish(worker, recorded.state);
    if (worker.type === "startup" && recorded.state.result === "success") {
      this.workers.get(`${worker.uid}/${worker.container}/readiness`)?.trigger();
      this.workers.get(`${worker.uid}/${worker.container}/liveness`)?.trigger();
    }
    if (recorded.kill) {
      const grace = worker.probe.terminationGracePeriodSeconds ?? pod.pod.spec.terminationGracePeriodSeconds ?? defaultTerminationGracePeriodSeconds;
      this.log(`${label} failed ${worker.type} probe, will be restarted`);
      runtime.killContainer(worker.uid, worker.container, grace).catch((error: Error) => this.log(`${label}: kill failed: ${error.message}`));
    }
    return undefined;
  }
}
