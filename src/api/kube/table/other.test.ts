import { describe, expect, it } from "vitest";
import type { ConfigMap, ControllerRevision, Event, Namespace, Secret } from "../../../resources/types.ts";
import { configMapTable, controllerRevisionTable, eventTable, namespaceTable, secretTable } from "./other.ts";

const now = Date.parse("2026-01-01T12:00:00Z");
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString().replace(".000Z", "Z");
const headers = (t: { columnDefinitions: { name: string; priority: number }[] }) => t.columnDefinitions.map((c) => `${c.name}:${c.priority}`);

describe("kubectl get controllerrevisions", () => {
  const cr = (ownerReferences?: ControllerRevision["metadata"]["ownerReferences"]): ControllerRevision =>
    ({ apiVersion: "apps/v1", kind: "ControllerRevision", metadata: { name: "web-5d8f7c9b4", creationTimestamp: ago(90), ownerReferences }, revision: 3, data: {} }) as ControllerRevision;

  it("has NAME CONTROLLER REVISION AGE", () => {
    expect(headers(controllerRevisionTable([], now))).toEqual(["Name:0", "Controller:0", "Revision:0", "Age:0"]);
  });

  it.each<[string, ControllerRevision["metadata"]["ownerReferences"], string]>([
    ["names the controller as kind.group/name", [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "web", uid: "u", controller: true }], "daemonset.apps/web"],
    ["ignores owners that are not the controller", [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "web", uid: "u" }], "<none>"],
    ["prints <none> for an orphan", undefined, "<none>"],
    ["has no group for core kinds", [{ apiVersion: "v1", kind: "Node", name: "n1", uid: "u", controller: true }], "node/n1"],
  ])("%s", (_name, owners, want) => {
    expect(controllerRevisionTable([cr(owners)], now).rows[0]!.cells).toEqual(["web-5d8f7c9b4", want, 3, "90s"]);
  });
});

describe("kubectl get events", () => {
  const event = (overrides: Partial<Event> & Record<string, unknown> = {}): Event =>
    ({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "web.18ec0abc9e425c00", namespace: "default", creationTimestamp: ago(30) },
      involvedObject: { kind: "DaemonSet", name: "web", namespace: "default" },
      reason: "SuccessfulCreate",
      message: "Created pod: web-x2k9q",
      source: { component: "daemonset-controller" },
      firstTimestamp: ago(600),
      lastTimestamp: ago(30),
      count: 2,
      type: "Normal",
      ...overrides,
    }) as Event;
  const cells = (e: Event) => eventTable([e], now).rows[0]!.cells;

  it("has the Kubernetes column set, wide columns at priority 1", () => {
    expect(headers(eventTable([], now))).toEqual(["Last Seen:0", "Type:0", "Reason:0", "Object:0", "Subobject:1", "Source:1", "Message:0", "First Seen:1", "Count:1", "Name:1"]);
  });

  it("prints an event", () => {
    expect(cells(event())).toEqual(["30s", "Normal", "SuccessfulCreate", "daemonset/web", "", "daemonset-controller", "Created pod: web-x2k9q", "10m", 2, "web.18ec0abc9e425c00"]);
  });

  it.each<[string, Partial<Event> & Record<string, unknown>, number, unknown]>([
    ["Last Seen falls back to First Seen", { lastTimestamp: undefined }, 0, "10m"],
    ["First Seen falls back to eventTime", { firstTimestamp: undefined, lastTimestamp: undefined, eventTime: ago(5) }, 0, "5s"],
    ["a series carries its last time", { series: { count: 7, lastObservedTime: ago(3) } }, 0, "3s"],
    ["and its count", { series: { count: 7, lastObservedTime: ago(3) } }, 8, 7],
    ["a singleton counts 1", { count: undefined }, 8, 1],
    ["an object without a name prints its kind", { involvedObject: { kind: "Node" } }, 3, "node"],
    ["the source adds the host", { source: { component: "kubelet", host: "shop-1" } }, 5, "kubelet, shop-1"],
    ["the source falls back to the reporting controller", { source: {}, reportingController: "edgeset.dev/node-lifecycle", reportingInstance: "cp" }, 5, "edgeset.dev/node-lifecycle, cp"],
    ["the message is trimmed", { message: "  spaced out \n" }, 6, "spaced out"],
  ])("%s", (_name, overrides, index, want) => {
    expect(cells(event(overrides))[index]).toEqual(want);
  });
});

describe("kubectl get namespaces, configmaps, secrets", () => {
  it("prints a namespace's phase, and Terminating while it is deleted", () => {
    const ns = (extra: object = {}): Namespace => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", creationTimestamp: ago(60), ...extra }, status: { phase: "Active" } }) as Namespace;
    expect(headers(namespaceTable([], now))).toEqual(["Name:0", "Status:0", "Age:0"]);
    expect(namespaceTable([ns()], now).rows[0]!.cells).toEqual(["shop", "Active", "60s"]);
    expect(namespaceTable([ns({ deletionTimestamp: ago(0) })], now).rows[0]!.cells[1]).toBe("Terminating");
  });

  it("counts a ConfigMap's data and binaryData keys", () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", creationTimestamp: ago(60) }, data: { a: "1", b: "2" }, binaryData: { c: "AA==" } } as ConfigMap;
    expect(headers(configMapTable([], now))).toEqual(["Name:0", "Data:0", "Age:0"]);
    expect(configMapTable([cm], now).rows[0]!.cells).toEqual(["cfg", 3, "60s"]);
  });

  it("prints a Secret's type and key count", () => {
    const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "creds", creationTimestamp: ago(60) }, data: { user: "dQ==", pass: "cA==" } } as Secret;
    expect(headers(secretTable([], now))).toEqual(["Name:0", "Type:0", "Data:0", "Age:0"]);
    expect(secretTable([secret], now).rows[0]!.cells).toEqual(["creds", "Opaque", 2, "60s"]);
  });
});
