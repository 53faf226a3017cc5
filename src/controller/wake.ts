/**
 * @module
 * Telling controllers that something they care about changed. A poke only records, in the
 * DaemonSet's Durable Object, what changed (`Changed`: the nodes and pods to re-read) and returns;
 * the object runs one pass for a burst of pokes, from its alarm. A poke that cannot say what
 * changed (a DaemonSet written, a namespace relabelled) leaves `changed` out: a full resync.
 */
import type { DaemonSet, Node, Pod } from "../resources/types.ts";
import type { Db } from "../store/db.ts";
import { listObjects } from "../store/objects.ts";
import { controllerOf } from "../store/rows.ts";
import { daemonSetsAffectedByNamespaceChange, daemonSetsAffectedByNodeChange, daemonSetsAffectedByPodChange } from "./affected.ts";

export interface DaemonSetRef {
  namespace: string;
  name: string;
  /** Set when the DaemonSet is gone: the object needs it to clean up what it owned. */
  uid?: string;
  /** How a deleted DaemonSet's pods and revisions go (Kubernetes garbage collection policy). */
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
}

/**
 * What a poke tells the controller changed in its view: these nodes (the Node and the pods bound
 * to it), these pods of its namespace, and whether pods of others that its pod (anti-)affinity
 * judges came or went (`elsewhere`).
 */
export interface Changed {
  nodes?: string[];
  pods?: string[];
  elsewhere?: boolean;
}

export const daemonSetObjectName = (ref: { namespace: string; name: string }) => `${ref.namespace}/${ref.name}`;

/** Pokes one DaemonSet's controller; `changed` undefined asks for a full resync. */
export async function wakeDaemonSet(env: Env, ref: DaemonSetRef, changed?: Changed): Promise<void> {
  await env.DAEMONSET_CONTROLLER.getByName(daemonSetObjectName(ref)).poke(ref, changed);
}

/**
 * Pokes these controllers and waits, at most `timeoutMs`, for their passes to cover the change:
 * what a node's sync does after confirming a pod of theirs gone, so its answer carries the
 * replacement. A slow pass only delays that answer by the timeout; the pass still runs.
 */
export async function wakeDaemonSetsAndWait(env: Env, refs: Iterable<DaemonSetRef>, changed: Changed, timeoutMs: number): Promise<void> {
  const unique = new Map<string, DaemonSetRef>();
  for (const ref of refs) unique.set(daemonSetObjectName(ref), ref);
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  const passes = Promise.all([...unique.values()].map((ref) => env.DAEMONSET_CONTROLLER.getByName(daemonSetObjectName(ref)).pokeAndWait(ref, changed)));
  try {
    await Promise.race([passes.then(() => undefined), timeout]);
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}

export async function wakeDaemonSets(env: Env, refs: Iterable<DaemonSetRef>, changed?: Changed): Promise<void> {
  const unique = new Map<string, DaemonSetRef>();
  for (const ref of refs) unique.set(daemonSetObjectName(ref), ref);
  await Promise.all([...unique.values()].map((ref) => wakeDaemonSet(env, ref, changed)));
}

/** The DaemonSet that controls a pod, if any. */
export function ownerDaemonSet(pod: Pod): DaemonSetRef | undefined {
  const owner = controllerOf(pod);
  return owner?.kind === "DaemonSet" ? { namespace: pod.metadata.namespace ?? "default", name: owner.name } : undefined;
}

/** How a DaemonSet is named to its controller. */
export const daemonSetRefOf = (ds: DaemonSet): DaemonSetRef => ({ namespace: ds.metadata.namespace ?? "default", name: ds.metadata.name ?? "" });

/**
 * Wakes the DaemonSets whose required pod (anti-)affinity these pods can concern: pods that just
 * appeared on nodes (created bound, bound, mirror pods created) or left them (finished, deleted).
 * `except` is the caller's own DaemonSet, which runs again anyway.
 */
export async function wakeForPodChanges(env: Env, db: Db, pods: readonly Pod[], except?: DaemonSetRef): Promise<void> {
  if (pods.length === 0) return;
  const { items } = await listObjects<DaemonSet>(db, "DaemonSet");
  const skip = except && daemonSetObjectName(except);
  await wakeDaemonSets(
    env,
    daemonSetsAffectedByPodChange(items, pods)
      .map(daemonSetRefOf)
      .filter((ref) => daemonSetObjectName(ref) !== skip),
    { elsewhere: true },
  );
}

/** Wakes the DaemonSets whose placement on this node changed, or whose pod (anti-)affinity domain there did. */
export async function wakeForNodeChange(env: Env, db: Db, before: Node | undefined, after: Node | undefined): Promise<void> {
  const { items } = await listObjects<DaemonSet>(db, "DaemonSet");
  const affected = daemonSetsAffectedByNodeChange(items, before, after);
  const name = (after ?? before)?.metadata.name;
  await wakeDaemonSets(env, affected.map(daemonSetRefOf), name ? { nodes: [name] } : undefined);
}

/** Wakes the DaemonSets whose required pod (anti-)affinity selects namespaces by label (a namespace's labels changed). */
export async function wakeForNamespaceChange(env: Env, db: Db): Promise<void> {
  const { items } = await listObjects<DaemonSet>(db, "DaemonSet");
  await wakeDaemonSets(env, daemonSetsAffectedByNamespaceChange(items).map(daemonSetRefOf));
}
