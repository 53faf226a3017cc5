/**
 * @module
 * One supervised container of the process runtime: a command run detached in its own process
 * group (so it outlives the agent), stdout and stderr kept as CRI log files (agent/logs), restarted under the
 * pod's restart policy with the kubelet's CrashLoopBackOff, adopted after an agent restart when
 * its pid and start time still match, and stopped with SIGTERM then SIGKILL to the whole group.
 *
 * Invariants: at most one live process per container (`record.process` is set from spawn to
 * exit); the record is persisted (through `ctx.changed`) before anything else can observe a new
 * pid, so a SIGKILLed agent finds it on restart and adopts instead of starting a duplicate.
 *
 * @example
 * const c = new ProcessContainer(ctx, spec, { name: spec.name, restartCount: 0 });
 * c.sync();                  // starts it
 * await c.stop(30_000);      // SIGTERM, up to 30 s, SIGKILL
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync } from "node:fs";
import { join } from "node:path";
import type { Container } from "../../../src/resources/types.ts";
import { ContainerLog, type LogRotationOptions } from "../../logs/container-log.ts";
import type { Logger } from "../../log.ts";
import { decideRestart, type RestartBackoffEntry, type RestartBackoffParams } from "../../pods/restart-backoff.ts";
import { formatGoDuration } from "../../time.ts";
import type { ContainerSnapshot, LogRequest, OutputSink, Termination } from "../runtime.ts";
import { isSameProcess, readBootId, readProcStat } from "./proc-stat.ts";
import { exitTermination, killGroup, startErrorTermination, unknownTermination } from "./terminations.ts";

/** What survives on disk for one container. */
export interface ContainerRecord {
  name: string;
  restartCount: number;
  /** The live instance, from spawn until its exit is seen. */
  process?: { pid: number; startTicks?: string; bootId?: string; startedAt: number };
  /** The most recent exit. */
  last?: Termination;
  /** The exit before `last`: the API's lastState while `last` is the current (final) state. */
  previous?: Termination;
  backoff?: RestartBackoffEntry;
}

export interface ContainerContext {
  podDir: string;
  /** kubelet `format.Pod`: name_namespace(uid), used in back-off messages. */
  podRef: string;
  /** namespace/name, used in log lines. */
  podLabel: string;
  restartPolicy(): "Always" | "OnFailure" | "Never";
  /** False once the pod is being stopped: exits are then final. */
  isActive(): boolean;
  now(): number;
  log: Logger;
  backoff: RestartBackoffParams;
  pollIntervalMs: number;
  logRotation: LogRotationOptions;
  /**
   * Everything a start needs (argv, the full environment, working directory, the container's
   * root laid out), or why it cannot start (the waiting reason and message).
   */
  prepareStart(spec: Container): PreparedStart | Waiting;
  /** Why no container of the pod may start yet (its volumes could not be set up), if so. */
  blocked(): Waiting | undefined;
  /** Persist the pod record and tell the runtime's listeners. */
  changed(): void;
}

export interface Waiting {
  reason: string;
  message?: string;
}

export interface PreparedStart {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd?: string;
}

function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_");
}

export class ProcessContainer {
  readonly record: ContainerRecord;
  spec: Container;
  private readonly ctx: ContainerContext;
  private waiting?: Waiting;
  /** The environment of the running instance (exec probes run with it); not kept across agent restarts. */
  lastEnv?: Record<string, string | undefined>;
  private child?: ChildProcess;
  private pollTimer?: ReturnType<typeof setInterval>;
  private restartTimer?: ReturnType<typeof setTimeout>;
  private starting = false;
  private exitWaiters: Array<() => void> = [];
  readonly logs: ContainerLog;

  constructor(ctx: ContainerContext, spec: Container, record: ContainerRecord) {
    this.ctx = ctx;
    this.spec = spec;
    this.record = record;
    this.logs = new ContainerLog(join(ctx.podDir, "logs", safeFileName(spec.name)), ctx.logRotation, ctx.now);
  }

  get running(): boolean {
    return this.record.process !== undefined;
  }

  /** The live log file of the current (or last) instance. */
  get logPath(): string {
    return this.logs.pathOf(this.record.restartCount);
  }

  /** `kubectl logs` of this container (see ContainerLog.read). */
  readLogs(request: LogRequest, out: OutputSink): Promise<void> {
    const started = this.running || this.record.last !== undefined;
    return this.logs.read(started ? this.record.restartCount : undefined, request, out);
  }

  /**
   * After an agent restart: watch the recorded process if it is still the same one, else record
   * that it ended while nobody watched. Nothing is started here; `sync` decides that.
   */
  adopt(): "adopted" | "gone" | "none" {
    const proc = this.record.process;
    if (!proc) return "none";
    if (isSameProcess(proc.pid, proc.startTicks, proc.bootId)) {
      this.logs.attach(this.record.restartCount);
      this.watchByPolling(proc.pid, proc.startTicks, proc.bootId);
      return "adopted";
    }
    this.recordExit(unknownTermination(proc, this.ctx.now()));
    return "gone";
  }

  /** Starts, keeps, restarts or leaves the container as the pod's restart policy says. */
  sync(): void {
    if (!this.ctx.isActive() || this.running || this.starting || this.restartTimer) return;
    const last = this.record.last;
    if (!last) {
      this.start();
      return;
    }
    const policy = this.ctx.restartPolicy();
    const restart = policy === "Always" || (policy === "OnFailure" && last.exitCode !== 0);
    if (!restart) {
      this.setWaiting(undefined);
      return;
    }
    const now = this.ctx.now();
    const decision = decideRestart(this.record.backoff, last.finishedAt, now, this.ctx.backoff);
    if (decision.kind === "restart") {
      this.record.backoff = decision.entry;
      this.start();
      return;
    }
    this.setWaiting({
      reason: "CrashLoopBackOff",
      message: `back-off ${formatGoDuration(decision.backoffMs)} restarting failed container=${this.spec.name} pod=${this.ctx.podRef}`,
    });
    this.ctx.log(`pod ${this.ctx.podLabel}: container ${this.spec.name} back-off ${formatGoDuration(decision.backoffMs)} before restarting`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.sync();
    }, Math.max(0, decision.until - now));
    this.restartTimer.unref();
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs: number): Promise<void> {
    this.clearRestartTimer();
    this.waiting = undefined;
    if (!this.running) return;
    const exited = this.waitForExit();
    this.signal("SIGTERM");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const graceOver = new Promise<"grace">((resolve) => {
      timer = setTimeout(() => resolve("grace"), graceMs);
    });
    const outcome = await Promise.race([exited.then(() => "exited" as const), graceOver]);
    clearTimeout(timer);
    if (outcome === "grace" && this.running) {
      this.ctx.log(`pod ${this.ctx.podLabel}: container ${this.spec.name} still running after ${formatGoDuration(graceMs)}; sending SIGKILL`);
      this.signal("SIGKILL");
      await exited;
    }
  }

  /** Stops watching (timers, child listeners); the process keeps running. */
  close(): void {
    this.clearRestartTimer();
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    this.child?.removeAllListeners("exit");
    this.child = undefined;
    this.logs.detach();
  }

  snapshot(): ContainerSnapshot {
    const { process: proc, last, previous, restartCount } = this.record;
    const id = proc ? `process://${proc.pid}` : last?.containerID;
    const base = { name: this.spec.name, restartCount, ...(id ? { containerID: id } : {}) };
    if (proc) return { ...base, state: { kind: "running", startedAt: proc.startedAt }, ...(last ? { lastTermination: last } : {}) };
    if (this.waiting) return { ...base, state: { kind: "waiting", ...this.waiting }, ...(last ? { lastTermination: last } : {}) };
    if (last) return { ...base, state: { kind: "terminated", termination: last }, ...(previous ? { lastTermination: previous } : {}) };
    return { ...base, state: { kind: "waiting", reason: "ContainerCreating" } };
  }

  private start(): void {
    const blocked = this.ctx.blocked();
    if (blocked) {
      if (this.setWaiting(blocked)) this.ctx.log(`pod ${this.ctx.podLabel}: container ${this.spec.name} waits: ${blocked.message ?? blocked.reason}`);
      return;
    }
    let prepared: PreparedStart | Waiting;
    try {
      prepared = this.ctx.prepareStart(this.spec);
    } catch (error) {
      prepared = { reason: "CreateContainerConfigError", message: (error as Error).message };
    }
    if ("reason" in prepared) {
      if (this.setWaiting(prepared)) this.ctx.log(`pod ${this.ctx.podLabel}: container ${this.spec.name} cannot start: ${prepared.reason}: ${prepared.message ?? ""}`);
      return;
    }
    const isRestart = this.record.last !== undefined;
    this.starting = true;
    let child: ChildProcess;
    let fds: { stdout: number; stderr: number } | undefined;
    const instance = this.record.restartCount + (isRestart ? 1 : 0);
    try {
      fds = this.logs.createPipes(instance);
      child = spawn(prepared.argv[0], prepared.argv.slice(1), {
        cwd: prepared.cwd || undefined,
        env: prepared.env,
        detached: true,
        stdio: ["ignore", fds.stdout, fds.stderr],
      });
    } catch (error) {
      this.starting = false;
      this.startFailed(error as Error);
      return;
    } finally {
      if (fds) for (const fd of [fds.stdout, fds.stderr]) closeSync(fd);
    }
    const pid = child.pid;
    if (pid === undefined) {
      child.once("error", (error) => {
        this.starting = false;
        this.startFailed(error);
      });
      return;
    }
    this.starting = false;
    if (isRestart) this.record.restartCount++;
    this.logs.attach(instance);
    this.record.process = { pid, startTicks: readProcStat(pid)?.startTicks, bootId: readBootId(), startedAt: this.ctx.now() };
    this.waiting = undefined;
    this.lastEnv = prepared.env;
    this.child = child;
    child.on("error", () => {});
    child.once("exit", (code, signal) => this.onChildExit(pid, code, signal));
    child.unref();
    this.ctx.changed();
    this.ctx.log(
      isRestart
        ? `pod ${this.ctx.podLabel}: container ${this.spec.name} restarted (pid ${pid}, restart ${this.record.restartCount})`
        : `pod ${this.ctx.podLabel}: container ${this.spec.name} started (pid ${pid})`,
    );
  }

  /** containerd's StartError: exit code 128, the reason in the message, then the usual back-off. */
  private startFailed(error: Error): void {
    const now = this.ctx.now();
    if (this.record.last) this.record.restartCount++;
    this.ctx.log(`pod ${this.ctx.podLabel}: container ${this.spec.name} failed to start: ${error.message}`);
    this.recordExit(startErrorTermination(error.message, now));
    this.sync();
  }

  private onChildExit(pid: number, code: number | null, signal: NodeJS.Signals | null): void {
    const proc = this.record.process;
    if (proc?.pid !== pid) return;
    this.child = undefined;
    const termination = exitTermination(proc, code, signal, this.ctx.now());
    this.ctx.log(
      `pod ${this.ctx.podLabel}: container ${this.spec.name} (pid ${pid}) ${signal ? `killed by ${signal}` : `exited with code ${termination.exitCode}`}`,
    );
    this.processEnded(pid, termination);
  }

  private watchByPolling(pid: number, startTicks: string | undefined, bootId: string | undefined): void {
    this.pollTimer = setInterval(() => {
      if (isSameProcess(pid, startTicks, bootId)) return;
      const proc = this.record.process;
      if (!proc || proc.pid !== pid) return;
      this.ctx.log(`pod ${this.ctx.podLabel}: adopted container ${this.spec.name} (pid ${pid}) exited`);
      this.processEnded(pid, unknownTermination(proc, this.ctx.now()));
    }, this.ctx.pollIntervalMs);
    this.pollTimer.unref();
  }

  private processEnded(pid: number, termination: Termination): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    // As when a container's init process dies, whatever it left in its group goes with it.
    killGroup(pid, "SIGKILL");
    this.recordExit(termination);
    const waiters = this.exitWaiters;
    this.exitWaiters = [];
    for (const resolve of waiters) resolve();
    this.sync();
  }

  private recordExit(termination: Termination): void {
    this.record.process = undefined;
    this.record.previous = this.record.last;
    this.record.last = termination;
    this.waiting = undefined;
    this.ctx.changed();
  }

  private waitForExit(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.record.process?.pid;
    if (pid !== undefined) killGroup(pid, signal);
  }

  /** True when the waiting state changed. */
  private setWaiting(waiting: Waiting | undefined): boolean {
    if (JSON.stringify(waiting) === JSON.stringify(this.waiting)) return false;
    this.waiting = waiting;
    this.ctx.changed();
    return true;
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }
}
