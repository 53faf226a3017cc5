import { describe, expect, it } from "vitest";
import type { NodeReport } from "../../src/protocol/agent.ts";
import type { RuntimePodSnapshot } from "../runtime/runtime.ts";
import { makePod } from "../testing/pods.ts";
import { buildSyncRequest, serializeSyncRequest } from "./sync-request.ts";

const node: NodeReport = { labels: { "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64" }, runtimes: ["process"] };
const nodeReordered: NodeReport = { runtimes: ["process"], labels: { "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux" } };

const a = makePod("a", { uid: "ua", namespace: "ns2" });
const b = makePod("b", { uid: "ub", namespace: "ns1" });
const c = makePod("c", { uid: "uc", namespace: "ns1" });
const gone = makePod("gone", { uid: "ug", deletionTimestamp: "2024-05-01T10:00:00Z" });

function running(uid: string, name: string, namespace: string): RuntimePodSnapshot {
  return {
    uid,
    name,
    namespace,
    startTime: Date.UTC(2024, 4, 1),
    phase: "active",
    pod: makePod(name, { uid, namespace }),
    containers: [{ name: "main", containerID: "process://9", restartCount: 0, state: { kind: "running", startedAt: Date.UTC(2024, 4, 1, 0, 0, 1) } }],
  };
}

describe("buildSyncRequest", () => {
  it("sorts pods by namespace then name", () => {
    const request = buildSyncRequest({ node, assigned: [a, c, b], running: [] });
    expect(request.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(["ns1/b", "ns1/c", "ns2/a"]);
  });

  it("reports a stopped terminating pod in terminated, not in pods", () => {
    const request = buildSyncRequest({ node, assigned: [a, gone], running: [] });
    expect(request.terminated).toEqual(["ug"]);
    expect(request.pods.map((p) => p.uid)).toEqual(["ua"]);
  });

  it("leaves terminated out when there is none", () => {
    expect(buildSyncRequest({ node, assigned: [a], running: [] })).not.toHaveProperty("terminated");
  });

  it("carries the node IP into pod statuses", () => {
    const request = buildSyncRequest({ node, assigned: [a], running: [running("ua", "a", "ns2")], hostIP: "10.0.0.9" });
    expect(request.pods[0].status.podIP).toBe("10.0.0.9");
    expect(request.pods[0].status.phase).toBe("Running");
  });
});

describe("serializeSyncRequest", () => {
  it.each([
    {
      name: "assignment order does not matter",
      one: { node, assigned: [a, b, c], running: [running("ua", "a", "ns2"), running("ub", "b", "ns1")] },
      two: { node, assigned: [c, b, a], running: [running("ub", "b", "ns1"), running("ua", "a", "ns2")] },
    },
    {
      name: "key order of the node report does not matter",
      one: { node, assigned: [a], running: [] },
      two: { node: nodeReordered, assigned: [a], running: [] },
    },
  ])("same state, same bytes: $name", ({ one, two }) => {
    expect(serializeSyncRequest(buildSyncRequest(one))).toBe(serializeSyncRequest(buildSyncRequest(two)));
  });

  it("changes when a pod's state changes", () => {
    const before = serializeSyncRequest(buildSyncRequest({ node, assigned: [a], running: [] }));
    const after = serializeSyncRequest(buildSyncRequest({ node, assigned: [a], running: [running("ua", "a", "ns2")] }));
    expect(after).not.toBe(before);
  });
});
