import { describe, expect, it } from "vitest";
import type { DaemonSet, Event, Pod } from "../resources/types.ts";
import { writesForPlan, type RecordedWrite } from "./plan-writes.ts";
import { scheduledCondition, type Plan } from "./planner/index.ts";

const now = Date.parse("2024-01-01T00:00:00Z");
const ds: DaemonSet = { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent", namespace: "default", uid: "ds-uid" }, spec: { selector: {}, template: { spec: { containers: [] } } } };
const pod = (name: string, nodeName?: string): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", uid: `uid-${name}`, resourceVersion: "42" },
  spec: { containers: [], ...(nodeName ? { nodeName } : {}) },
  status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "old" }] },
});
const plan = (extra: Partial<Plan>): Plan => ({
  createPods: [],
  bindPods: [],
  unschedulablePods: [],
  deletePods: [],
  patchPods: [],
  createRevisions: [],
  updateRevisions: [],
  deleteRevisions: [],
  status: undefined,
  events: [],
  failedPodBackoff: {},
  currentHash: "h",
  ...extra,
});
const writesOf = (p: Plan) =>
  writesForPlan(ds, p, {
    now,
    newUid: () => "new-uid",
    random: () => 0,
    eventTtlMs: 3_600_000,
    pods: new Map([pod("pending"), pod("running", "n1")].map((x) => [x.metadata.name!, x])),
    recentEvents: new Set(),
  }).writes;
const events = (writes: RecordedWrite[]) =>
  writes.flatMap((w) => (w.op === "create" && w.object.kind === "Event" ? [w.object as Event] : [])).map((e) => `${e.involvedObject.kind} ${e.source?.component} ${e.reason}: ${e.message}`);

describe("writesForPlan: binding", () => {
  it("binds a pending pod with a replace at its resourceVersion, PodScheduled True, and a Scheduled event", () => {
    const writes = writesOf(plan({ bindPods: [{ name: "pending", uid: "uid-pending", nodeName: "n2" }] }));
    const replace = writes.find((w) => w.op === "replace");
    expect(replace).toMatchObject({ op: "replace", expectedVersion: 42, object: { spec: { nodeName: "n2" }, status: { phase: "Pending", conditions: [scheduledCondition(now)] } } });
    expect(events(writes)).toEqual(["Pod default-scheduler Scheduled: Successfully assigned default/pending to n2"]);
  });

  it("writes a new Unschedulable condition as status only, with a FailedScheduling event", () => {
    const condition = { type: "PodScheduled", status: "False" as const, reason: "Unschedulable", message: "node(s) didn't match pod affinity rules: …" };
    const writes = writesOf(plan({ unschedulablePods: [{ name: "pending", uid: "uid-pending", condition }] }));
    expect(writes.filter((w) => w.op !== "create")).toEqual([
      { op: "setStatus", ref: { kind: "Pod", namespace: "default", name: "pending" }, uid: "uid-pending", status: { phase: "Pending", conditions: [condition] }, mustExist: false },
    ]);
    expect(events(writes)).toEqual([`Pod default-scheduler FailedScheduling: ${condition.message}`]);
  });

  it("records FailedScheduling for a pod created Pending", () => {
    const created = { ...pod("x"), metadata: { generateName: "agent-", namespace: "default" } };
    const writes = writesOf(plan({ createPods: [created] }));
    expect(events(writes)).toEqual(["DaemonSet daemonset-controller SuccessfulCreate: Created pod: agent-bbbbb", "Pod default-scheduler FailedScheduling: old"]);
  });

  it("records one Event per reason for a pass's creates and deletes, with their count (the event correlator's aggregation)", () => {
    const created = (name: string) => ({ ...pod(name), metadata: { generateName: "agent-", namespace: "default" }, spec: { ...pod(name).spec, nodeName: name }, status: {} });
    const writes = writesOf(plan({ createPods: [created("n1"), created("n2"), created("n3")], deletePods: [{ name: "running", uid: "uid-running", reason: "NodeNotEligible" }, { name: "pending", uid: "uid-pending", reason: "NodeNotEligible" }] }));
    const eventObjects = writes.flatMap((w) => (w.op === "create" && w.object.kind === "Event" ? [w.object as Event] : []));
    expect(eventObjects.map((e) => [e.reason, e.count])).toEqual([
      ["SuccessfulCreate", 3],
      ["SuccessfulDelete", 2],
    ]);
    expect(eventObjects[0]!.message).toMatch(/^\(combined from similar events\): Created pod: agent-/);
    expect(eventObjects[1]!.message).toBe("(combined from similar events): Deleted pod: pending");
    expect(writes.filter((w) => w.op === "create" && w.object.kind === "Pod")).toHaveLength(3);
  });

  it.each<[string, string, RecordedWrite["op"]]>([
    ["deletes an unbound pod at once: no device would confirm it", "pending", "delete"],
    ["deletes a bound pod gracefully", "running", "setFields"],
  ])("%s", (_name, name, op) => {
    const writes = writesOf(plan({ deletePods: [{ name, uid: `uid-${name}`, reason: "NodeNotEligible" }] }));
    expect(writes.filter((w) => w.op !== "create").map((w) => w.op)).toEqual([op]);
  });
});
