/**
 * @module
 * The simulator's stand-in for a workload runtime: it runs nothing, it only remembers which pods a
 * simulated device holds and reports them as the agent's real status assembly would see them:
 * `ContainerCreating` until `readyDelayMs` has passed since the pod arrived, then Running and Ready;
 * a pod whose image is in `failingImages` is in CrashLoopBackOff for good. A deleted or unassigned
 * pod stops at once (the next report lists it as terminated). Pure apart from the map it owns:
 * `now` is passed in.
 *
 * @example
 * const runtime = new StandInRuntime({ readyDelayMs: 500, failingImages: new Set(["bad:2"]) });
 * runtime.converge(assignedPods, Date.now());  // true when something started or stopped
 * buildSyncRequest({ node, assigned: assignedPods, running: runtime.snapshots(Date.now()) });
 */
import type { RuntimePodSnapshot } from "../../agent/runtime/runtime.ts";
import type { Pod } from "../../src/resources/types.ts";

export interface StandInOptions {
  readyDelayMs: number;
  /** Images whose containers never become ready (shared, so a revision can be made to fail fleet-wide). */
  failingImages: ReadonlySet<string>;
}

interface HeldPod {
  pod: Pod;
  startedAt: number;
  readyAt: number;
  failing: boolean;
}

export class StandInRuntime {
  private readonly held = new Map<string, HeldPod>();
  private readonly options: StandInOptions;

  constructor(options: StandInOptions) {
    this.options = options;
  }

  /** Starts assigned pods it does not hold, stops deleted and unassigned ones; true when anything changed. */
  converge(assigned: readonly Pod[], now: number): boolean {
    let changed = false;
    const wanted = new Set<string>();
    for (const pod of assigned) {
      const uid = pod.metadata.uid;
      if (!uid || pod.metadata.deletionTimestamp) continue;
      wanted.add(uid);
      if (this.held.has(uid)) continue;
      const failing = pod.spec.containers.some((c) => c.image !== undefined && this.options.failingImages.has(c.image));
      this.held.set(uid, { pod, startedAt: now, readyAt: now + this.options.readyDelayMs, failing });
      changed = true;
    }
    for (const uid of this.held.keys()) {
      if (!wanted.has(uid)) {
        this.held.delete(uid);
        changed = true;
      }
    }
    return changed;
  }

  /** The earliest moment after `now` at which a pod becomes ready (for a prompt report then). */
  nextReadyAt(now: number): number | undefined {
    let next: number | undefined;
    for (const h of this.held.values()) {
      if (!h.failing && h.readyAt > now && (next === undefined || h.readyAt < next)) next = h.readyAt;
    }
    return next;
  }

  /** Uids of held pods that are Running and Ready at `now`, with the moment they became ready. */
  readyPods(now: number): Map<string, number> {
    const ready = new Map<string, number>();
    for (const [uid, h] of this.held) if (!h.failing && h.readyAt <= now) ready.set(uid, h.readyAt);
    return ready;
  }

  snapshots(now: number): RuntimePodSnapshot[] {
    return [...this.held.entries()].map(([uid, h]) => ({
      uid,
      namespace: h.pod.metadata.namespace ?? "default",
      name: h.pod.metadata.name ?? uid,
      startTime: h.startedAt,
      phase: "active",
      pod: h.pod,
      containers: h.pod.spec.containers.map((c) => {
        if (h.failing) {
          return {
            name: c.name,
            image: c.image,
            restartCount: 1,
            state: { kind: "waiting", reason: "CrashLoopBackOff", message: `back-off restarting failed container ${c.name}` },
            lastTermination: { exitCode: 1, reason: "Error", startedAt: h.startedAt, finishedAt: h.startedAt },
          };
        }
        if (now < h.readyAt) return { name: c.name, image: c.image, restartCount: 0, state: { kind: "waiting", reason: "ContainerCreating" } };
        return { name: c.name, image: c.image, restartCount: 0, state: { kind: "running", startedAt: h.readyAt } };
      }),
    }));
  }
}
