import { describe, expect, it } from "vitest";
import type { Node } from "../types.ts";
import { defaultNode, validateNode, validateNodeUpdate } from "./index.ts";

const node = (extra: Partial<Node> = {}): Node => ({ apiVersion: "v1", kind: "Node", metadata: { name: "edge-01" }, spec: {}, ...extra });

describe("Node", () => {
  it("accepts a plain node", () => {
    expect(validateNode(node())).toEqual([]);
  });

  it.each([
    ["a namespace", node({ metadata: { name: "n", namespace: "d" } }), "metadata.namespace"],
    ["a taint without an effect", node({ spec: { taints: [{ key: "k" } as never] } }), "spec.taints[0].effect"],
    ["a negative capacity", node({ status: { capacity: { cpu: "-1" } } }), "status.capacity[cpu]"],
  ])("rejects %s", (_name, n, field) => {
    expect(validateNode(n).map((e) => e.field)).toContain(field);
  });

  it("defaults allocatable to capacity", () => {
    expect(defaultNode(node({ status: { capacity: { cpu: "4" } } })).status?.allocatable).toEqual({ cpu: "4" });
  });

  it("an update may not change podCIDR once set", () => {
    const old = node({ spec: { podCIDR: "10.0.0.0/24" } });
    expect(validateNodeUpdate(node({ spec: { podCIDR: "10.0.1.0/24" } }), old).map((e) => e.field)).toEqual(["spec.podCIDR"]);
  });
});
