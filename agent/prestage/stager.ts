/**
 * @module
 * Pre-staging on the device: an assigned pod carrying `rollout.edgeset.dev/upcoming` (the
 * revision its DaemonSet will replace it with, src/protocol/prestage.ts) has that revision
 * prepared while the pod keeps running: the spec is checked at the agent's boundary, its images
 * pulled through its runtime (`Runtime.pullImages`: the engines pull, host processes have nothing
 * to pull), its ConfigMap, Secret and projected volumes written to a staging directory of their
 * own (`<namespace>_<name>.upcoming_<uid>-<revision>` beside the pods' volumes: the data is on
 * the device and writable before the turn). Nothing is started. One revision is staged at a time
 * (a device's link is the bottleneck); a failure is retried after `retryMs`.
 *
 * The state goes up as the pod condition `rollout.edgeset.dev/Staged` on the old pod
 * ({@link Stager.conditions}); it holds no timestamp, so an unchanged state is an unchanged sync.
 *
 * @example
 * const stager = new Stager({ runtime, volumes, config, podFacts, log });
 * stager.onChange(() => agent.prompt());
 * stager.update(assignedPods);
 * stager.conditions() // { "<old pod uid>": { type: "rollout.edgeset.dev/Staged", status: "True", ... } }
 */
import { parseUpcoming, stagedCondition, upcomingAnnotation, type StagingState, type Upcoming } from "../../src/protocol/prestage.ts";
import type { Pod, PodCondition } from "../../src/resources/types.ts";
import { acceptPod, describeRefusal } from "../accept/accept-pod.ts";
import type { Logger } from "../log.ts";
import type { ConfigSource } from "../pods/container-env.ts";
import type { PodFacts } from "../pods/downward-api.ts";
import { podKey } from "../pods/pod-key.ts";
import type { Runtime } from "../runtime/runtime.ts";
import type { VolumeManager } from "../volumes/volume-manager.ts";
import { isProjectedKind } from "../volumes/volume-payload.ts";

export interface StagerOptions {
  runtime: Pick<Runtime, "pullImages">;
  volumes?: Pick<VolumeManager, "setUp" | "tearDown">;
  config: ConfigSource;
  podFacts: () => PodFacts;
  log: Logger;
  now?: () => number;
  /** Before a failed staging is tried again; default 60 s. */
  retryMs?: number;
}

interface Entry {
  revision: string;
  /** The staging volumes' key (VolumeManager). */
  key: string;
  state: StagingState;
  failedAt?: number;
}

export class Stager {
  private readonly options: StagerOptions;
  /** By the uid of the pod that carries the upcoming revision. */
  private readonly entries = new Map<string, Entry>();
  private readonly listeners: Array<() => void> = [];
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(options: StagerOptions) {
    this.options = options;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The node's assigned pods: stage each upcoming revision not staged yet, forget those gone. */
  update(pods: readonly Pod[]): void {
    const seen = new Set<string>();
    const now = (this.options.now ?? Date.now)();
    for (const pod of pods) {
      const uid = pod.metadata.uid;
      const upcoming = parseUpcoming(pod.metadata.annotations?.[upcomingAnnotation]);
      if (!uid || !upcoming || pod.metadata.deletionTimestamp) continue;
      seen.add(uid);
      const entry = this.entries.get(uid);
      const retry = entry?.state.kind === "failed" && now - (entry.failedAt ?? 0) >= (this.options.retryMs ?? 60_000);
      if (entry?.revision === upcoming.revision && !retry) continue;
      if (entry && entry.revision !== upcoming.revision) this.forget(uid, entry);
      const next: Entry = { revision: upcoming.revision, key: stagingKey(pod, upcoming.revision), state: { kind: "staging" } };
      this.entries.set(uid, next);
      this.chain = this.chain.then(() => this.stage(pod, upcoming, next));
      this.emit();
    }
    for (const [uid, entry] of this.entries) if (!seen.has(uid)) this.forget(uid, entry);
  }

  /** The `rollout.edgeset.dev/Staged` condition of each pod carrying an upcoming revision. */
  conditions(): Record<string, PodCondition> {
    const out: Record<string, PodCondition> = {};
    for (const [uid, entry] of this.entries) out[uid] = stagedCondition(entry.revision, entry.state);
    return out;
  }

  /** Resolves once every staging queued so far has finished. */
  idle(): Promise<void> {
    return this.chain;
  }

  close(): void {
    this.closed = true;
  }

  private forget(uid: string, entry: Entry): void {
    this.entries.delete(uid);
    try {
      this.options.volumes?.tearDown(entry.key);
    } catch (error) {
      this.options.log(`pod ${uid}: removing the staged volumes failed: ${(error as Error).message}`);
    }
    this.emit();
  }

  private async stage(pod: Pod, upcoming: Upcoming, entry: Entry): Promise<void> {
    const uid = pod.metadata.uid ?? "";
    const current = () => !this.closed && this.entries.get(uid) === entry;
    if (!current()) return;
    const namespace = pod.metadata.namespace || "default";
    const name = `${pod.metadata.namespace || "default"}/${pod.metadata.name}`;
    try {
      const staged = stagingPod(pod, upcoming);
      const accepted = acceptPod(staged);
      if ("refused" in accepted) throw new Error(`the upcoming revision cannot run here: ${describeRefusal(accepted.refused)}`);
      const spec = accepted.pod.spec;
      const images = (await this.options.runtime.pullImages?.(namespace, spec)) ?? [];
      if (!current()) return;
      const volumes = (spec.volumes ?? []).filter(isProjectedKind);
      if (volumes.length > 0 && this.options.volumes) {
        const result = this.options.volumes.setUp(entry.key, { ...accepted.pod, spec: { ...spec, volumes } }, this.options.config, this.options.podFacts());
        if ("error" in result) throw new Error(result.error);
      }
      entry.state = { kind: "staged", detail: `${count(images.length, "image")} pulled, ${count(volumes.length, "volume")} written` };
      this.options.log(`pod ${name}: revision ${upcoming.revision} staged (${entry.state.detail})`);
    } catch (error) {
      if (!current()) return;
      entry.state = { kind: "failed", message: (error as Error).message };
      entry.failedAt = (this.options.now ?? Date.now)();
      this.options.log(`pod ${name}: staging revision ${upcoming.revision} failed: ${(error as Error).message}`);
    }
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/** The pod the upcoming revision's checks and volumes are made for: the old pod's identity, the new spec. */
function stagingPod(pod: Pod, upcoming: Upcoming): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace || "default", uid: `${pod.metadata.uid}-${upcoming.revision}`, labels: pod.metadata.labels ?? {} },
    spec: { ...upcoming.spec, nodeName: pod.spec.nodeName },
  };
}

function stagingKey(pod: Pod, revision: string): string {
  return podKey({ namespace: pod.metadata.namespace || "default", name: `${pod.metadata.name}.upcoming`, uid: `${pod.metadata.uid}-${revision}` });
}
