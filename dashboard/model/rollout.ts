/**
 * @module
 * A DaemonSet's rollout as pure functions: the progress bar, the grid of its pods by revision
 * and readiness, the revision history, and the patches kubectl sends to roll back and restart.
 */
import type { ControllerRevision, DaemonSet, Pod } from "./types.ts";

/** Label the controller puts on each pod and revision (Kubernetes' DefaultDaemonSetUniqueLabelKey). */
export const revisionHashLabel = "controller-revision-hash";
const changeCauseAnnotation = "kubernetes.io/change-cause";

export interface RolloutBar {
  desired: number;
  updated: number;
  ready: number;
  available: number;
  /** The controller has seen the newest spec and every desired pod is updated and available. */
  complete: boolean;
}

export function rolloutBar(ds: DaemonSet): RolloutBar {
  const s = ds.status ?? {};
  const desired = s.desiredNumberScheduled ?? 0;
  const updated = s.updatedNumberScheduled ?? 0;
  const available = s.numberAvailable ?? 0;
  const observed = (s.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0);
  return { desired, updated, ready: s.numberReady ?? 0, available, complete: observed && updated === desired && available === desired };
}

/** A share of desired in percent, 0 when nothing is desired. */
export const percentOf = (part: number, desired: number) => (desired > 0 ? Math.min(100, Math.round((part / desired) * 100)) : 0);

/** Pods the DaemonSet controls (its controller owner reference). */
export const ownedPods = (ds: DaemonSet, pods: readonly Pod[]): Pod[] =>
  pods.filter((p) => p.metadata.ownerReferences?.some((o) => o.controller && o.kind === "DaemonSet" && (o.uid === ds.metadata.uid || o.name === ds.metadata.name)));

export const ownedRevisions = (ds: DaemonSet, revisions: readonly ControllerRevision[]): ControllerRevision[] =>
  revisions
    .filter((r) => r.metadata.ownerReferences?.some((o) => o.kind === "DaemonSet" && (o.uid === ds.metadata.uid || o.name === ds.metadata.name)))
    .sort((a, b) => b.revision - a.revision);

export const isPodReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

export interface GridCell {
  node: string;
  pod: string;
  /** The revision number the pod runs (0 when its hash matches no known revision). */
  revision: number;
  current: boolean;
  ready: boolean;
}

/** One cell per pod, by node name; `current` is the newest revision's pods. */
export function rolloutGrid(pods: readonly Pod[], revisions: readonly ControllerRevision[]): GridCell[] {
  const byHash = new Map(revisions.map((r) => [r.metadata.labels?.[revisionHashLabel] ?? r.metadata.name, r.revision]));
  const newest = revisions.reduce((max, r) => Math.max(max, r.revision), 0);
  return pods
    .map((pod) => {
      const revision = byHash.get(pod.metadata.labels?.[revisionHashLabel] ?? "") ?? 0;
      return { node: pod.spec.nodeName ?? "", pod: pod.metadata.name, revision, current: revision === newest && newest > 0, ready: isPodReady(pod) };
    })
    // Node names are DNS names: code-point order is their order, and 10,000 compare fast.
    .sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}

export interface GridTally {
  revision: number;
  current: boolean;
  ready: number;
  notReady: number;
}

/** The grid's legend: pods per revision, ready and not, newest revision first. */
export function tallyGrid(cells: readonly GridCell[]): GridTally[] {
  const byRevision = new Map<number, GridTally>();
  for (const c of cells) {
    const t = byRevision.get(c.revision) ?? { revision: c.revision, current: c.current, ready: 0, notReady: 0 };
    if (c.ready) t.ready++;
    else t.notReady++;
    byRevision.set(c.revision, t);
  }
  return [...byRevision.values()].sort((a, b) => b.revision - a.revision);
}

export interface HistoryEntry {
  revision: number;
  name: string;
  changeCause: string;
  current: boolean;
  created?: string;
}

/** `kubectl rollout history`: newest first, with each revision's change cause. */
export const revisionHistory = (revisions: readonly ControllerRevision[]): HistoryEntry[] => {
  const newest = revisions.reduce((max, r) => Math.max(max, r.revision), 0);
  return [...revisions]
    .sort((a, b) => b.revision - a.revision)
    .map((r) => ({ revision: r.revision, name: r.metadata.name, changeCause: r.metadata.annotations?.[changeCauseAnnotation] ?? "", current: r.revision === newest, created: r.metadata.creationTimestamp }));
};

/**
 * What `kubectl rollout undo --to-revision` sends for a DaemonSet (DaemonSetRollbacker): the
 * revision's data, a strategic merge patch of the template, applied to the DaemonSet.
 */
export function rollbackPatch(revision: ControllerRevision): string {
  if (revision.data === undefined || revision.data === null) throw new Error(`revision ${revision.revision} carries no template`);
  return JSON.stringify(revision.data);
}

/** What `kubectl rollout restart` sends: a new restartedAt annotation on the template. */
export const restartPatch = (now: Date) => JSON.stringify({ spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": now.toISOString() } } } } });
