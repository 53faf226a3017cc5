import { describe, expect, it } from "vitest";
import { ago, countNodes, groupByLabel, lastSeenByNode, nodeState } from "./fleet.ts";
import type { Node } from "./types.ts";

const node = (name: string, ready: "True" | "False" | "Unknown" | undefined, labels: Record<string, string> = {}, unschedulable = false): Node => ({
  metadata: { name, labels },
  spec: { unschedulable },
  status: { conditions: ready ? [{ type: "Ready", status: ready }] : [] },
});

describe("nodeState", () => {
  it.each([
    ["True", "Ready"],
    ["False", "NotReady"],
    ["Unknown", "Unknown"],
    [undefined, "Unknown"],
  ] as const)("Ready=%s is %s", (status, want) => {
    expect(nodeState(node("n", status))).toBe(want);
  });
});

it("countNodes counts states and cordoned nodes apart", () => {
  expect(countNodes([node("a", "True"), node("b", "True", {}, true), node("c", "Unknown"), node("d", "False")])).toEqual({ total: 4, Ready: 2, NotReady: 1, Unknown: 1, cordoned: 1 });
});

it("groupByLabel groups by a label's value, largest first", () => {
  const nodes = [node("a", "True", { site: "x" }), node("b", "Unknown", { site: "y" }), node("c", "True", { site: "y" }), node("d", "True")];
  expect(groupByLabel(nodes, "site")).toEqual([
    { value: "y", total: 2, ready: 1 },
    { value: "(none)", total: 1, ready: 1 },
    { value: "x", total: 1, ready: 1 },
  ]);
});

it("lastSeenByNode and ago", () => {
  const seen = lastSeenByNode([{ metadata: { name: "a" }, spec: { renewTime: "2026-01-01T00:00:00.000000Z" } }, { metadata: { name: "b" }, spec: {} }]);
  expect(seen.get("a")).toBe(Date.parse("2026-01-01T00:00:00Z"));
  expect(seen.has("b")).toBe(false);
  const now = Date.parse("2026-01-01T00:00:00Z");
  expect([ago(now - 5_000, now), ago(now - 120_000, now), ago(now - 7_200_000, now), ago(now - 172_800_000, now), ago(undefined, now)]).toEqual(["5s ago", "2m ago", "2h ago", "2d ago", "never"]);
});
