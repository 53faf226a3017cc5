import { describe, expect, it } from "vitest";
import type { DaemonSet } from "../../../resources/types.ts";
import { daemonSetTable } from "./daemonset.ts";

const now = Date.parse("2026-01-01T12:00:00Z");

function ds(overrides: Partial<DaemonSet["spec"]> = {}, status?: DaemonSet["status"]): DaemonSet {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "web", namespace: "default", creationTimestamp: "2026-01-01T11:55:00Z" },
    spec: {
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "main", image: "nginx:1.26" }] } },
      ...overrides,
    },
    status,
  };
}

const cells = (d: DaemonSet) => daemonSetTable([d], now).rows[0]!.cells;

describe("kubectl get daemonsets columns", () => {
  it("has the Kubernetes column set, wide columns at priority 1", () => {
    expect(daemonSetTable([], now).columnDefinitions.map((c) => `${c.name}:${c.type}:${c.priority}`)).toEqual([
      "Name:string:0",
      "Desired:integer:0",
      "Current:integer:0",
      "Ready:integer:0",
      "Up-to-date:integer:0",
      "Available:integer:0",
      "Node Selector:string:0",
      "Age:string:0",
      "Containers:string:1",
      "Images:string:1",
      "Selector:string:1",
    ]);
  });

  it("prints the status counters in column order", () => {
    const status = { desiredNumberScheduled: 5, currentNumberScheduled: 4, numberReady: 3, updatedNumberScheduled: 2, numberAvailable: 1, numberMisscheduled: 0 };
    expect(cells(ds({}, status))).toEqual(["web", 5, 4, 3, 2, 1, "<none>", "5m", "main", "nginx:1.26", "app=web"]);
  });

  it("prints zeros before the controller has written a status", () => {
    expect(cells(ds()).slice(1, 6)).toEqual([0, 0, 0, 0, 0]);
  });

  it.each<[string, Partial<DaemonSet["spec"]>, string, string, string, string]>([
    [
      "a node selector and two containers",
      { template: { spec: { nodeSelector: { disktype: "ssd", tier: "edge" }, containers: [{ name: "main", image: "nginx" }, { name: "sidecar", image: "busybox" }] } } },
      "disktype=ssd,tier=edge",
      "main,sidecar",
      "nginx,busybox",
      "app=web",
    ],
    [
      "a selector with expressions",
      { selector: { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["edge", "core"] }, { key: "canary", operator: "DoesNotExist" }] } },
      "<none>",
      "main",
      "nginx:1.26",
      // Requirements sort by key, as LabelSelectorAsSelector does.
      "app=web,!canary,tier in (core,edge)",
    ],
  ])("%s", (_name, spec, nodeSelector, containers, images, selector) => {
    const row = cells(ds(spec));
    expect([row[6], row[8], row[9], row[10]]).toEqual([nodeSelector, containers, images, selector]);
  });
});
