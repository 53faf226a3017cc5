/**
 * @module
 * A simulated flaky fleet for the rollout rule tests: a {@link World} whose nodes can be offline
 * (the device confirms nothing and its pods are not Ready), whose new revision can be bad (its
 * pods crash-loop), and whose devices can defer updates. {@link FleetSim.settle} runs passes
 * until nothing happens and samples the number of unavailable desired nodes after every pass.
 *
 * @example
 * const sim = new FleetSim(world);
 * sim.setOffline("node-3", true);
 * sim.settle(); // sim.maxUnavailableSeen
 */
import type { DaemonSet, Node, Pod } from "../../resources/types.ts";
import { parseUpcoming, stagedCondition, upcomingAnnotation } from "../../protocol/prestage.ts";
import { isPodAvailable } from "./pod-util.ts";
import { addNodes, iso, newDaemonSet, newWorld, type World } from "./test-fixtures.ts";

/** A fleet of `n` nodes rolled out on the fixture's image, with the settings applied. */
export function fleet(n: number, ...mutate: ((ds: DaemonSet) => void)[]): FleetSim {
  const world = newWorld(newDaemonSet("foo", (ds) => mutate.forEach((m) => m(ds))), addNodes(0, n));
  const sim = new FleetSim(world);
  sim.settle();
  return sim;
}

/** `kubectl annotate` of `rollout.edgeset.dev/<key>` settings (null removes one). */
export const annotate = (sim: FleetSim, settings: Record<string, string | null>) =>
  sim.world.editSpec((ds) => {
    const annotations = { ...ds.metadata.annotations };
    for (const [k, v] of Object.entries(settings)) {
      if (v === null) delete annotations[`rollout.edgeset.dev/${k}`];
      else annotations[`rollout.edgeset.dev/${k}`] = v;
    }
    ds.metadata.annotations = annotations;
  });

export class FleetSim {
  readonly offline = new Set<string>();
  /** Image whose pods crash-loop once started. */
  badImage: string | undefined;
  /** Online devices stage the upcoming revision their pod carries (pre-staging), except these nodes, whose staging fails. */
  staging: { on: boolean; failOn: Set<string> } = { on: false, failOn: new Set() };
  /** Largest number of online desired nodes without an available pod seen after a pass. */
  maxUnavailableSeen = 0;
  passes = 0;
  /** Whether the devices changed anything after the last pass. */
  acted = false;

  constructor(readonly world: World) {}

  setOffline(name: string, offline: boolean): void {
    if (offline) this.offline.add(name);
    else this.offline.delete(name);
    const node = this.world.nodes.find((n) => n.metadata.name === name)!;
    node.status = { conditions: [{ type: "Ready", status: offline ? "Unknown" : "True" }] };
    // The node lifecycle's unreachable taints: NoSchedule makes the node not desired (its pod may continue).
    const key = "node.kubernetes.io/unreachable";
    const kept = (node.spec.taints ?? []).filter((t) => t.key !== key);
    node.spec = { ...node.spec, taints: offline ? [...kept, { key, effect: "NoSchedule" }, { key, effect: "NoExecute" }] : kept };
    // The node lifecycle marks a silent node's pods not ready.
    if (offline) for (const pod of this.podsOn(name)) setReady(pod, false, this.world.now);
  }

  defer(name: string, untilMs: number | undefined): void {
    const node = this.world.nodes.find((n) => n.metadata.name === name)!;
    const conditions = (node.status?.conditions ?? []).filter((c) => c.type !== "UpdateDeferred");
    if (untilMs !== undefined) conditions.push({ type: "UpdateDeferred", status: "True", reason: "DeferredOnDevice", message: `until ${iso(untilMs)}: test` });
    node.status = { ...node.status, conditions };
  }

  podsOn(name: string): Pod[] {
    return this.world.pods.filter((p) => p.spec.nodeName === name);
  }

  /** One pass, then the devices act: online ones confirm deletes and start (or crash) new pods. */
  step(): ReturnType<World["sync"]> {
    const plan = this.world.sync();
    this.world.apply(plan, { confirmDeletes: false });
    this.passes++;
    this.acted = this.devicesAct();
    this.sample();
    return plan;
  }

  /** Returns whether anything changed. */
  devicesAct(): boolean {
    const w = this.world;
    const before = JSON.stringify(w.pods);
    w.pods = w.pods.filter((p) => !(p.metadata.deletionTimestamp && p.spec.nodeName && !this.offline.has(p.spec.nodeName)));
    for (const pod of w.pods) {
      if (!pod.spec.nodeName || this.offline.has(pod.spec.nodeName) || pod.metadata.deletionTimestamp) continue;
      const bad = pod.spec.containers[0]?.image === this.badImage;
      if (bad) crashLoop(pod);
      else if (pod.status?.conditions?.find((c) => c.type === "Ready")?.status !== "True") setReady(pod, true, w.now);
      if (this.staging.on) stageUpcoming(pod, this.staging.failOn.has(pod.spec.nodeName));
    }
    return JSON.stringify(w.pods) !== before;
  }

  /** Runs passes until one plans nothing (at most `limit`). */
  settle(limit = 60): void {
    for (let i = 0; i < limit; i++) {
      const plan = this.step();
      if (plan.createPods.length + plan.deletePods.length === 0 && !plan.rollback && !this.acted) return;
    }
    throw new Error("fleet did not settle");
  }

  sample(): void {
    const w = this.world;
    let unavailable = 0;
    for (const node of w.nodes as Node[]) {
      const name = node.metadata.name ?? "";
      if (this.offline.has(name)) continue;
      const live = this.podsOn(name).filter((p) => !p.metadata.deletionTimestamp);
      if (!live.some((p) => isPodAvailable(p, w.ds.spec.minReadySeconds ?? 0, w.now))) unavailable++;
    }
    this.maxUnavailableSeen = Math.max(this.maxUnavailableSeen, unavailable);
  }

  imagesOn(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const pod of this.world.pods) if (pod.spec.nodeName && !pod.metadata.deletionTimestamp) out[pod.spec.nodeName] = pod.spec.containers[0]?.image ?? "";
    return out;
  }
}

function stageUpcoming(pod: Pod, fail: boolean): void {
  const upcoming = parseUpcoming(pod.metadata.annotations?.[upcomingAnnotation]);
  if (!upcoming) return;
  const condition = stagedCondition(upcoming.revision, fail ? { kind: "failed", message: "pull failed" } : { kind: "staged", detail: "1 image pulled" });
  const others = (pod.status?.conditions ?? []).filter((c) => c.type !== condition.type);
  pod.status = { ...pod.status, conditions: [...others, condition] };
}

function setReady(pod: Pod, ready: boolean, now: number): void {
  pod.status = { ...pod.status, phase: "Running", conditions: [{ type: "Ready", status: ready ? "True" : "False", lastTransitionTime: iso(now) }] };
}

function crashLoop(pod: Pod): void {
  pod.status = {
    phase: "Running",
    conditions: [{ type: "Ready", status: "False" }],
    containerStatuses: [{ name: pod.spec.containers[0]?.name ?? "c", ready: false, restartCount: 2, image: "", imageID: "", state: { waiting: { reason: "CrashLoopBackOff" } } }],
  };
}
