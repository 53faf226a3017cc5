import { describe, expect, it } from "vitest";
import type { Node } from "../../../resources/types.ts";
import { nodeTable } from "./node.ts";

const now = Date.parse("2026-01-01T12:00:00Z");

function node(overrides: { labels?: Record<string, string>; unschedulable?: boolean; conditions?: { type: string; status: "True" | "False" | "Unknown" }[]; status?: object } = {}): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "shop-1", labels: overrides.labels, creationTimestamp: "2025-12-30T12:00:00Z" },
    spec: { unschedulable: overrides.unschedulable },
    status: {
      conditions: overrides.conditions ?? [{ type: "Ready", status: "True" }],
      addresses: [{ type: "InternalIP", address: "192.0.2.7" }, { type: "Hostname", address: "shop-1" }],
      nodeInfo: { kubeletVersion: "edgeset-agent/0.1.0", osImage: "Debian GNU/Linux 12 (bookworm)", kernelVersion: "6.1.0", containerRuntimeVersion: "process://node-v22" },
      ...overrides.status,
    },
  } as Node;
}

const cells = (n: Node) => nodeTable([n], now).rows[0]!.cells;

describe("kubectl get nodes columns", () => {
  it("has the Kubernetes column set, wide columns at priority 1", () => {
    expect(nodeTable([], now).columnDefinitions.map((c) => `${c.name}:${c.priority}`)).toEqual([
      "Name:0",
      "Status:0",
      "Roles:0",
      "Age:0",
      "Version:0",
      "Internal-IP:1",
      "External-IP:1",
      "OS-Image:1",
      "Kernel-Version:1",
      "Container-Runtime:1",
    ]);
  });

  it("prints a ready node", () => {
    expect(cells(node())).toEqual(["shop-1", "Ready", "<none>", "2d", "edgeset-agent/0.1.0", "192.0.2.7", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0", "process://node-v22"]);
  });

  it.each<[string, Parameters<typeof node>[0], string]>([
    ["Ready", {}, "Ready"],
    ["Ready=False", { conditions: [{ type: "Ready", status: "False" }] }, "NotReady"],
    ["Ready=Unknown (silent device)", { conditions: [{ type: "Ready", status: "Unknown" }] }, "NotReady"],
    ["no Ready condition yet", { conditions: [] }, "Unknown"],
    ["cordoned", { unschedulable: true }, "Ready,SchedulingDisabled"],
    ["cordoned and silent", { unschedulable: true, conditions: [{ type: "Ready", status: "Unknown" }] }, "NotReady,SchedulingDisabled"],
  ])("STATUS when %s", (_name, overrides, want) => {
    expect(cells(node(overrides))[1]).toBe(want);
  });

  it.each<[string, Record<string, string>, string]>([
    ["role labels, sorted", { "node-role.kubernetes.io/gateway": "", "node-role.kubernetes.io/edge": "" }, "edge,gateway"],
    ["the kubernetes.io/role value", { "kubernetes.io/role": "sensor" }, "sensor"],
    ["each role once", { "node-role.kubernetes.io/edge": "", "kubernetes.io/role": "edge" }, "edge"],
    ["an empty role name is no role", { "node-role.kubernetes.io/": "", "kubernetes.io/role": "" }, "<none>"],
  ])("ROLES from %s", (_name, labels, want) => {
    expect(cells(node({ labels }))[2]).toBe(want);
  });

  it("prints <unknown> for node info the device did not report", () => {
    expect(cells(node({ status: { nodeInfo: {} } })).slice(7)).toEqual(["<unknown>", "<unknown>", "<unknown>"]);
  });
});
