/**
 * @module
 * Namespace deletion, as Kubernetes' namespace controller does it (pkg/controller/namespace/deletion):
 * `DELETE` only marks the namespace (deletionTimestamp, `status.phase: Terminating`, and creates in
 * it are refused); then its content is removed, pods gracefully on their devices, and the namespace
 * itself goes once nothing is left in it. `planNamespaceDeletion` decides one step from what is
 * stored; `finalizeNamespace` loads, plans and commits, and is safe to run any number of times
 * (after the DELETE, on the node lifecycle alarm while a namespace terminates).
 *
 * @example
 * planNamespaceDeletion(ns, { pods: [], others: [] }, new Set(), now) // { writes: [delete ns], done: true, … }
 */
import { rfc3339 } from "../resources/meta.ts";
import { resources } from "../resources/registry.ts";
import type { KubeObject, Namespace, Pod } from "../resources/types.ts";
import type { Db } from "../store/db.ts";
import { existingNames, getObject, listObjects } from "../store/objects.ts";
import { refOf } from "../store/rows.ts";
import { commit, PreconditionFailed, type Write } from "../store/writes.ts";
import { ownerDaemonSet, wakeDaemonSets, type DaemonSetRef } from "./wake.ts";
import { defaultTerminationGracePeriodSeconds } from "../protocol/pod-defaults.ts";

/** Writes per step: a namespace of many thousand objects is emptied over several steps. */
export const maxWritesPerStep = 200;

export interface NamespaceContents {
  pods: readonly Pod[];
  /** Every other namespaced object in it (DaemonSets, revisions, ConfigMaps, Secrets, Events). */
  others: readonly KubeObject[];
}

export interface NamespaceStep {
  writes: Write[];
  /** Controllers of the DaemonSets deleted, so they let go of their pods and their own state. */
  wakes: DaemonSetRef[];
  /** Pods still waiting for their device to confirm they stopped. */
  waiting: number;
  /** The namespace itself is deleted by this step. */
  done: boolean;
}

/** One step of emptying `ns`; `nodes` are the names of the nodes that exist. */
export function planNamespaceDeletion(ns: Namespace, contents: NamespaceContents, nodes: ReadonlySet<string>, now: number, limit = maxWritesPerStep): NamespaceStep {
  const writes: Write[] = [];
  const wakes: DaemonSetRef[] = [];
  let waiting = 0;
  let left = 0;
  for (const object of contents.others) {
    if (writes.length >= limit) {
      left++;
      continue;
    }
    writes.push({ op: "delete", ref: refOf(object), uid: object.metadata.uid, mustExist: false });
    if (object.kind === "DaemonSet") wakes.push({ namespace: object.metadata.namespace ?? "", name: object.metadata.name ?? "", uid: object.metadata.uid, propagationPolicy: "Background" });
  }
  for (const pod of contents.pods) {
    const device = pod.spec.nodeName && nodes.has(pod.spec.nodeName) && !isFinished(pod);
    if (device && pod.metadata.deletionTimestamp) {
      waiting++;
      continue;
    }
    if (writes.length >= limit) {
      left++;
      continue;
    }
    if (device) {
      // As `kubectl delete pod`: the device stops it within its grace period and confirms.
      const grace = pod.spec.terminationGracePeriodSeconds ?? defaultTerminationGracePeriodSeconds;
      const marked: Pod = { ...pod, metadata: { ...pod.metadata, deletionTimestamp: rfc3339(now + grace * 1000), deletionGracePeriodSeconds: grace } };
      writes.push({ op: "replace", object: marked, expectedVersion: Number(pod.metadata.resourceVersion) });
      waiting++;
    } else {
      writes.push({ op: "delete", ref: refOf(pod), uid: pod.metadata.uid, mustExist: false });
    }
    const owner = ownerDaemonSet(pod);
    if (owner && !wakes.some((w) => w.namespace === owner.namespace && w.name === owner.name)) wakes.push(owner);
  }
  const done = waiting === 0 && left === 0;
  if (done) writes.push({ op: "delete", ref: { kind: "Namespace", namespace: "", name: ns.metadata.name ?? "" }, uid: ns.metadata.uid, mustExist: false });
  return { writes, wakes, waiting, done };
}

/** A pod that has finished holds nothing on its device: it can go at once. */
const isFinished = (pod: Pod) => pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

/** Namespaced kinds a namespace holds, from the registry (Pods apart). */
const contentKinds = [...new Set(Object.values(resources).filter((r) => r.namespaced && r.kind !== "Pod").map((r) => r.kind))];

/**
 * Runs steps for the terminating namespace `name` until it is gone, a pod waits for its device, or
 * `maxSteps` ran. Returns whether the namespace still terminates (someone must come back).
 */
export async function finalizeNamespace(env: Env, db: Db, name: string, now: number, maxSteps = 5): Promise<boolean> {
  for (let step = 0; step < maxSteps; step++) {
    const ns = await getObject<Namespace>(db, { kind: "Namespace", namespace: "", name });
    if (!ns?.metadata.deletionTimestamp) return false;
    const [pods, ...others] = await Promise.all([
      listObjects<Pod>(db, "Pod", { namespace: name }),
      ...contentKinds.map((kind) => listObjects<KubeObject>(db, kind, { namespace: name })),
    ]);
    // Only the nodes these pods are bound to are looked up, not the fleet.
    const nodes = await existingNames(db, "Node", pods.items.flatMap((pod) => (pod.spec.nodeName && !isFinished(pod) ? [pod.spec.nodeName] : [])));
    const plan = planNamespaceDeletion(ns, { pods: pods.items, others: others.flatMap((page) => page.items) }, nodes, now);
    try {
      if (plan.writes.length) await commit(db, plan.writes, now);
    } catch (error) {
      if (!(error instanceof PreconditionFailed)) throw error;
      continue; // a pod changed meanwhile: plan again from what is stored
    }
    await wakeDaemonSets(env, plan.wakes);
    if (plan.done) return false;
    if (plan.writes.length === 0) return true; // only pods waiting for their devices
  }
  return true;
}

/** Names of the namespaces being deleted (few: the list of namespaces is small). */
export async function terminatingNamespaces(db: Db): Promise<string[]> {
  const { items } = await listObjects<Namespace>(db, "Namespace");
  return items.filter((ns) => ns.metadata.deletionTimestamp).map((ns) => ns.metadata.name ?? "");
}
