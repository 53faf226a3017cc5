import { describe, expect, it } from "vitest";
import type { SyncRequest } from "../protocol/agent.ts";
import { rfc3339 } from "../resources/meta.ts";
import type { Node, Pod } from "../resources/types.ts";
import { wellKnown } from "../resources/types.ts";
import type { Write } from "../store/writes.ts";
import { applyNodeUpdate, planEnrollment, planNodeReport, planNodeUnknown, type NodePlan } from "./node-report.ts";

const now = Date.parse("2026-12-03T10:00:00Z");
const earlier = rfc3339(now - 60_000);

function node(mutate: (n: Node) => void = () => {}): Node {
  const n: Node = {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "edge-1", uid: "node-uid", resourceVersion: "7", labels: { site: "a", [wellKnown.hostname]: "edge-1" } },
    spec: {},
    status: { conditions: [{ type: "Ready", status: "True", lastHeartbeatTime: earlier, lastTransitionTime: earlier, reason: "KubeletReady", message: "edgeset agent is posting ready status" }] },
  };
  mutate(n);
  return n;
}

function pod(name: string, mutate: (p: Pod) => void = () => {}): Pod {
  const p: Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", uid: `${name}-uid`, ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "ds", uid: "ds-uid", controller: true }] },
    spec: { nodeName: "edge-1", containers: [{ name: "main", image: "busybox" }] },
    status: { phase: "Running", conditions: [{ type: "Ready", status: "False", lastProbeTime: null, lastTransitionTime: earlier }] },
  };
  mutate(p);
  return p;
}

const report = (extra: Partial<SyncRequest> = {}): SyncRequest => ({ node: {}, pods: [], ...extra });
const readyReport = (p: Pod, status = "True") => ({ namespace: "default", name: p.metadata.name!, uid: p.metadata.uid!, status: { phase: "Running" as const, conditions: [{ type: "Ready", status: status as "True" }] } });

let counter = 0;
const ids = () => `id-${counter++}`;
const context = { namespaces: new Set(["default"]), eventTtlMs: 3_600_000 };

/** A plan in the words a reader checks: each write as `op kind/name`, events by reason, and the wakes. */
function summary(plan: NodePlan) {
  const describe = (w: Write) => {
    if (w.op === "create") return w.object.kind === "Event" ? `event ${(w.object as { reason?: string }).reason}` : `create ${w.object.kind}/${w.object.metadata.name}`;
    if (w.op === "replace") return `replace ${w.object.kind}/${w.object.metadata.name}@${w.expectedVersion}`;
    if (w.op === "statement") return "statement";
    return `${w.op} ${w.ref.kind}/${w.ref.name}`;
  };
  return {
    writes: plan.writes.map(describe),
    mirrorWrites: plan.mirrorWrites.map(describe),
    wokenDaemonSets: plan.wakes.daemonSets.map((ref) => ref.name),
    moved: plan.wakes.movedPods.map((p) => p.metadata.name),
    nodeChange: !!plan.wakes.nodeChange,
    lifecycle: plan.wakes.lifecycle,
  };
}

const staticPod = (name: string, namespace = "default"): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: `${name}-edge-1`, namespace, annotations: { [wellKnown.configHash]: "h1" } },
  spec: { containers: [{ name: "c", image: "busybox" }] },
});

describe("planNodeReport", () => {
  const quiet = { writes: [], mirrorWrites: [], wokenDaemonSets: [], moved: [], nodeChange: false, lifecycle: false };
  const cases: { name: string; node?: Node; pods?: Pod[]; report: (pods: Pod[]) => SyncRequest; want: Partial<ReturnType<typeof summary>> }[] = [
    { name: "a Ready node reporting nothing new writes nothing and wakes no one", report: () => report(), want: quiet },
    {
      name: "a node turning Ready is written whole over the version read, with an event, and wakes placement and the lifecycle",
      node: node((n) => (n.status!.conditions![0]!.status = "Unknown")),
      report: () => report(),
      want: { writes: ["replace Node/edge-1@7", "event NodeReady"], nodeChange: true, lifecycle: true },
    },
    {
      name: "the lifecycle taints come off when the node syncs again",
      node: node((n) => (n.spec.taints = [{ key: wellKnown.taintUnreachable, effect: "NoExecute" }, { key: "dedicated", effect: "NoSchedule" }])),
      report: () => report(),
      want: { writes: ["replace Node/edge-1@7"], nodeChange: true, lifecycle: false },
    },
    {
      name: "new nodeInfo is a status write that moves no placement",
      report: () => report({ node: { nodeInfo: { osImage: "Debian 12" } } }),
      want: { writes: ["replace Node/edge-1@7"], nodeChange: false },
    },
    {
      name: "an update deferral appearing is a node change (the DaemonSets honouring deferrals must see it)",
      report: () => report({ node: { conditions: [{ type: "UpdateDeferred", status: "True", reason: "DeferredOnDevice", message: "until 2030-01-01T00:00:00Z" }] } }),
      want: { writes: ["replace Node/edge-1@7"], nodeChange: true },
    },
    {
      name: "an update deferral cleared is a node change",
      node: node((n) => n.status!.conditions!.unshift({ type: "UpdateDeferred", status: "True", reason: "DeferredOnDevice", message: "until 2030-01-01T00:00:00Z" })),
      report: () => report(),
      want: { writes: ["replace Node/edge-1@7"], nodeChange: true },
    },
    {
      name: "a runtime appearing is an agent-owned label, and a placement change",
      report: () => report({ node: { runtimes: ["docker"] } }),
      want: { writes: ["replace Node/edge-1@7"], nodeChange: true },
    },
    {
      name: "a pod turning Ready is a status write that wakes its DaemonSet",
      pods: [pod("p1")],
      report: ([p]) => report({ pods: [readyReport(p!)] }),
      want: { writes: ["setStatus Pod/p1"], wokenDaemonSets: ["ds"], moved: [] },
    },
    {
      name: "a pod status changing only its message is written but wakes no one",
      pods: [pod("p1", (p) => (p.status = { phase: "Running", conditions: [{ type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: earlier }] }))],
      report: ([p]) => report({ pods: [{ ...readyReport(p!), status: { ...readyReport(p!).status, message: "hello" } }] }),
      want: { writes: ["setStatus Pod/p1"], wokenDaemonSets: [] },
    },
    {
      name: "a pod finishing leaves what affinity sees",
      pods: [pod("p1")],
      report: ([p]) => report({ pods: [{ ...readyReport(p!, "False"), status: { phase: "Succeeded" } }] }),
      want: { writes: ["setStatus Pod/p1"], wokenDaemonSets: ["ds"], moved: ["p1"] },
    },
    {
      name: "a status for a pod the node does not have is ignored",
      pods: [pod("p1")],
      report: () => report({ pods: [{ namespace: "default", name: "other", uid: "other-uid", status: { phase: "Running" } }] }),
      want: quiet,
    },
    {
      name: "a terminated pod being deleted is finalized, and its DaemonSet woken",
      pods: [pod("p1", (p) => (p.metadata.deletionTimestamp = earlier))],
      report: ([p]) => report({ terminated: [p!.metadata.uid!] }),
      want: { writes: ["delete Pod/p1"], wokenDaemonSets: ["ds"], moved: ["p1"] },
    },
    {
      name: "a terminated pod nobody deleted stays",
      pods: [pod("p1")],
      report: ([p]) => report({ terminated: [p!.metadata.uid!] }),
      want: quiet,
    },
    {
      name: "a static pod in an existing namespace becomes a mirror pod, in its own transaction",
      report: () => report({ staticPods: [staticPod("etcd")] }),
      want: { writes: [], mirrorWrites: ["create Pod/etcd-edge-1"], moved: ["etcd-edge-1"] },
    },
    {
      name: "a static pod in a missing namespace is a FailedMirrorPod event, not a mirror",
      report: () => report({ staticPods: [staticPod("etcd", "nowhere")] }),
      want: { writes: ["event FailedMirrorPod"], mirrorWrites: [] },
    },
    {
      name: "a static pod whose status has a null list item is refused",
      report: () => report({ staticPods: [{ ...staticPod("etcd"), status: { podIPs: [null] } as unknown as Pod["status"] }] }),
      want: { writes: ["event FailedMirrorPod"], mirrorWrites: [] },
    },
    {
      name: "more static pods than are mirrored: the first 50 are, and one event says so",
      report: () => report({ staticPods: Array.from({ length: 51 }, (_, i) => staticPod(`s${i}`)) }),
      want: { writes: ["event FailedMirrorPod"] },
    },
  ];
  it.each(cases)("$name", ({ node: n, pods, report: r, want }) => {
    const stored = pods ?? [];
    expect(summary(planNodeReport(n ?? node(), stored, r(stored), now, ids, context))).toMatchObject(want);
  });

  it("stamps a Ready transition with the control plane's clock", () => {
    const p = pod("p1");
    const plan = planNodeReport(node(), [p], report({ pods: [readyReport(p)] }), now, ids, context);
    const write = plan.writes[0] as Extract<Write, { op: "setStatus" }>;
    expect((write.status as Pod["status"])!.conditions!.find((c) => c.type === "Ready")!.lastTransitionTime).toBe(rfc3339(now));
  });

  it("names every event of one plan distinctly, though all share one `now`", () => {
    const refused = Array.from({ length: 60 }, (_, i) => staticPod(`s${i}`, "nowhere"));
    const plan = planNodeReport(node((n) => (n.status!.conditions![0]!.status = "Unknown")), [], report({ staticPods: refused }), now, () => crypto.randomUUID(), context);
    const names = plan.writes.filter((w) => w.op === "create").map((w) => (w as Extract<Write, { op: "create" }>).object.metadata.name);
    expect(names).toHaveLength(52); // NodeReady, 50 refused, one for the cut
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => n!.startsWith("edge-1."))).toBe(true);
  });

  it("mirrors exactly 50 of 51 static pods", () => {
    const plan = planNodeReport(node(), [], report({ staticPods: Array.from({ length: 51 }, (_, i) => staticPod(`s${i}`)) }), now, ids, context);
    expect(plan.mirrorWrites).toHaveLength(50);
  });
});

describe("planNodeUnknown", () => {
  it("turns Ready Unknown, adds the unreachable taints, marks Ready pods not ready, records an event, wakes their DaemonSets", () => {
    const ready = pod("p1", (p) => (p.status!.conditions![0]!.status = "True"));
    const notReady = pod("p2");
    const plan = planNodeUnknown(node((n) => (n.spec.taints = [{ key: "dedicated", effect: "NoSchedule" }])), [ready, notReady], now, ids, 1000);
    expect(summary(plan)).toMatchObject({ writes: ["replace Node/edge-1@7", "setStatus Pod/p1", "event NodeNotReady"], wokenDaemonSets: ["ds", "ds"], nodeChange: true });
    expect(plan.after.status!.conditions!.find((c) => c.type === "Ready")).toMatchObject({ status: "Unknown", lastTransitionTime: rfc3339(now), lastHeartbeatTime: earlier });
    expect(plan.after.spec.taints).toEqual([
      { key: "dedicated", effect: "NoSchedule" },
      { key: wellKnown.taintUnreachable, effect: "NoSchedule", timeAdded: rfc3339(now) },
      { key: wellKnown.taintUnreachable, effect: "NoExecute", timeAdded: rfc3339(now) },
    ]);
  });

  it("keeps every other field of the Node as read", () => {
    const n = node((x) => (x.metadata.annotations = { note: "kept" }));
    expect(planNodeUnknown(n, [], now, ids, 1000).after.metadata).toEqual(n.metadata);
  });
});

describe("applyNodeUpdate", () => {
  it.each([
    ["sets and removes labels, keeping the others", { labels: { [wellKnown.os]: "linux" }, removeLabels: ["site"], becameReady: false }, { [wellKnown.hostname]: "edge-1", [wellKnown.os]: "linux" }],
    ["changes nothing for an empty update", { becameReady: false }, { site: "a", [wellKnown.hostname]: "edge-1" }],
  ])("%s", (_what, update, labels) => {
    const before = node();
    const after = applyNodeUpdate(before, update);
    expect(after.metadata.labels).toEqual(labels);
    expect(before.metadata.labels).toEqual({ site: "a", [wellKnown.hostname]: "edge-1" });
  });
});

describe("planEnrollment", () => {
  it("creates a new Node with the labels given, Ready, and a RegisteredNode event", () => {
    const { writes, node: created } = planEnrollment(undefined, { nodeName: "edge-9", labels: { site: "b" }, node: { runtimes: ["process"] } }, now, ids, 1000);
    expect(writes.map((w) => (w.op === "create" ? `create ${w.object.kind}` : w.op))).toEqual(["create Node", "create Event"]);
    expect(created.metadata.labels).toEqual({ site: "b", "runtime.edgeset.dev/process": "true" });
    expect(created.status!.conditions).toEqual([expect.objectContaining({ type: "Ready", status: "True", lastTransitionTime: rfc3339(now) })]);
  });

  it("re-keys an existing Node over the version read, keeping its labels and taints", () => {
    const existing = node((n) => (n.spec.taints = [{ key: "dedicated", effect: "NoSchedule" }]));
    const { writes, node: after } = planEnrollment(existing, { nodeName: "edge-1", labels: { ignored: "x" } }, now, ids, 1000);
    expect(writes).toEqual([{ op: "replace", object: after, expectedVersion: 7 }]);
    expect(after.metadata.labels).toEqual(existing.metadata.labels);
    expect(after.spec.taints).toEqual(existing.spec.taints);
  });
});
