import { describe, expect, it } from "vitest";
import type { Node, Pod } from "../resources/types.ts";
import { nodeFamilies, podFamilies } from "./kube-families.ts";

const node: Node = {
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "edge-1", labels: { site: "a" }, creationTimestamp: "2026-12-03T10:00:00Z" },
  spec: { unschedulable: true, taints: [{ key: "maintenance", value: "true", effect: "NoExecute" }] },
  status: { conditions: [{ type: "Ready", status: "Unknown" } as never] },
};

describe("nodeFamilies", () => {
  const families = nodeFamilies([node]);
  const samples = (name: string) => families.find((f) => f.name === name)!.samples;

  it("writes a condition as kube-state-metrics does: three series, 1 on the status it has", () => {
    expect(samples("kube_node_status_condition")).toEqual([
      { labels: { node: "edge-1", condition: "Ready", status: "true" }, value: 0 },
      { labels: { node: "edge-1", condition: "Ready", status: "false" }, value: 0 },
      { labels: { node: "edge-1", condition: "Ready", status: "unknown" }, value: 1 },
    ]);
  });

  it("writes cordon, taints, labels and creation time", () => {
    expect(samples("kube_node_spec_unschedulable")).toEqual([{ labels: { node: "edge-1" }, value: 1 }]);
    expect(samples("kube_node_spec_taint")).toEqual([{ labels: { node: "edge-1", key: "maintenance", value: "true", effect: "NoExecute" }, value: 1 }]);
    expect(samples("kube_node_labels")).toEqual([{ labels: { node: "edge-1", label_site: "a" }, value: 1 }]);
    expect(samples("kube_node_created")).toEqual([{ labels: { node: "edge-1" }, value: Date.parse("2026-12-03T10:00:00Z") / 1000 }]);
  });
});

describe("podFamilies", () => {
  const pod = (phase?: string, ready?: string): Pod =>
    ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web-x", namespace: "default", uid: "u1", ownerReferences: [{ kind: "DaemonSet", name: "web", controller: true }] },
      spec: { nodeName: "edge-1", containers: [] },
      status: { phase, conditions: ready ? [{ type: "Ready", status: ready }] : [], containerStatuses: [{ name: "main", restartCount: 4 }] },
    }) as unknown as Pod;

  it("writes one phase series per phase, 1 on the pod's (Pending when it has none)", () => {
    const phases = (p: Pod) => Object.fromEntries(podFamilies([p]).find((f) => f.name === "kube_pod_status_phase")!.samples.map((s) => [s.labels!.phase, s.value]));
    expect(phases(pod("Running"))).toEqual({ Pending: 0, Succeeded: 0, Failed: 0, Running: 1, Unknown: 0 });
    expect(phases(pod(undefined))).toMatchObject({ Pending: 1, Running: 0 });
  });

  it("writes readiness only for a pod with a Ready condition, and restarts per container", () => {
    expect(podFamilies([pod("Running")]).find((f) => f.name === "kube_pod_status_ready")!.samples).toEqual([]);
    expect(podFamilies([pod("Running", "True")]).find((f) => f.name === "kube_pod_status_ready")!.samples.map((s) => s.value)).toEqual([1, 0, 0]);
    expect(podFamilies([pod("Running")]).find((f) => f.name === "kube_pod_container_status_restarts_total")!.samples).toEqual([{ labels: { namespace: "default", pod: "web-x", uid: "u1", container: "main" }, value: 4 }]);
    expect(podFamilies([pod("Running")]).find((f) => f.name === "kube_pod_info")!.samples[0]!.labels).toMatchObject({ node: "edge-1", created_by_kind: "DaemonSet", created_by_name: "web", host_network: "false" });
  });
});
