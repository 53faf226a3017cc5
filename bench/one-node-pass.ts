/**
 * The CPU cost of a DaemonSet controller pass triggered by one node's change, at 1,000 / 10,000 /
 * 50,000 nodes (part of `npm run bench`, BENCH_PARTS=one-node-pass; alone:
 * `npx node bench/one-node-pass.ts`). Runs the code the Durable Object runs between its reads and
 * its outbox write — the view's delta (daemonset-view.ts), the pass over the changed nodes
 * (planner/local-pass.ts) and the running counts' update — on a settled fleet whose DaemonSet runs
 * on every node, one node's label toggled per pass (so its pod is deleted, then recreated).
 * Measured here, in Node, because inside workerd `performance.now()` only moves on I/O. The full
 * pass over the same fleet is measured beside it as the baseline, and so is the one-off count of
 * the view that the first local pass after a full one makes.
 *
 * The storage side (D1 statements and rows per one-node pass, equal at 200 and 2,000 nodes) is
 * asserted by test/worker/controller-pass-cost.test.ts.
 *
 * Options: BENCH_PASS_SIZES (default 1000,10000,50000), BENCH_PASS_ROUNDS (default 200).
 */
import { DaemonSetView } from "../src/controller/daemonset-view.ts";
import { defaultPlannerDeps, planDaemonSet, type PlannerInput } from "../src/controller/planner/index.ts";
import { countFleet, planNodeChanges } from "../src/controller/planner/local-pass.ts";
import { addNodes, iso, newDaemonSet, T0 } from "../src/controller/planner/test-fixtures.ts";
import type { DaemonSet, Node, Pod } from "../src/resources/types.ts";

const sizes = (process.env.BENCH_PASS_SIZES ?? "1000,10000,50000").split(",").map(Number);
const rounds = Number(process.env.BENCH_PASS_ROUNDS ?? 200);

export interface OnePassRow {
  nodes: number;
  /** Median CPU ms of one pass over the changed node (view delta + plan + counts). */
  localMs: number;
  /** 95th percentile of the same. */
  localP95Ms: number;
  /** Median CPU ms of the full pass over the same fleet (the planner alone). */
  fullMs: number;
  /** CPU ms of counting the view once (what the first local pass after a full one adds). */
  countMs: number;
  /** Nodes the local passes planned, on average (the changed one and the unsettled). */
  nodesPlanned: number;
}

export interface OnePassResults {
  rows: OnePassRow[];
  /** localMs at the largest fleet ÷ localMs at the smallest: 1 is flat. */
  flatness: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

/** A settled fleet: every node runs a Ready pod of the current revision, the status written. */
function settledFleet(size: number): { ds: DaemonSet; nodes: Node[]; pods: Pod[]; input: PlannerInput } {
  let ds = newDaemonSet("bench", (d) => (d.spec.template.spec.nodeSelector = { tier: "edge" }));
  const nodes = addNodes(0, size, { tier: "edge" });
  const first = planDaemonSet({ ds, nodes: [], pods: [], revisions: [], now: T0, failedPodBackoff: {} });
  const revisions = first.createRevisions;
  const created = planDaemonSet({ ds, nodes, pods: [], revisions, now: T0, failedPodBackoff: {}, maxCreates: size });
  const pods = created.createPods.map((pod, i): Pod => ({
    ...pod,
    metadata: { ...pod.metadata, name: `bench-${i}`, uid: `uid-${i}`, creationTimestamp: iso(T0) },
    status: { phase: "Running", conditions: [{ type: "Ready", status: "True", lastTransitionTime: iso(T0) }] },
  }));
  const settled = planDaemonSet({ ds, nodes, pods, revisions, now: T0 + 60_000, failedPodBackoff: {} });
  ds = { ...ds, status: settled.status ?? ds.status };
  return { ds, nodes, pods, input: { ds, nodes, pods, revisions, now: T0 + 60_000, failedPodBackoff: {} } };
}

function measure(size: number): OnePassRow {
  const { ds, nodes, pods, input } = settledFleet(size);
  const fullTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    planDaemonSet(input, defaultPlannerDeps);
    fullTimes.push(performance.now() - started);
  }
  const view = new DaemonSetView(ds.metadata.uid ?? "", "default", T0, nodes, pods);
  const countTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const countStarted = performance.now();
    countFleet({ ...input, nodes: view.nodeList(), pods: view.podList() }, defaultPlannerDeps);
    countTimes.push(performance.now() - countStarted);
  }
  const countMs = median(countTimes);
  const counts = countFleet({ ...input, nodes: view.nodeList(), pods: view.podList() }, defaultPlannerDeps)!;

  let state = { ds, pods: new Map(pods.map((p) => [p.spec.nodeName ?? "", p])) };
  const times: number[] = [];
  let planned = 0;
  for (let round = 0; round < rounds; round++) {
    const name = `node-${(round * 7919) % size}`;
    const node = view.node(name)!;
    const labels = { ...node.metadata.labels };
    if (labels.tier) delete labels.tier;
    else labels.tier = "edge";
    const changed: Node = { ...node, metadata: { ...node.metadata, labels, resourceVersion: `${round}` } };
    const onNode = state.pods.get(name);
    const now = T0 + 120_000 + round * 1000;
    const started = performance.now();
    view.applyNodes([name], [changed], onNode ? [onNode] : [], now);
    const active = new Set([name, ...counts.unsettled]);
    const activeNodes = [...active].flatMap((n) => view.node(n) ?? []);
    const activePods = [...active].flatMap((n) => view.podsTargeting(n));
    const local = planNodeChanges({ ...input, ds: state.ds, nodes: activeNodes, pods: activePods, now }, counts, active, defaultPlannerDeps);
    if (!local) throw new Error(`round ${round}: the pass over ${name} fell back to the full pass`);
    for (const [n, summary] of local.summaries) counts.set(n, summary);
    times.push(performance.now() - started);
    planned += activeNodes.length;
    // What the devices and the outbox then do: the deleted pod goes, a created one runs Ready.
    if (local.plan.status) state = { ...state, ds: { ...state.ds, status: local.plan.status } };
    if (local.plan.deletePods.length) {
      state.pods.delete(name);
      view.applyNodes([name], [changed], [], now);
      const after = planNodeChanges({ ...input, ds: state.ds, nodes: [changed], pods: [], now }, counts, new Set([name, ...counts.unsettled]), defaultPlannerDeps);
      for (const [n, summary] of after?.summaries ?? []) counts.set(n, summary);
      if (after?.plan.status) state = { ...state, ds: { ...state.ds, status: after.plan.status } };
    }
    for (const created of local.plan.createPods) {
      const pod: Pod = { ...created, metadata: { ...created.metadata, name: `bench-r${round}`, uid: `uid-r${round}`, creationTimestamp: iso(now) }, status: { phase: "Running", conditions: [{ type: "Ready", status: "True", lastTransitionTime: iso(now) }] } };
      state.pods.set(name, pod);
      view.applyNodes([name], [changed], [pod], now);
      const after = planNodeChanges({ ...input, ds: state.ds, nodes: [changed], pods: [pod], now }, counts, new Set([name, ...counts.unsettled]), defaultPlannerDeps);
      for (const [n, summary] of after?.summaries ?? []) counts.set(n, summary);
      if (after?.plan.status) state = { ...state, ds: { ...state.ds, status: after.plan.status } };
    }
  }
  return { nodes: size, localMs: median(times), localP95Ms: p95(times), fullMs: median(fullTimes), countMs, nodesPlanned: planned / rounds };
}

export function onePassBench(): OnePassResults {
  const rows = sizes.map(measure);
  console.log(`\none-node pass (CPU ms in Node; ${rounds} label toggles per size)`);
  console.log(`${"nodes".padStart(8)} ${"local p50".padStart(10)} ${"local p95".padStart(10)} ${"full pass".padStart(10)} ${"count once".padStart(11)} ${"planned".padStart(8)}`);
  for (const r of rows) console.log(`${String(r.nodes).padStart(8)} ${r.localMs.toFixed(3).padStart(10)} ${r.localP95Ms.toFixed(3).padStart(10)} ${r.fullMs.toFixed(1).padStart(10)} ${r.countMs.toFixed(1).padStart(11)} ${r.nodesPlanned.toFixed(1).padStart(8)}`);
  return { rows, flatness: rows.at(-1)!.localMs / rows[0]!.localMs };
}

if (import.meta.url === `file://${process.argv[1]}`) onePassBench();
