import { describe, expect, it } from "vitest";
import type { Taint, TaintEffect, Toleration } from "../resources/types.ts";
import { findUntoleratedTaint, formatTaint, toleratesTaint } from "./taints.ts";

const dedicated: Taint = { key: "dedicated", value: "user1", effect: "NoSchedule" };

describe("toleratesTaint", () => {
  it.each<[string, Toleration, boolean]>([
    ["exact Equal", { key: "dedicated", operator: "Equal", value: "user1", effect: "NoSchedule" }, true],
    ["no operator means Equal", { key: "dedicated", value: "user1", effect: "NoSchedule" }, true],
    ["other value", { key: "dedicated", operator: "Equal", value: "user2", effect: "NoSchedule" }, false],
    ["Exists ignores the value", { key: "dedicated", operator: "Exists", effect: "NoSchedule" }, true],
    ["empty effect matches every effect", { key: "dedicated", operator: "Exists" }, true],
    ["other effect", { key: "dedicated", operator: "Exists", effect: "NoExecute" }, false],
    ["other key", { key: "gpu", operator: "Exists" }, false],
    ["empty key with Exists tolerates everything", { operator: "Exists" }, true],
    ["empty key with Equal and the same value", { value: "user1" }, true],
    ["tolerationSeconds is irrelevant", { key: "dedicated", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 0 }, true],
    ["unknown operator tolerates nothing", { key: "dedicated", operator: "Gt" as "Exists", value: "0" }, false],
  ])("%s", (_name, toleration, expected) => {
    expect(toleratesTaint(toleration, dedicated)).toBe(expected);
  });

  it("compares a missing taint value as empty", () => {
    expect(toleratesTaint({ key: "k", operator: "Equal", value: "" }, { key: "k", effect: "NoSchedule" })).toBe(true);
  });
});

describe("findUntoleratedTaint", () => {
  const taints: Taint[] = [
    { key: "soft", effect: "PreferNoSchedule" },
    { key: "a", value: "1", effect: "NoSchedule" },
    { key: "b", effect: "NoExecute" },
  ];
  it.each<[Toleration[] | undefined, TaintEffect[], string | undefined]>([
    [undefined, ["NoSchedule", "NoExecute"], "a"],
    [[{ key: "a", operator: "Exists" }], ["NoSchedule", "NoExecute"], "b"],
    [[{ key: "a", operator: "Exists" }, { key: "b", operator: "Exists" }], ["NoSchedule", "NoExecute"], undefined],
    [undefined, ["NoExecute"], "b"],
    [undefined, ["PreferNoSchedule"], "soft"],
  ])("tolerations %j, effects %j -> %s", (tolerations, effects, key) => {
    expect(findUntoleratedTaint(taints, tolerations, effects)?.key).toBe(key);
  });

  it("finds nothing on a node without taints", () => {
    expect(findUntoleratedTaint(undefined, [], ["NoSchedule"])).toBeUndefined();
  });
});

describe("formatTaint", () => {
  it.each<[Taint, string]>([
    [dedicated, "dedicated=user1:NoSchedule"],
    [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }, "node.kubernetes.io/unreachable:NoExecute"],
  ])("%j -> %s", (t, s) => {
    expect(formatTaint(t)).toBe(s);
  });
});
