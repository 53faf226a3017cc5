/**
 * @module
 * One container of a pod on a docker or podman engine, as the kubelet's `computePodActions` and
 * `startContainer` treat it: start it, keep it, or restart it under the pod's restart policy with
 * the CrashLoopBackOff; before a start, resolve its environment and mounts (config errors wait
 * with `CreateContainerConfigError`), pull its image as the pull policy says (`ErrImagePull`,
 * `ImagePullBackOff`, `ErrImageNeverPull`), then run it. Every failure ends in a waiting reason the
 * pod status shows; nothing loops faster than its back-off.
 *
 * @example
 * const supervisor = new ContainerSupervisor(ctx);
 * supervisor.sync(pod, container); // after every relist and every syncPod
 */
import type { Logger } from "../../log.ts";
import { makeContainerEnvironment } from "../../pods/container-env.ts";
import { imageReferenceProblem, invalidImageMessage } from "./image-reference.ts";
import { decideRestart, type RestartBackoffParams } from "../../pods/restart-backoff.ts";
import { formatGoDuration } from "../../time.ts";
import { firstChanged } from "../../volumes/pinned-path.ts";
import type { RuntimeHelper } from "../runtime.ts";
import { bindMounts } from "./bind-mounts.ts";
import { lastErrorLine } from "./cli.ts";
import { attemptOf, type EngineContainer, type EnginePod, lastExit, type Waiting } from "./container-status.ts";
import type { Engine, EngineCli } from "./engine-cli.ts";
import { dockerConfigFrom, neverPullMessage, pullPolicyOf, shouldPull } from "./image-pull.ts";
import type { Mount } from "./run-args.ts";

export interface SupervisorContext {
  engine: Engine;
  cli: EngineCli;
  agentId: string;
  helper: RuntimeHelper;
  log: Logger;
  now(): number;
  backoff: RestartBackoffParams;
  /** False once the runtime is closed or its engine unavailable: nothing starts then. */
  canStart(): boolean;
  /** Something a status report would show changed. */
  changed(): void;
  /** Refreshes the engine's view of every container. */
  relist(): Promise<void>;
}

export class ContainerSupervisor {
  private readonly ctx: SupervisorContext;

  constructor(ctx: SupervisorContext) {
    this.ctx = ctx;
  }

  /** Sets the container's waiting reason; logs the ones an operator needs to see. */
  setWaiting(c: EngineContainer, waiting: Waiting | undefined, pod: EnginePod): void {
    if (JSON.stringify(waiting) === JSON.stringify(c.waiting)) return;
    c.waiting = waiting;
    if (waiting && waiting.reason !== "ContainerCreating" && waiting.reason !== "CrashLoopBackOff" && waiting.reason !== "ImagePullBackOff") {
      this.ctx.log(`pod ${pod.namespace}/${pod.name}: container ${c.name} waits: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ""}`);
    }
    this.ctx.changed();
  }

  private wakeAt(pod: EnginePod, c: EngineContainer, at: number): void {
    clearTimeout(c.timer);
    c.timer = setTimeout(() => {
      c.timer = undefined;
      this.sync(pod, c);
    }, Math.max(0, at - this.ctx.now()));
    c.timer.unref();
  }

  /** kubelet computePodActions for one container: start, keep, restart (with back-off) or leave it. */
  sync(pod: EnginePod, c: EngineContainer): void {
    if (pod.phase !== "active" || c.busy || !this.ctx.canStart()) return;
    if (c.timer) {
      // Waiting for a back-off to end; a pull failure reads as ImagePullBackOff meanwhile.
      if (c.waiting?.reason === "ErrImagePull") this.setWaiting(c, { reason: "ImagePullBackOff", message: `Back-off pulling image "${c.spec.image}"` }, pod);
      return;
    }
    if (c.instances.at(-1)?.running) return;
    const exit = lastExit(c, this.ctx.engine, this.ctx.now());
    if (!exit) {
      this.startInBackground(pod, c, 0);
      return;
    }
    const { termination: last, attempt } = exit;
    const policy = pod.pod.spec.restartPolicy ?? "Always";
    if (!(policy === "Always" || (policy === "OnFailure" && last.exitCode !== 0))) {
      this.setWaiting(c, undefined, pod);
      return;
    }
    const now = this.ctx.now();
    const decision = decideRestart(c.backoff, last.finishedAt, now, this.ctx.backoff);
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
      if (!this.ctx.canStart()) return;
      this.ctx.log(`pod ${pod.namespace}/${pod.name}: container ${c.name}: ${error.message}`);
      this.setWaiting(c, { reason: "RunContainerError", message: error.message }, pod);
    });
  }

  /** Pull (as the policy says), then run; every failure ends in a waiting reason the status shows. */
  private async start(pod: EnginePod, c: EngineContainer, attempt: number): Promise<void> {
    const spec = c.spec;
    if (pod.volumeError && !pod.volumePaths) {
      this.setWaiting(c, { reason: "ContainerCreating", message: pod.volumeError }, pod);
      return;
    }
    const { helper } = this.ctx;
    const resolved = makeContainerEnvironment(pod.pod, spec, helper.config, helper.podFacts());
    if ("error" in resolved) {
      this.setWaiting(c, { reason: "CreateContainerConfigError", message: resolved.error }, pod);
      return;
    }
    const mounts = bindMounts(pod.pod, spec, pod.volumePaths);
    if ("error" in mounts) {
      this.setWaiting(c, { reason: "CreateContainerConfigError", message: mounts.error }, pod);
      return;
    }
    if (!spec.image) {
      this.setWaiting(c, { reason: "InvalidImageName", message: "the container has no image" }, pod);
      return;
    }
    // Checked before any engine command: an image such as "--privileged" never reaches one.
    const imageProblem = imageReferenceProblem(spec.image);
    if (imageProblem) {
      this.setWaiting(c, { reason: "InvalidImageName", message: invalidImageMessage(spec.image, imageProblem) }, pod);
      return;
    }
    c.busy = true;
    try {
      if (!(await this.ensureImage(pod, c, spec.image))) return;
      // The pull may have taken minutes: a mount source swapped for a link meanwhile is refused.
      const changed = firstChanged(mounts.pins);
      if (changed) {
        this.setWaiting(c, { reason: "CreateContainerConfigError", message: changed }, pod);
        return;
      }
      await this.run(pod, c, attempt, resolved.env, mounts.mounts);
      // Busy until the engine's view includes the new instance: a stale view would start it twice.
      await this.ctx.relist();
    } finally {
      c.busy = false;
    }
  }

  /** True when the image is there to run. */
  private async ensureImage(pod: EnginePod, c: EngineContainer, image: string): Promise<boolean> {
    const present = await this.ctx.cli.imagePresent(image);
    const decision = shouldPull(pullPolicyOf(c.spec), present);
    if (decision === "never") {
      this.setWaiting(c, { reason: "ErrImageNeverPull", message: neverPullMessage(image) }, pod);
      return false;
    }
    if (!decision) return true;
    const now = this.ctx.now();
    if (c.pullBackoff && c.pullFailedAt !== undefined && now - c.pullFailedAt < c.pullBackoff.backoffMs) {
      this.setWaiting(c, { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}"` }, pod);
      this.wakeAt(pod, c, c.pullFailedAt + c.pullBackoff.backoffMs);
      return false;
    }
    this.setWaiting(c, { reason: "ContainerCreating", message: `Pulling image "${image}"` }, pod);
    const { helper } = this.ctx;
    const pullSecrets = (pod.pod.spec.imagePullSecrets ?? []).map((s) => helper.config.secret(pod.namespace, s.name ?? "")).filter((s) => s !== undefined);
    const result = await this.ctx.cli.pull(image, dockerConfigFrom(pullSecrets));
    if (result.code === 0) {
      c.pullBackoff = undefined;
      c.pullFailedAt = undefined;
      this.ctx.log(`pod ${pod.namespace}/${pod.name}: pulled image ${image}`);
      return true;
    }
    // The kubelet's image back-off: 10 s after the first failure, doubling up to 5 min.
    const failedAt = this.ctx.now();
    const backoffMs = c.pullBackoff ? Math.min(c.pullBackoff.backoffMs * 2, this.ctx.backoff.maxMs) : this.ctx.backoff.initialMs;
    c.pullBackoff = { backoffMs, lastUpdate: failedAt };
    c.pullFailedAt = failedAt;
    const message = `failed to pull image "${image}": ${lastErrorLine(result.stderr) || `exit code ${result.code}`}`;
    this.setWaiting(c, { reason: "ErrImagePull", message }, pod);
    this.wakeAt(pod, c, failedAt + backoffMs);
    return false;
  }

  private async run(pod: EnginePod, c: EngineContainer, attempt: number, env: Record<string, string>, mounts: Mount[]): Promise<void> {
    const result = await this.ctx.cli.run({ pod: pod.pod, container: c.spec, attempt, agentId: this.ctx.agentId, env, mounts });
    if (result.code === 0) {
      c.runFailure = undefined;
      c.waiting = undefined;
      this.ctx.log(`pod ${pod.namespace}/${pod.name}: container ${c.name} ${attempt === 0 ? "started" : `restarted (restart ${attempt})`} (${this.ctx.engine} ${result.stdout.trim().slice(0, 12)})`);
      // One dead instance stays for the last state; older ones go.
      const stale = c.instances.filter((i) => attemptOf(i) < attempt - 1).map((i) => i.id);
      if (stale.length > 0) await this.ctx.cli.remove(stale);
      return;
    }
    const message = lastErrorLine(result.stderr) || `exit code ${result.code}`;
    this.ctx.log(`pod ${pod.namespace}/${pod.name}: container ${c.name} failed to start: ${message}`);
    const now = this.ctx.now();
    c.runFailure = { attempt, termination: { exitCode: 128, reason: "StartError", message, startedAt: now, finishedAt: now } };
    c.waiting = undefined;
  }

  async stop(pod: EnginePod, c: EngineContainer, graceSeconds: number): Promise<void> {
    const instance = c.instances.at(-1);
    if (!instance?.running) return;
    const result = await this.ctx.cli.stop(instance.id, graceSeconds);
    if (result.code !== 0) this.ctx.log(`pod ${pod.namespace}/${pod.name}: stopping container ${c.name} failed: ${lastErrorLine(result.stderr)}`);
  }
}
