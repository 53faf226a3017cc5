import { describe, expect, it } from "vitest";
import type { DaemonSet, Node } from "../../src/resources/types.ts";
import { daemonSetRow, renderFleet, summarizeFleet } from "./fleet.ts";
import { painter } from "./terminal.ts";

const node = (name: string, ready: string | undefined, labels: Record<string, string> = {}, unschedulable = false): Node => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name, labels },
  spec: { unschedulable },
  status: { conditions: ready ? [{ type: "Ready", status: ready } as never] : [] },
});

const ds = (name: string, status: Partial<NonNullable<DaemonSet["status"]>>, strategy = "RollingUpdate", generation = 1): DaemonSet =>
  ({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: "default", generation },
    spec: { updateStrategy: { type: strategy } },
    status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, observedGeneration: 1, ...status },
  }) as DaemonSet;

describe("summarizeFleet", () => {
  it("counts nodes by state, cordoned beside, and by a label's value", () => {
    const nodes = [node("a", "True", { site: "x" }), node("b", "False", { site: "x" }, true), node("c", undefined, { site: "y" }), node("d", "Unknown")];
    const summary = summarizeFleet(nodes, [], "site");
    expect(summary.nodes).toEqual({ total: 4, Ready: 1, NotReady: 1, Unknown: 2, cordoned: 1 });
    expect([...summary.groups!.keys()]).toEqual(["<none>", "x", "y"]);
    expect(summary.groups!.get("x")).toEqual({ total: 2, Ready: 1, NotReady: 1, Unknown: 0, cordoned: 1 });
  });
});

describe("daemonSetRow", () => {
  it.each<[string, DaemonSet, string]>([
    ["done", ds("a", { desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3, numberReady: 3 }), "complete"],
    ["not all updated", ds("b", { desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 3 }), "in progress"],
    ["not all available", ds("c", { desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 }), "in progress"],
    ["a generation not observed yet", ds("d", { desiredNumberScheduled: 0 }, "RollingUpdate", 2), "in progress"],
    ["OnDelete", ds("e", { desiredNumberScheduled: 3 }, "OnDelete"), "OnDelete"],
  ])("%s", (_name, daemonSet, rollout) => {
    expect(daemonSetRow(daemonSet).rollout).toBe(rollout);
  });
});

describe("renderFleet", () => {
  const summary = summarizeFleet([node("a", "True"), node("b", "False")], [ds("web", { desiredNumberScheduled: 2, updatedNumberScheduled: 1, numberAvailable: 1, numberReady: 1 })]);

  it("writes plain tables when not on a terminal", () => {
    const text = renderFleet(summary, painter({ isTTY: false }));
    expect(text).not.toContain("\x1b[");
    expect(text).toMatch(/^NODES\s+TOTAL\s+READY\s+NOT READY\s+UNKNOWN\s+CORDONED\nall\s+2\s+1\s+1\s+0\s+0\n/);
    expect(text).toMatch(/default\s+web\s+2\s+1\s+1\s+1\s+in progress\n$/);
  });

  it("colours on a terminal, unless NO_COLOR is set", () => {
    expect(renderFleet(summary, painter({ isTTY: true }, {}))).toContain("\x1b[33min progress\x1b[0m");
    expect(renderFleet(summary, painter({ isTTY: true }, { NO_COLOR: "1" }))).not.toContain("\x1b[");
  });

  it("keeps columns aligned with colours on", () => {
    const lines = renderFleet(summary, painter({ isTTY: true }, {})).replace(/\x1b\[[0-9;]*m/g, "").split("\n");
    expect(lines[0]!.indexOf("READY")).toBe(lines[1]!.indexOf("1"));
  });
});
