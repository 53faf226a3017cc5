import { describe, expect, it } from "vitest";
import type { FieldError } from "../field-errors.ts";
import { validateAffinity, validateNodeSelector } from "./affinity-validation.ts";
import { validateTaints, validateTolerations } from "./toleration-validation.ts";

const p = "spec.template.spec.affinity";
const na = `${p}.nodeAffinity`;
const req = `${na}.requiredDuringSchedulingIgnoredDuringExecution`;
const required = (...matchExpressions: unknown[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } },
});
const fields = (...matchFields: unknown[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields }] } },
});
const preferredNode = (weight: unknown) => ({
  nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, preference: { matchExpressions: [{ key: "ssd", operator: "Exists" }] } }] },
});
const podTerm = (t: Record<string, unknown>) => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] } });
const weightedPodTerm = (weight: unknown) => ({
  podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: { topologyKey: "zone", labelSelector: {} } }] },
});

const short = (errs: FieldError[]) => errs.map((e) => [e.type, e.field, e.message]);

describe("validateAffinity accepts valid affinity", () => {
  it.each([
    ["nothing", undefined],
    ["empty", {}],
    ["In", required({ key: "color", operator: "In", values: ["blue"] })],
    ["Gt with one integer", required({ key: "rack", operator: "Gt", values: ["5"] })],
    ["Gt with a non-integer (Kubernetes accepts it; the term just never matches)", required({ key: "rack", operator: "Gt", values: ["1.5"] })],
    ["Exists", required({ key: "kubernetes.io/hostname", operator: "Exists" })],
    ["matchFields", fields({ key: "metadata.name", operator: "In", values: ["edge-1"] })],
    ["preferred weight 1", preferredNode(1)],
    ["preferred weight 100", preferredNode(100)],
    ["pod affinity", podTerm({ labelSelector: { matchLabels: { security: "S1" } }, topologyKey: "kubernetes.io/hostname", namespaces: ["edge"] })],
    ["pod anti-affinity weight 100", weightedPodTerm(100)],
  ])("%s", (_name, affinity) => {
    expect(validateAffinity(affinity, p)).toEqual([]);
  });
});

describe("validateAffinity names the bad field", () => {
  it.each<[string, unknown, [string, string, string][]]>([
    [
      "unknown operator",
      required({ key: "color", operator: "Like", values: ["blue"] }),
      [["FieldValueInvalid", `${req}.nodeSelectorTerms[0].matchExpressions[0].operator`, `Invalid value: "Like": not a valid selector operator`]],
    ],
    [
      "Gt with two values",
      required({ key: "rack", operator: "Gt", values: ["1", "2"] }),
      [["FieldValueRequired", `${req}.nodeSelectorTerms[0].matchExpressions[0].values`, "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'"]],
    ],
    [
      "In without values",
      required({ key: "color", operator: "In" }),
      [["FieldValueRequired", `${req}.nodeSelectorTerms[0].matchExpressions[0].values`, "Required value: must be specified when `operator` is 'In' or 'NotIn'"]],
    ],
    [
      "Exists with values",
      required({ key: "gpu", operator: "Exists", values: ["x"] }),
      [["FieldValueForbidden", `${req}.nodeSelectorTerms[0].matchExpressions[0].values`, "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"]],
    ],
    [
      "no terms",
      { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } },
      [["FieldValueRequired", `${req}.nodeSelectorTerms`, "Required value: must have at least one node selector term"]],
    ],
    [
      "matchFields on a label",
      fields({ key: "metadata.labels", operator: "In", values: ["x"] }),
      [["FieldValueInvalid", `${req}.nodeSelectorTerms[0].matchFields[0].key`, `Invalid value: "metadata.labels": not a valid field selector key`]],
    ],
    [
      "matchFields with two names",
      fields({ key: "metadata.name", operator: "In", values: ["a", "b"] }),
      [["FieldValueRequired", `${req}.nodeSelectorTerms[0].matchFields[0].values`, "Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector"]],
    ],
    [
      "matchFields Exists",
      fields({ key: "metadata.name", operator: "Exists" }),
      [["FieldValueInvalid", `${req}.nodeSelectorTerms[0].matchFields[0].operator`, `Invalid value: "Exists": not a valid selector operator`]],
    ],
    [
      "preferred weight 0",
      preferredNode(0),
      [["FieldValueInvalid", `${na}.preferredDuringSchedulingIgnoredDuringExecution[0].weight`, "Invalid value: 0: must be in the range 1-100"]],
    ],
    [
      "preferred weight 101",
      preferredNode(101),
      [["FieldValueInvalid", `${na}.preferredDuringSchedulingIgnoredDuringExecution[0].weight`, "Invalid value: 101: must be in the range 1-100"]],
    ],
    [
      "pod anti-affinity weight 0",
      weightedPodTerm(0),
      [["FieldValueInvalid", `${p}.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight`, "Invalid value: 0: must be in the range 1-100"]],
    ],
    [
      "pod anti-affinity weight 101",
      weightedPodTerm(101),
      [["FieldValueInvalid", `${p}.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight`, "Invalid value: 101: must be in the range 1-100"]],
    ],
    [
      "bad label selector operator in a pod term",
      podTerm({ labelSelector: { matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] }, topologyKey: "zone" }),
      [["FieldValueInvalid", `${p}.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].operator`, `Invalid value: "Gt": not a valid selector operator`]],
    ],
    [
      "bad namespace name",
      podTerm({ topologyKey: "zone", namespaces: ["Edge"] }),
      [["FieldValueInvalid", `${p}.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].namespace`, `Invalid value: "Edge": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`]],
    ],
  ])("%s", (_name, affinity, expected) => {
    expect(short(validateAffinity(affinity, p))).toEqual(expected);
  });

  it.each<[string, unknown, string]>([
    ["malformed label key", required({ key: "bad key!", operator: "Exists" }), `${req}.nodeSelectorTerms[0].matchExpressions[0].key`],
    ["malformed required value", required({ key: "color", operator: "In", values: ["not valid"] }), `${req}.nodeSelectorTerms[0].matchExpressions[0].values[0]`],
    ["malformed node name in matchFields", fields({ key: "metadata.name", operator: "In", values: ["Edge_1"] }), `${req}.nodeSelectorTerms[0].matchFields[0].values[0]`],
    ["malformed topology key", podTerm({ topologyKey: "a/b/c" }), `${p}.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey`],
    ["malformed label selector key", podTerm({ topologyKey: "zone", labelSelector: { matchLabels: { "-x": "1" } } }), `${p}.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels`],
    ["nodeAffinity that is no object", { nodeAffinity: [] }, `${p}.nodeAffinity`],
  ])("%s -> %s", (_name, affinity, field) => {
    expect(validateAffinity(affinity, p).map((e) => e.field)).toEqual([field]);
  });

  it("reports an empty topologyKey as required and as an invalid name", () => {
    expect(validateAffinity(podTerm({ labelSelector: {} }), p).map((e) => [e.type, e.field])).toEqual([
      ["FieldValueRequired", `${p}.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey`],
      ["FieldValueInvalid", `${p}.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey`],
      ["FieldValueInvalid", `${p}.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey`],
    ]);
  });

  it("does not check label values of preferred terms", () => {
    const affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: "a", operator: "In", values: ["not valid"] }] } }] } };
    expect(validateAffinity(affinity, p)).toEqual([]);
  });
});

describe("validateTolerations", () => {
  const t = "spec.template.spec.tolerations";
  it.each<[string, unknown, [string, string, string][]]>([
    ["valid Equal", [{ key: "dedicated", operator: "Equal", value: "user1", effect: "NoSchedule" }], []],
    ["valid match-all", [{ operator: "Exists" }], []],
    ["valid tolerationSeconds", [{ key: "k", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }], []],
    [
      "empty key needs Exists",
      [{ operator: "Equal", value: "" }],
      [["FieldValueInvalid", `${t}[0].operator`, `Invalid value: "Equal": operator must be Exists when \`key\` is empty, which means "match all values and all keys"`]],
    ],
    [
      "tolerationSeconds needs NoExecute",
      [{ key: "k", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 5 }],
      [["FieldValueInvalid", `${t}[0].effect`, `Invalid value: "NoSchedule": effect must be 'NoExecute' when \`tolerationSeconds\` is set`]],
    ],
    [
      "Exists with a value",
      [{ key: "k", operator: "Exists", value: "v" }],
      [["FieldValueInvalid", `${t}[0].operator`, `Invalid value: {"key":"k","operator":"Exists","value":"v"}: value must be empty when \`operator\` is 'Exists'`]],
    ],
    [
      "unknown operator",
      [{ key: "k", operator: "Gt", value: "1" }],
      [["FieldValueNotSupported", `${t}[0].operator`, `Unsupported value: "Gt": supported values: "Equal", "Exists"`]],
    ],
    [
      "unknown effect",
      [{ key: "k", operator: "Exists", effect: "NoAdmit" }],
      [["FieldValueNotSupported", `${t}[0].effect`, `Unsupported value: "NoAdmit": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`]],
    ],
  ])("%s", (_name, tolerations, expected) => {
    expect(short(validateTolerations(tolerations, t))).toEqual(expected);
  });

  it.each([
    ["malformed key", [{ key: "a/b/c", operator: "Exists" }], `${t}[0].key`],
    ["malformed value", [{ key: "k", value: "not valid" }], `${t}[0].operator`],
  ])("%s -> %s", (_name, tolerations, field) => {
    expect(validateTolerations(tolerations, t).map((e) => e.field)).toEqual([field]);
  });
});

describe("validateTaints", () => {
  const t = "spec.taints";
  it.each<[string, unknown, [string, string, string][]]>([
    ["valid", [{ key: "dedicated", value: "user1", effect: "NoSchedule" }, { key: "dedicated", value: "user1", effect: "NoExecute" }], []],
    ["effect required", [{ key: "dedicated" }], [["FieldValueRequired", `${t}[0].effect`, "Required value"]]],
    [
      "effect must be known",
      [{ key: "dedicated", effect: "NoAdmit" }],
      [["FieldValueNotSupported", `${t}[0].effect`, `Unsupported value: "NoAdmit": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`]],
    ],
    [
      "duplicate key and effect",
      [{ key: "dedicated", value: "a", effect: "NoSchedule" }, { key: "dedicated", value: "b", effect: "NoSchedule" }],
      [["FieldValueDuplicate", `${t}[1]`, `Duplicate value: {"key":"dedicated","value":"b","effect":"NoSchedule"}: taints must be unique by key and effect pair`]],
    ],
  ])("%s", (_name, taints, expected) => {
    expect(short(validateTaints(taints, t))).toEqual(expected);
  });

  it.each([
    ["malformed key", [{ key: "bad key", effect: "NoSchedule" }], `${t}[0].key`],
    ["empty key", [{ key: "", effect: "NoSchedule" }], `${t}[0].key`],
    ["malformed value", [{ key: "k", value: "bad value", effect: "NoSchedule" }], `${t}[0].value`],
  ])("%s -> %s", (_name, taints, field) => {
    expect([...new Set(validateTaints(taints, t).map((e) => e.field))]).toEqual([field]);
  });
});

describe("validateNodeSelector", () => {
  const n = "spec.template.spec.nodeSelector";
  it.each<[unknown, string[]]>([
    [{ "kubernetes.io/arch": "arm64", color: "" }, []],
    [undefined, []],
    [{ "bad key": "x" }, [n]],
    [{ color: "bad value" }, [n]],
  ])("%j -> %j", (m, fieldsWithErrors) => {
    expect(validateNodeSelector(m, n).map((e) => e.field)).toEqual(fieldsWithErrors);
  });
});
