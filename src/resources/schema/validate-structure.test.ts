import { describe, expect, it } from "vitest";
import { allSchemas, schemaNameFor, validateAgainstSchema, validateStructure } from "./index.ts";

const ds = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name: "ds", creationTimestamp: null },
  spec: { selector: { matchLabels: { app: "a" } }, template: { metadata: { labels: { app: "a" } }, spec: { containers: [{ name: "c", image: "i" }] } }, ...spec },
  ...extra,
});
const dsName = "io.k8s.api.apps.v1.DaemonSet";

describe("unknown fields", () => {
  it.each([
    ["at the top", { ...ds({}), foo: 1 }, "foo"],
    ["in the spec", ds({ foo: 1 }), "spec.foo"],
    ["inside a list item", ds({ template: { spec: { containers: [{ name: "c", image: "i", imagePullPolicyy: "Always" }] } } }), "spec.template.spec.containers[0].imagePullPolicyy"],
    ["deep in a list item's object", ds({ template: { spec: { containers: [{ name: "c", livenessProbe: { httpGet: { port: 80, paht: "/" } } }] } } }), "spec.template.spec.containers[0].livenessProbe.httpGet.paht"],
    ["in the metadata", ds({}, { metadata: { name: "x", lables: {} } }), "metadata.lables"],
    ["in a volume of a type edgeset does not run", ds({ template: { spec: { containers: [{ name: "c" }], volumes: [{ name: "v", nfs: { server: "s" } }] } } }), "spec.template.spec.volumes[0].nfs"],
  ])("are found %s", (_name, obj, path) => {
    const r = validateStructure(obj, dsName);
    expect(r.unknownFields).toEqual([path]);
    expect(r.errors).toEqual([]);
  });

  it("are pruned from the returned object, which is a copy", () => {
    const obj = ds({ foo: 1 });
    const r = validateStructure(obj, dsName);
    expect(r.pruned).toEqual(ds({}));
    expect(obj.spec).toHaveProperty("foo");
  });

  it("are found under additionalProperties maps whose values are objects", () => {
    const schema = { type: "object" as const, additionalProperties: { $ref: "#/components/schemas/io.k8s.api.core.v1.KeyToPath" } };
    const r = validateAgainstSchema({ first: { key: "k", path: "p", extra: true } }, schema, allSchemas);
    expect(r.unknownFields).toEqual(["first.extra"]);
    expect(r.pruned).toEqual({ first: { key: "k", path: "p" } });
  });

  it("are not flagged inside x-kubernetes-preserve-unknown-fields subtrees (ControllerRevision.data)", () => {
    const cr = { apiVersion: "apps/v1", kind: "ControllerRevision", metadata: { name: "r" }, revision: 1, data: { spec: { template: { $patch: "replace", anything: [1, { x: 2 }] } } } };
    const r = validateStructure(cr, "io.k8s.api.apps.v1.ControllerRevision");
    expect(r).toEqual({ unknownFields: [], errors: [], pruned: cr });
  });

  it("are not flagged in managedFields' fieldsV1", () => {
    const r = validateStructure(ds({}, { metadata: { name: "x", managedFields: [{ manager: "kubectl", fieldsV1: { "f:spec": { ".": {} } } }] } }), dsName);
    expect(r.unknownFields).toEqual([]);
  });
});

describe("type errors", () => {
  it.each([
    ["a string for an integer", ds({ minReadySeconds: "string" }), "spec.minReadySeconds", 'Invalid value: "string": spec.minReadySeconds in body must be of type integer: "string"'],
    ["a fraction for an integer", ds({ revisionHistoryLimit: 1.5 }), "spec.revisionHistoryLimit", 'Invalid value: "number": spec.revisionHistoryLimit in body must be of type integer: "number"'],
    ["an object for a list", ds({ template: { spec: { containers: { name: "c" } } } }), "spec.template.spec.containers", 'Invalid value: "object": spec.template.spec.containers in body must be of type array: "object"'],
    ["a number for a label value (map value)", ds({}, { metadata: { name: "x", labels: { app: 1 } } }), "metadata.labels.app", 'Invalid value: "integer": metadata.labels.app in body must be of type string: "integer"'],
    ["a boolean for an int-or-string", ds({ updateStrategy: { rollingUpdate: { maxSurge: true } } }), "spec.updateStrategy.rollingUpdate.maxSurge", 'Invalid value: "boolean": spec.updateStrategy.rollingUpdate.maxSurge in body must be of type integer or string: "boolean"'],
    ["a boolean for a quantity", ds({ template: { spec: { containers: [{ name: "c", resources: { limits: { cpu: true } } }] } } }), "spec.template.spec.containers[0].resources.limits.cpu", 'Invalid value: "boolean": spec.template.spec.containers[0].resources.limits.cpu in body must be of type string or number: "boolean"'],
    ["a malformed date-time", ds({}, { metadata: { name: "x", creationTimestamp: "yesterday" } }), "metadata.creationTimestamp", 'Invalid value: "yesterday": metadata.creationTimestamp in body must be of type date-time: "yesterday"'],
  ])("%s", (_name, obj, field, message) => {
    expect(validateStructure(obj, dsName).errors).toEqual([expect.objectContaining({ field, message })]);
  });

  it.each([
    ["an integer", 1],
    ["a percentage", "25%"],
  ])("int-or-string accepts %s", (_name, value) => {
    expect(validateStructure(ds({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: value } } }), dsName).errors).toEqual([]);
  });

  it("quantities may be JSON numbers or strings, and null means unset", () => {
    const obj = ds({ minReadySeconds: null, template: { spec: { containers: [{ name: "c", resources: { limits: { cpu: 0.5, memory: "64Mi" } } }] } } });
    expect(validateStructure(obj, dsName)).toMatchObject({ unknownFields: [], errors: [] });
  });

  it("checks base64 for Secret data", () => {
    const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { ok: "aGVsbG8=", bad: "not base64!" } };
    expect(validateStructure(secret, "io.k8s.api.core.v1.Secret").errors.map((e) => e.field)).toEqual(["data.bad"]);
  });
});

describe("schemaNameFor", () => {
  it.each([
    ["apps/v1", "DaemonSet", "io.k8s.api.apps.v1.DaemonSet"],
    ["apps/v1beta2", "DaemonSet", "io.k8s.api.apps.v1beta2.DaemonSet"],
    ["extensions/v1beta1", "DaemonSet", "io.k8s.api.extensions.v1beta1.DaemonSet"],
    ["apps/v1beta1", "DaemonSet", "io.k8s.api.apps.v1beta1.DaemonSet"],
    ["apps/v1", "ControllerRevision", "io.k8s.api.apps.v1.ControllerRevision"],
    ["v1", "Pod", "io.k8s.api.core.v1.Pod"],
    ["v1", "Node", "io.k8s.api.core.v1.Node"],
    ["v1", "Namespace", "io.k8s.api.core.v1.Namespace"],
    ["v1", "Event", "io.k8s.api.core.v1.Event"],
    ["v1", "ConfigMap", "io.k8s.api.core.v1.ConfigMap"],
    ["v1", "Secret", "io.k8s.api.core.v1.Secret"],
    ["apps/v1", "Deployment", undefined],
  ])("%s %s -> %s", (apiVersion, kind, name) => {
    expect(schemaNameFor(apiVersion, kind)).toBe(name);
  });

  it("extensions/v1beta1 spec has templateGeneration and an optional selector", () => {
    const obj = { ...ds({ templateGeneration: 3 }), apiVersion: "extensions/v1beta1" };
    expect(validateStructure(obj, "io.k8s.api.extensions.v1beta1.DaemonSet").unknownFields).toEqual([]);
    expect(validateStructure(ds({ templateGeneration: 3 }), dsName).unknownFields).toEqual(["spec.templateGeneration"]);
  });
});
