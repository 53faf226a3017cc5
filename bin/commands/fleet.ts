/**
 * @module
 * `edgeset fleet`: the fleet at a glance. Nodes by state (Ready, NotReady, Unknown; cordoned
 * beside), optionally grouped by a label (`--by site`), and every DaemonSet with desired /
 * updated / ready / available and whether its rollout is done. Read page by page through the
 * public API (500 objects a request), with progress on stderr while it reads, when that is a
 * terminal. `--selector` narrows the nodes as `kubectl get nodes -l` does.
 *
 * @example
 * npm run edgeset -- fleet --by site --selector hw=pi4
 */
import type { DaemonSet, Node } from "../../src/resources/types.ts";
import { errorMessage, requestJson } from "../../scripts/lib/http.ts";
import type { Connection } from "../../scripts/lib/kubeconfig.ts";
import { renderTable, type Painter, type Progress } from "./terminal.ts";

export type NodeState = "Ready" | "NotReady" | "Unknown";

/** The Ready condition as `kubectl get nodes` shows it: True = Ready, False = NotReady, else Unknown. */
export function nodeState(node: Node): NodeState {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready")?.status;
  return ready === "True" ? "Ready" : ready === "False" ? "NotReady" : "Unknown";
}

export interface StateCounts {
  total: number;
  Ready: number;
  NotReady: number;
  Unknown: number;
  cordoned: number;
}

export interface DaemonSetRow {
  namespace: string;
  name: string;
  strategy: string;
  desired: number;
  updated: number;
  ready: number;
  available: number;
  /** As `kubectl rollout status` judges it; OnDelete DaemonSets are "OnDelete". */
  rollout: "complete" | "in progress" | "OnDelete";
}

export interface FleetSummary {
  nodes: StateCounts;
  /** Label value ("<none>" when unset) → counts, when grouped by a label. */
  groups?: Map<string, StateCounts>;
  daemonSets: DaemonSetRow[];
}

const emptyCounts = (): StateCounts => ({ total: 0, Ready: 0, NotReady: 0, Unknown: 0, cordoned: 0 });

function add(counts: StateCounts, node: Node): void {
  counts.total++;
  counts[nodeState(node)]++;
  if (node.spec?.unschedulable) counts.cordoned++;
}

export function daemonSetRow(ds: DaemonSet): DaemonSetRow {
  const status = ds.status;
  const strategy = ds.spec.updateStrategy?.type ?? "RollingUpdate";
  const desired = status?.desiredNumberScheduled ?? 0;
  const updated = status?.updatedNumberScheduled ?? 0;
  const available = status?.numberAvailable ?? 0;
  const observed = (status?.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0);
  return {
    namespace: ds.metadata.namespace ?? "default",
    name: ds.metadata.name ?? "",
    strategy,
    desired,
    updated,
    ready: status?.numberReady ?? 0,
    available,
    rollout: strategy !== "RollingUpdate" ? "OnDelete" : observed && updated >= desired && available >= desired ? "complete" : "in progress",
  };
}

export function summarizeFleet(nodes: readonly Node[], daemonSets: readonly DaemonSet[], groupBy?: string): FleetSummary {
  const counts = emptyCounts();
  const groups = groupBy === undefined ? undefined : new Map<string, StateCounts>();
  for (const node of nodes) {
    add(counts, node);
    if (groups) {
      const value = node.metadata.labels?.[groupBy!] ?? "<none>";
      if (!groups.has(value)) groups.set(value, emptyCounts());
      add(groups.get(value)!, node);
    }
  }
  const rows = daemonSets.map(daemonSetRow).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return { nodes: counts, ...(groups ? { groups: new Map([...groups].sort(([a], [b]) => a.localeCompare(b))) } : {}), daemonSets: rows };
}

const count = (n: number, paint: (t: string) => string) => (n ? paint(String(n)) : String(n));

export function renderFleet(summary: FleetSummary, paint: Painter, groupBy?: string): string {
  const stateRow = (label: string, c: StateCounts) => [label, String(c.total), count(c.Ready, paint.green), count(c.NotReady, paint.red), count(c.Unknown, paint.yellow), count(c.cordoned, paint.yellow)];
  const header = (first: string) => [first, "TOTAL", "READY", "NOT READY", "UNKNOWN", "CORDONED"].map(paint.bold);
  const nodeRows = summary.groups ? [header(groupBy!.toUpperCase()), ...[...summary.groups].map(([value, c]) => stateRow(value, c)), stateRow("(all)", summary.nodes)] : [header("NODES"), stateRow("all", summary.nodes)];
  const rollout = (r: DaemonSetRow) => (r.rollout === "complete" ? paint.green(r.rollout) : r.rollout === "in progress" ? paint.yellow(r.rollout) : r.rollout);
  const behind = (n: number, r: DaemonSetRow) => (n < r.desired ? paint.yellow(String(n)) : String(n));
  const dsRows = [
    ["NAMESPACE", "DAEMONSET", "DESIRED", "UPDATED", "READY", "AVAILABLE", "ROLLOUT"].map(paint.bold),
    ...summary.daemonSets.map((r) => [r.namespace, r.name, String(r.desired), behind(r.updated, r), behind(r.ready, r), behind(r.available, r), rollout(r)]),
  ];
  return `${renderTable(nodeRows)}\n${summary.daemonSets.length ? renderTable(dsRows) : "No DaemonSets.\n"}`;
}

/** Every item of a list, page by page (`limit` + `continue`), telling `progress` how far it got. */
export async function listAll<T>(connection: Connection, path: string, query: Record<string, string>, what: string, progress: Progress): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined;
  do {
    const params = new URLSearchParams({ ...query, limit: "500", ...(next ? { continue: next } : {}) });
    const result = await requestJson(connection, "GET", `${path}?${params}`, undefined, { timeoutMs: 60_000 });
    if (result.status !== 200) throw new Error(errorMessage(result));
    const page = JSON.parse(result.body) as { items: T[]; metadata?: { continue?: string } };
    items.push(...page.items);
    next = page.metadata?.continue || undefined;
    if (next) progress.update(`reading ${what}: ${items.length}…`);
  } while (next);
  return items;
}

export async function fleet(connection: Connection, options: { selector?: string; by?: string }, paint: Painter, progress: Progress): Promise<string> {
  try {
    const nodes = await listAll<Node>(connection, "/api/v1/nodes", options.selector ? { labelSelector: options.selector } : {}, "nodes", progress);
    const daemonSets = await listAll<DaemonSet>(connection, "/apis/apps/v1/daemonsets", {}, "DaemonSets", progress);
    return renderFleet(summarizeFleet(nodes, daemonSets, options.by), paint, options.by);
  } finally {
    progress.done();
  }
}
