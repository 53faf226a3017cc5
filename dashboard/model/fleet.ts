/**
 * @module
 * The fleet overview as pure functions of the listed objects: node states, counts by label, the
 * pods each DaemonSet runs, and "last seen" from the node leases.
 */
import type { DaemonSet, Lease, Node } from "./types.ts";

export type NodeState = "Ready" | "NotReady" | "Unknown";

/** The Ready condition as `kubectl get nodes` prints it: True is Ready, False NotReady, else Unknown. */
export function nodeState(node: Node): NodeState {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  return ready?.status === "True" ? "Ready" : ready?.status === "False" ? "NotReady" : "Unknown";
}

export interface FleetCounts {
  total: number;
  Ready: number;
  NotReady: number;
  Unknown: number;
  /** `spec.unschedulable` (kubectl cordon), whatever the state. */
  cordoned: number;
}

export function countNodes(nodes: readonly Node[]): FleetCounts {
  const counts: FleetCounts = { total: nodes.length, Ready: 0, NotReady: 0, Unknown: 0, cordoned: 0 };
  for (const node of nodes) {
    counts[nodeState(node)]++;
    if (node.spec.unschedulable) counts.cordoned++;
  }
  return counts;
}

export interface LabelGroup {
  value: string;
  total: number;
  ready: number;
}

/** Nodes grouped by the value of one label key (`(none)` without it), the largest group first. */
export function groupByLabel(nodes: readonly Node[], key: string): LabelGroup[] {
  const groups = new Map<string, LabelGroup>();
  for (const node of nodes) {
    const value = node.metadata.labels?.[key] ?? "(none)";
    const group = groups.get(value) ?? { value, total: 0, ready: 0 };
    group.total++;
    if (nodeState(node) === "Ready") group.ready++;
    groups.set(value, group);
  }
  return [...groups.values()].sort((a, b) => b.total - a.total || a.value.localeCompare(b.value));
}

export interface DaemonSetRow {
  namespace: string;
  name: string;
  desired: number;
  current: number;
  ready: number;
  updated: number;
  available: number;
}

export const daemonSetRow = (ds: DaemonSet): DaemonSetRow => ({
  namespace: ds.metadata.namespace ?? "default",
  name: ds.metadata.name,
  desired: ds.status?.desiredNumberScheduled ?? 0,
  current: ds.status?.currentNumberScheduled ?? 0,
  ready: ds.status?.numberReady ?? 0,
  updated: ds.status?.updatedNumberScheduled ?? 0,
  available: ds.status?.numberAvailable ?? 0,
});

/** Each node's last lease renewal in ms (the device's last sync that renewed it). */
export function lastSeenByNode(leases: readonly Lease[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const lease of leases) {
    const at = Date.parse(lease.spec.renewTime ?? "");
    if (!Number.isNaN(at)) seen.set(lease.metadata.name, at);
  }
  return seen;
}

/** "12s ago", "5m ago", "3h ago", "2d ago"; "never" without a time. */
export function ago(at: number | undefined, now: number): string {
  if (at === undefined) return "never";
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}
