/**
 * @module
 * Builders for planner tests, after daemon_controller_test.go (`newDaemonSet`, `newNode`,
 * `addNodes`, `newPod`, `markPodsReady`), plus a tiny in-memory world that applies a plan the way
 * the Durable Object shell would, so tests can drive several passes.
 *
 * @example
 * const world = newWorld(newDaemonSet("foo"), addNodes(0, 5));
 * const plan = world.sync();   // c5 d0
 * world.apply(plan);           // pods created, named foo-1 ... foo-5
 */

import { mayPlacePods, placesPods } from "./index.ts";
import type { ControllerRevision, DaemonSet, Labels, Node, Pod, Taint } from "../../resources/types.ts";
import { wellKnown } from "../../resources/types.ts";
import { defaultPlannerDeps } from "./default-deps.ts";
import { computeTemplateHash } from "./hash.ts";
import { syncDaemonSet } from "./sync.ts";
import type { Plan, PlannerDeps, PlannerInput } from "./types.ts";

export const simpleDaemonSetLabel: Labels = { name: "simple-daemon", type: "production" };
export const simpleDaemonSetLabel2: Labels = { name: "simple-daemon", type: "test" };
export const simpleNodeLabel: Labels = { color: "blue", speed: "fast" };
export const T0 = Date.parse("2024-01-01T00:00:00Z");
export const iso = (ms: number) => new Date(ms).toISOString();
export const seconds = (s: number) => T0 + s * 1000;

export function newDaemonSet(name = "foo", mutate?: (ds: DaemonSet) => void): DaemonSet {
  const ds: DaemonSet = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: {
      name,
      namespace: "default",
      uid: `uid-${name}`,
      generation: 1,
      annotations: { [wellKnown.templateGenerationAnnotation]: "1" },
    },
    spec: {
      selector: { matchLabels: { ...simpleDaemonSetLabel } },
      template: {
        metadata: { labels: { ...simpleDaemonSetLabel } },
        spec: { containers: [{ name: "foo", image: "foo/bar" }] },
      },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      minReadySeconds: 0,
      revisionHistoryLimit: 10,
    },
  };
  mutate?.(ds);
  return ds;
}

export function newNode(name: string, labels: Labels = {}, taints?: Taint[]): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, uid: `uid-${name}`, labels: { ...labels } },
    spec: taints ? { taints } : {},
    status: { conditions: [{ type: "Ready", status: "True" }] },
  };
}

export function addNodes(start: number, count: number, labels: Labels = {}): Node[] {
  return Array.from({ length: count }, (_, i) => newNode(`node-${start + i}`, labels));
}

export interface PodOptions {
  /** Ready condition: true (default, since long ago), false, or a time Ready since (ms). */
  ready?: boolean | number;
  phase?: "Pending" | "Running" | "Succeeded" | "Failed";
  deleting?: boolean;
  created?: number;
  /** controller-revision-hash label; defaults to the ds's current hash; null for none. */
  hash?: string | null;
  bound?: boolean;
}

/** A daemon pod on `nodeName`; owned by `ds` (null: an orphan built from the default template). */
export function newPod(name: string, nodeName: string, labels: Labels, ds: DaemonSet | null, opts: PodOptions = {}): Pod {
  const hash = opts.hash === undefined && ds ? computeTemplateHash(ds.spec.template, ds.status?.collisionCount) : opts.hash;
  const podLabels: Labels = { ...labels, ...(hash ? { [wellKnown.controllerRevisionHash]: hash } : {}) };
  const ready = opts.ready ?? true;
  const bound = opts.bound ?? true;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "default",
      uid: `uid-${name}`,
      labels: podLabels,
      creationTimestamp: iso(opts.created ?? T0 - 3_600_000),
      ...(opts.deleting ? { deletionTimestamp: iso(T0) } : {}),
      ...(ds ? { ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: ds.metadata.name!, uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: {
      containers: [{ name: "foo", image: "foo/bar" }],
      ...(bound
        ? { nodeName }
        : {
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] }],
                },
              },
            },
          }),
    },
    status: {
      phase: opts.phase ?? "Running",
      conditions: [
        {
          type: "Ready",
          status: ready === false ? "False" : "True",
          lastTransitionTime: iso(typeof ready === "number" ? ready : T0 - 3_600_000),
        },
      ],
    },
  };
}

/** `addPods`: `count` pods named `<node>-<prefix><i>` on a node. */
export function addPods(nodeName: string, labels: Labels, ds: DaemonSet | null, count: number, opts: PodOptions = {}, prefix = ""): Pod[] {
  return Array.from({ length: count }, (_, i) => newPod(`${nodeName}-${prefix}${i}`, nodeName, labels, ds, opts));
}

export function counts(plan: Plan): { c: number; d: number } {
  return { c: plan.createPods.length, d: plan.deletePods.length };
}

export function createdOn(plan: Plan): string[] {
  return plan.createPods.map((p) => p.spec.nodeName ?? "").sort();
}

export function deletedNames(plan: Plan): string[] {
  return plan.deletePods.map((p) => p.name).sort();
}

/** Sets Ready=True since `at` on pods that are not Ready and not terminating. */
export function markPodsReady(pods: Pod[], at: number, filter: (pod: Pod) => boolean = () => true): void {
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp || !filter(pod)) continue;
    const ready = pod.status?.conditions?.find((c) => c.type === "Ready");
    if (ready?.status === "True") continue;
    pod.status = { ...(pod.status ?? {}), phase: "Running", conditions: [{ type: "Ready", status: "True", lastTransitionTime: iso(at) }] };
  }
}

export interface ApplyOptions {
  /** Remove deleted pods at once (the device confirmed); otherwise they stay, terminating. */
  confirmDeletes?: boolean;
}

/** The state a shell keeps for one DaemonSet, and the shell's side of a pass. */
export class World {
  ds: DaemonSet;
  nodes: Node[];
  pods: Pod[];
  revisions: ControllerRevision[] = [];
  backoff: Record<string, number> = {};
  /** The shell's rollout record (plan.rollout), handed back on the next pass. */
  rollout: Plan["rollout"];
  now = T0;
  deps: PlannerDeps = defaultPlannerDeps;
  #serial = 0;

  constructor(ds: DaemonSet, nodes: Node[], pods: Pod[] = []) {
    this.ds = ds;
    this.nodes = nodes;
    this.pods = pods;
  }

  input(extra: Partial<PlannerInput> = {}): PlannerInput {
    return {
      ds: this.ds,
      nodes: this.nodes,
      pods: this.pods,
      revisions: this.revisions,
      now: this.now,
      failedPodBackoff: this.backoff,
      ...(this.rollout ? { rollout: this.rollout } : {}),
      ...extra,
    };
  }

  /** One pass; every planner test also checks that `mayPlacePods` foresaw each placement. */
  sync(extra: Partial<PlannerInput> = {}): Plan {
    const input = this.input(extra);
    const plan = syncDaemonSet(input, this.deps);
    if (placesPods(plan) && !mayPlacePods(input, this.deps)) throw new Error("mayPlacePods said no pod could be placed, but the pass placed one");
    return plan;
  }

  /** Sync, apply, and return the plan. */
  step(opts: ApplyOptions = {}): Plan {
    const plan = this.sync();
    this.apply(plan, opts);
    return plan;
  }

  apply(plan: Plan, opts: ApplyOptions = {}): void {
    const confirm = opts.confirmDeletes ?? true;
    const deleted = new Set(plan.deletePods.map((d) => d.uid));
    // An unbound pod runs nowhere: it goes at once.
    const gone = (p: Pod) => deleted.has(p.metadata.uid ?? "") && (confirm || !p.spec.nodeName);
    this.pods = this.pods
      .filter((p) => !gone(p))
      .map((p) => (deleted.has(p.metadata.uid ?? "") ? { ...p, metadata: { ...p.metadata, deletionTimestamp: iso(this.now) } } : p));
    for (const binding of plan.bindPods) {
      const pod = this.pods.find((p) => p.metadata.uid === binding.uid);
      if (!pod) continue;
      pod.spec = { ...pod.spec, nodeName: binding.nodeName };
      pod.status = { ...pod.status, conditions: [...(pod.status?.conditions ?? []).filter((c) => c.type !== "PodScheduled"), { type: "PodScheduled", status: "True" }] };
    }
    for (const pending of plan.unschedulablePods) {
      const pod = this.pods.find((p) => p.metadata.uid === pending.uid);
      if (pod) pod.status = { ...pod.status, conditions: [pending.condition, ...(pod.status?.conditions ?? []).filter((c) => c.type !== "PodScheduled")] };
    }
    for (const patch of plan.patchPods) {
      const pod = this.pods.find((p) => p.metadata.uid === patch.uid);
      if (!pod) continue;
      if (patch.labels) {
        const labels = { ...(pod.metadata.labels ?? {}) };
        for (const [k, v] of Object.entries(patch.labels)) {
          if (v === null) delete labels[k];
          else labels[k] = v;
        }
        pod.metadata.labels = labels;
      }
      if (patch.ownerReferences !== undefined) {
        if (patch.ownerReferences === null) delete pod.metadata.ownerReferences;
        else pod.metadata.ownerReferences = patch.ownerReferences;
      }
      if (patch.upcoming) {
        const annotations = { ...(pod.metadata.annotations ?? {}) };
        if (patch.upcoming.value === null) delete annotations["rollout.edgeset.dev/upcoming"];
        else annotations["rollout.edgeset.dev/upcoming"] = patch.upcoming.value;
        pod.metadata.annotations = annotations;
      }
    }
    for (const created of plan.createPods) {
      this.#serial++;
      const pod = structuredClone(created);
      pod.metadata.name = `${created.metadata.generateName}${this.#serial}`;
      pod.metadata.uid = `uid-${pod.metadata.name}`;
      pod.metadata.creationTimestamp = iso(this.now + this.#serial);
      this.pods.push(pod);
    }
    this.revisions = this.revisions.filter((r) => !plan.deleteRevisions.includes(r.metadata.name ?? ""));
    for (const update of plan.updateRevisions) {
      const rev = this.revisions.find((r) => r.metadata.name === update.name);
      if (!rev) continue;
      if (update.revision !== undefined) rev.revision = update.revision;
      if (update.labels) rev.metadata.labels = update.labels;
      if (update.ownerReferences) rev.metadata.ownerReferences = update.ownerReferences;
    }
    this.revisions.push(...plan.createRevisions.map((r) => structuredClone(r)));
    if (plan.status) this.ds = { ...this.ds, status: plan.status };
    if (plan.collisionCount !== undefined) {
      this.ds = { ...this.ds, status: { ...(this.ds.status ?? emptyStatus), collisionCount: plan.collisionCount } };
    }
    this.backoff = plan.failedPodBackoff;
    this.rollout = plan.rollout;
    if (plan.rolloutStatusAnnotation !== undefined) {
      const annotations = { ...(this.ds.metadata.annotations ?? {}) };
      if (plan.rolloutStatusAnnotation === null) delete annotations["rollout.edgeset.dev/status"];
      else annotations["rollout.edgeset.dev/status"] = plan.rolloutStatusAnnotation;
      this.ds = { ...this.ds, metadata: { ...this.ds.metadata, annotations } };
    }
    if (plan.rollback) {
      const { template, changeCause } = plan.rollback;
      this.editTemplate((ds) => {
        ds.spec.template = structuredClone(template);
        if (changeCause) ds.metadata.annotations = { ...ds.metadata.annotations, "kubernetes.io/change-cause": changeCause };
      });
    }
  }

  /** A template edit as the API server records it: generation and template generation bump. */
  editTemplate(mutate: (ds: DaemonSet) => void): void {
    const ds = structuredClone(this.ds);
    mutate(ds);
    ds.metadata.generation = (ds.metadata.generation ?? 1) + 1;
    const gen = Number(ds.metadata.annotations?.[wellKnown.templateGenerationAnnotation] ?? "1") + 1;
    ds.metadata.annotations = { ...(ds.metadata.annotations ?? {}), [wellKnown.templateGenerationAnnotation]: String(gen) };
    this.ds = ds;
  }

  /** A spec edit that leaves the template alone (generation bumps, template generation does not). */
  editSpec(mutate: (ds: DaemonSet) => void): void {
    const ds = structuredClone(this.ds);
    mutate(ds);
    ds.metadata.generation = (ds.metadata.generation ?? 1) + 1;
    this.ds = ds;
  }

  markReady(filter?: (pod: Pod) => boolean): void {
    markPodsReady(this.pods, this.now, filter);
  }

  livePods(): Pod[] {
    return this.pods.filter((p) => !p.metadata.deletionTimestamp);
  }
}

const emptyStatus = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };

export function newWorld(ds: DaemonSet, nodes: Node[], pods: Pod[] = []): World {
  return new World(ds, nodes, pods);
}
