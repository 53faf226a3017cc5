/**
 * Server-side apply between two appliers: a second manager changing a field the first owns is a
 * conflict (worded as the apiserver words it), unless forced; forcing moves the field over.
 */
import { describe, expect, it } from "vitest";
import { fromFieldsV1, toFieldsV1 } from "./field-set.ts";
import type { JsonObject } from "./json-value.ts";
import { schemaForKind } from "./kind-schemas.ts";
import { applyServerSide } from "./server-side-apply.ts";
import { ApplyConflictError, changedFieldSet, fieldSetPaths, formatFieldPath, printManager } from "./ssa-conflicts.ts";

const t0 = "2025-01-01T00:00:00Z";
const t1 = "2025-01-01T00:05:00Z";

const manifest = (image: string, extra: (m: any) => void = () => {}): JsonObject => {
  const m = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "x", namespace: "default", labels: { app: "x" } },
    spec: {
      selector: { matchLabels: { app: "x" } },
      template: { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "main", image, ports: [{ containerPort: 80 }] }] } },
    },
  };
  extra(m);
  return m;
};

const byKubectl = () => applyServerSide(undefined, manifest("nginx:1.25"), "kubectl", "DaemonSet", t0);
const conflictsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApplyConflictError) return { message: error.message, conflicts: error.conflicts };
    throw error;
  }
  return undefined;
};

describe("conflicts between appliers", () => {
  it("rejects another manager changing a field the first owns, naming owner and path", () => {
    expect(conflictsOf(() => applyServerSide(byKubectl(), manifest("nginx:1.26"), "deployer", "DaemonSet", t1))).toEqual({
      message: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.template.spec.containers[name="main"].image',
      conflicts: [{ manager: '"kubectl"', field: '.spec.template.spec.containers[name="main"].image' }],
    });
  });

  it("lets another manager apply the same values (co-ownership)", () => {
    const result = applyServerSide(byKubectl(), manifest("nginx:1.25"), "deployer", "DaemonSet", t1) as any;
    expect(result.metadata.managedFields.map((e: any) => e.manager)).toEqual(["kubectl", "deployer"]);
  });

  it("lets another manager add fields nobody owns", () => {
    const applied = manifest("nginx:1.25", (m) => (m.spec.minReadySeconds = 5));
    const result = applyServerSide(byKubectl(), applied, "deployer", "DaemonSet", t1) as any;
    expect(result.spec.minReadySeconds).toBe(5);
  });

  it("groups several conflicts by manager", () => {
    const applied = manifest("nginx:1.26", (m) => (m.metadata.labels.app = "y"));
    expect(conflictsOf(() => applyServerSide(byKubectl(), applied, "deployer", "DaemonSet", t1))?.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl":\n- .metadata.labels.app\n- .spec.template.spec.containers[name="main"].image',
    );
  });

  it("with force, takes the field over: the new value, and the old owner no longer owns it", () => {
    const result = applyServerSide(byKubectl(), manifest("nginx:1.26"), "deployer", "DaemonSet", t1, true) as any;
    expect(result.spec.template.spec.containers[0].image).toBe("nginx:1.26");
    const kubectl = result.metadata.managedFields.find((e: any) => e.manager === "kubectl");
    const containers = kubectl.fieldsV1["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"main"}'];
    expect(containers["f:image"]).toBeUndefined();
    expect(containers["f:name"]).toEqual({});
  });

  it("never conflicts with the manager's own earlier apply", () => {
    expect(conflictsOf(() => applyServerSide(byKubectl(), manifest("nginx:1.26"), "kubectl", "DaemonSet", t1))).toBeUndefined();
  });
});

describe("changedFieldSet", () => {
  const schema = schemaForKind("DaemonSet");
  it.each<[string, unknown, unknown, unknown]>([
    ["nothing changed", { spec: { minReadySeconds: 1 } }, { spec: { minReadySeconds: 1 } }, {}],
    ["a modified scalar", { spec: { minReadySeconds: 1 } }, { spec: { minReadySeconds: 2 } }, { "f:spec": { "f:minReadySeconds": {} } }],
    ["an added map entry", { metadata: { labels: { a: "1" } } }, { metadata: { labels: { a: "1", b: "2" } } }, { "f:metadata": { "f:labels": { "f:b": {} } } }],
    [
      "an added keyed list item, with its fields",
      { spec: { template: { spec: { containers: [{ name: "a", image: "x" }] } } } },
      { spec: { template: { spec: { containers: [{ name: "a", image: "x" }, { name: "b", image: "y" }] } } } },
      { "f:spec": { "f:template": { "f:spec": { "f:containers": { 'k:{"name":"b"}': { ".": {}, "f:image": {}, "f:name": {} } } } } } },
    ],
    ["a removed field is not a change to conflict on", { spec: { minReadySeconds: 1 } }, { spec: {} }, {}],
  ])("%s", (_name, live, merged, want) => {
    expect(toFieldsV1(changedFieldSet(live, merged, schema))).toEqual(want);
  });
});

describe("paths and managers as the apiserver prints them", () => {
  it.each([
    [["f:spec", "f:minReadySeconds"], ".spec.minReadySeconds"],
    [["f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"main"}', "f:image"], '.spec.template.spec.containers[name="main"].image'],
    [["f:ports", 'k:{"containerPort":80,"protocol":"TCP"}'], '.ports[containerPort=80,protocol="TCP"]'],
    [["f:finalizers", 'v:"a"'], '.finalizers[="a"]'],
    [["f:args", "i:2"], ".args[2]"],
  ])("%j → %s", (elements, want) => {
    expect(formatFieldPath(elements)).toBe(want);
  });

  it("lists a level's members before its children's", () => {
    const set = fromFieldsV1({ "f:spec": { "f:b": {}, "f:a": { "f:x": {} } }, "f:metadata": { "f:labels": { "f:app": {} } } });
    expect(fieldSetPaths(set)).toEqual([".metadata.labels.app", ".spec.b", ".spec.a.x"]);
  });

  it.each([
    [{ manager: "kubectl", operation: "Apply" as const }, '"kubectl"'],
    [{ manager: "m", operation: "Update" as const }, '"m" using apps/v1'],
    [{ manager: "m", operation: "Update" as const, subresource: "status" }, '"m" with subresource "status" using apps/v1'],
  ])("%j", (entry, want) => {
    expect(printManager({ apiVersion: "apps/v1", fieldsType: "FieldsV1", fieldsV1: {}, ...entry })).toBe(want);
  });
});
