/** Field sets as server-side apply records them in FieldsV1, and the FieldsV1 round trip. */
import { describe, expect, it } from "vitest";
import { fromFieldsV1, toFieldsV1 } from "./field-set.ts";
import { computeFieldsV1 } from "./object-field-set.ts";
import { stripManagedFields } from "./managed-fields.ts";

const pod = (spec: object | undefined, metadata: object = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "default", ...metadata },
  ...(spec ? { spec } : {}),
});

describe("computeFieldsV1", () => {
  it.each([
    { name: "system fields are never owned", object: pod({}, { uid: "u", resourceVersion: "1", generation: 2, creationTimestamp: "t" }), expected: { "f:spec": {} } },
    { name: "map entries are leaves", object: pod(undefined, { labels: { a: "1" }, annotations: { b: "2" } }), expected: { "f:metadata": { "f:annotations": { "f:b": {} }, "f:labels": { "f:a": {} } } } },
    { name: "an empty map is a member", object: pod({ securityContext: {} }), expected: { "f:spec": { "f:securityContext": {} } } },
    { name: "a null is a member", object: pod({ nodeName: null }), expected: { "f:spec": { "f:nodeName": {} } } },
    { name: "finalizers are a set of values", object: pod(undefined, { finalizers: ["b", "a"] }), expected: { "f:metadata": { "f:finalizers": { 'v:"a"': {}, 'v:"b"': {} } } } },
    { name: "owner references are atomic items keyed by uid", object: pod(undefined, { ownerReferences: [{ uid: "u1", kind: "DaemonSet", name: "x" }] }), expected: { "f:metadata": { "f:ownerReferences": { 'k:{"uid":"u1"}': {} } } } },
    { name: "nodeSelector is an atomic map", object: pod({ nodeSelector: { a: "1" } }), expected: { "f:spec": { "f:nodeSelector": {} } } },
    { name: "tolerations are an atomic list", object: pod({ tolerations: [{ key: "a" }] }), expected: { "f:spec": { "f:tolerations": {} } } },
    {
      name: "keyed items sort by key, numbers numerically",
      object: pod({ containers: [{ name: "b", ports: [{ containerPort: 8080 }, { containerPort: 443, protocol: "UDP" }] }, { name: "a" }] }),
      expected: {
        "f:spec": {
          "f:containers": {
            'k:{"name":"a"}': { ".": {}, "f:name": {} },
            'k:{"name":"b"}': {
              ".": {},
              "f:name": {},
              "f:ports": {
                'k:{"containerPort":443,"protocol":"UDP"}': { ".": {}, "f:containerPort": {}, "f:protocol": {} },
                'k:{"containerPort":8080,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} },
              },
            },
          },
        },
      },
    },
    {
      name: "env items by name, valueFrom selectors atomic",
      object: pod({ containers: [{ name: "c", env: [{ name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }] }] }),
      expected: {
        "f:spec": {
          "f:containers": {
            'k:{"name":"c"}': { ".": {}, "f:env": { 'k:{"name":"NODE"}': { ".": {}, "f:name": {}, "f:valueFrom": { "f:fieldRef": {} } } }, "f:name": {} },
          },
        },
      },
    },
    { name: "an item that cannot be keyed makes the list atomic", object: pod({ containers: [{ image: "x" }] }), expected: { "f:spec": { "f:containers": {} } } },
  ])("$name", ({ object, expected }) => {
    expect(computeFieldsV1(object, "Pod")).toEqual(expected);
  });
});

describe("FieldsV1", () => {
  it("round-trips through a field set", () => {
    const fields = { "f:metadata": { "f:labels": { ".": {}, "f:a": {} } }, "f:spec": { "f:containers": { 'k:{"name":"a"}': { ".": {}, "f:image": {} } } } };
    expect(JSON.stringify(toFieldsV1(fromFieldsV1(fields)))).toBe(JSON.stringify(fields));
  });
});

describe("stripManagedFields", () => {
  it.each([
    { name: "drops managedFields", object: { metadata: { name: "x", managedFields: [{}] } }, expected: { metadata: { name: "x" } } },
    { name: "leaves an object without them alone", object: { metadata: { name: "x" } }, expected: { metadata: { name: "x" } } },
  ])("$name", ({ object, expected }) => {
    expect(stripManagedFields(object)).toEqual(expected);
  });
});
