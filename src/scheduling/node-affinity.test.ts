import { describe, expect, it } from "vitest";
import type { Labels, NodeSelectorRequirement, NodeSelectorTerm } from "../resources/types.ts";
import { matchNodeSelectorTerms, matchRequiredNodeAffinity, matchesNodeSelector } from "./node-affinity.ts";
import { node } from "./test-fixtures.ts";

const expr = (key: string, operator: string, values?: string[]): NodeSelectorRequirement =>
  ({ key, operator, ...(values ? { values } : {}) }) as NodeSelectorRequirement;
const one = (...matchExpressions: NodeSelectorRequirement[]): NodeSelectorTerm[] => [{ matchExpressions }];

describe("matchExpressions (vectors #14-#16)", () => {
  it.each<[string, NodeSelectorTerm[], Labels, boolean]>([
    ["#14 In", one(expr("color", "In", ["blue"])), { color: "blue" }, true],
    ["#14 In, label absent", one(expr("color", "In", ["blue"])), {}, false],
    ["#15 Gt 0204 vs 0206", one(expr("rack", "Gt", ["0204"])), { rack: "0206" }, true],
    ["#15 Gt 5 vs abc", one(expr("rack", "Gt", ["5"])), { rack: "abc" }, false],
    ["#15 Gt 5, label absent", one(expr("rack", "Gt", ["5"])), {}, false],
    ["#15 Lt 10 vs 9", one(expr("rack", "Lt", ["10"])), { rack: "9" }, true],
    ["Gt is strict", one(expr("rack", "Gt", ["9"])), { rack: "9" }, false],
    ["a negative bound is no valid label value: term invalid", one(expr("temp", "Lt", ["-5"])), { temp: "-10" }, false],
    ["#15 Gt 1.5 as the only term", one(expr("rack", "Gt", ["1.5"])), { rack: "2" }, false],
    ["#16 NotIn, DDR3", one(expr("mem-type", "NotIn", ["DDR", "DDR2"])), { "mem-type": "DDR3" }, true],
    ["#16 NotIn, label absent", one(expr("mem-type", "NotIn", ["DDR", "DDR2"])), {}, true],
    ["#16 NotIn, DDR", one(expr("mem-type", "NotIn", ["DDR", "DDR2"])), { "mem-type": "DDR" }, false],
    ["#16 DoesNotExist, label absent", one(expr("gpu", "DoesNotExist")), {}, true],
    ["DoesNotExist, label present", one(expr("gpu", "DoesNotExist")), { gpu: "" }, false],
    ["Exists, empty value", one(expr("gpu", "Exists")), { gpu: "" }, true],
    ["#16 Exists with values: term invalid", one(expr("gpu", "Exists", ["x"])), { gpu: "x" }, false],
    ["In with no values: term invalid", one(expr("gpu", "In", [])), { gpu: "" }, false],
    ["unknown operator: term invalid", one(expr("gpu", "Has", ["x"])), { gpu: "x" }, false],
    ["expressions in a term are ANDed", one(expr("a", "Exists"), expr("b", "Exists")), { a: "1" }, false],
  ])("%s", (_name, terms, labels, matches) => {
    expect(matchNodeSelectorTerms(terms, node("host_1", labels)).matches).toBe(matches);
  });
});

describe("matchFields and OR of terms (vector #17)", () => {
  const labelTerm: NodeSelectorTerm = { matchExpressions: [expr("label_1", "In", ["label_1_val"])] };
  const fieldTerm: NodeSelectorTerm = { matchFields: [expr("metadata.name", "In", ["host_1"])] };
  it.each<[string, NodeSelectorTerm[], string, boolean]>([
    ["#17 terms are ORed", [labelTerm, fieldTerm], "host_1", true],
    ["#17 one term with both is ANDed", [{ ...labelTerm, ...fieldTerm }], "host_1", false],
    ["#17 matchFields In with two names is invalid", [{ matchFields: [expr("metadata.name", "In", ["host_1", "host_2"])] }], "host_1", false],
    ["matchFields NotIn", [{ matchFields: [expr("metadata.name", "NotIn", ["host_2"])] }], "host_1", true],
    ["matchFields NotIn the node itself", [{ matchFields: [expr("metadata.name", "NotIn", ["host_1"])] }], "host_1", false],
    ["matchFields Exists is invalid", [{ matchFields: [expr("metadata.name", "Exists")] }], "host_1", false],
    ["an unknown field compares as empty", [{ matchFields: [expr("spec.foo", "In", ["x"])] }], "host_1", false],
    ["matchFields is skipped for a node without a name", [fieldTerm], "", true],
  ])("%s", (_name, terms, name, matches) => {
    expect(matchNodeSelectorTerms(terms, node(name)).matches).toBe(matches);
  });

  it("an invalid term does not stop a later term from matching", () => {
    const r = matchNodeSelectorTerms([{ matchFields: [expr("metadata.name", "In", ["a", "b"])] }, fieldTerm], node("host_1"));
    expect(r).toEqual({
      matches: true,
      errors: [`nodeSelectorTerms[0].matchFields[0].values: Invalid value: []string{"a", "b"}: must have one element`],
    });
  });
});

describe("parse errors, worded as Kubernetes words them", () => {
  it.each<[NodeSelectorTerm[], string[]]>([
    [one(expr("rack", "Gt", ["1.5"])), [`nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: "1.5": for 'Gt', 'Lt' operators, the value must be an integer`]],
    [
      one(expr("rack", "Gt", ["1", "2"])),
      [`nodeSelectorTerms[0].matchExpressions[0].values: Invalid value: []string{"1", "2"}: for 'Gt', 'Lt' operators, exactly one value is required`],
    ],
    [
      one(expr("gpu", "Has")),
      [`nodeSelectorTerms[0].matchExpressions[0].operator: Unsupported value: "Has": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"`],
    ],
    [[{}, { matchFields: [expr("metadata.name", "Exists")] }], [`nodeSelectorTerms[1].matchFields[0].operator: Unsupported value: "Exists": supported values: "In", "NotIn"`]],
    [one(expr("color", "In", ["blue"])), []],
  ])("%j", (terms, errors) => {
    expect(matchNodeSelectorTerms(terms, node("n")).errors).toEqual(errors);
  });
});

describe("nodeSelector", () => {
  it.each<[Labels | undefined, Labels, boolean]>([
    [undefined, {}, true],
    [{}, { a: "1" }, true],
    [{ color: "blue" }, { color: "blue", speed: "fast" }, true],
    [{ color: "blue", speed: "slow" }, { color: "blue", speed: "fast" }, false],
    [{ color: "" }, {}, false],
  ])("%j on %j -> %s", (sel, labels, expected) => {
    expect(matchesNodeSelector(sel, node("n", labels))).toBe(expected);
  });

  it("is ANDed with required node affinity", () => {
    const spec = {
      nodeSelector: { zone: "a" },
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: one(expr("gpu", "Exists")) } } },
    };
    expect(matchRequiredNodeAffinity(spec, node("n", { zone: "a", gpu: "1" })).matches).toBe(true);
    expect(matchRequiredNodeAffinity(spec, node("n", { zone: "b", gpu: "1" })).matches).toBe(false);
    expect(matchRequiredNodeAffinity(spec, node("n", { zone: "a" })).matches).toBe(false);
  });

  it("ignores preferred terms", () => {
    const spec = { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: one(expr("gpu", "Exists"))[0] }] } } };
    expect(matchRequiredNodeAffinity(spec, node("n")).matches).toBe(true);
  });
});
