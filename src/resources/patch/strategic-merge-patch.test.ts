/**
 * Strategic merge patch features one by one, each on the smallest object that shows it. Expected
 * results follow apimachinery `strategicpatch.StrategicMergeMapPatch`.
 */
import { describe, expect, it } from "vitest";
import { PatchError } from "./patch-error.ts";
import { applyStrategicMergePatch } from "./strategic-merge-patch.ts";

const podSpec = (spec: object) => ({ spec });
const container = (fields: object) => podSpec({ containers: [{ name: "main", ...fields }] });
const meta = (metadata: object) => ({ metadata });

interface Case {
  name: string;
  kind?: string;
  original: object;
  patch: object;
  expected: object;
}

const cases: Case[] = [
  // Maps
  { name: "nested maps merge key by key", original: meta({ labels: { a: "1" } }), patch: meta({ labels: { b: "2" } }), expected: meta({ labels: { a: "1", b: "2" } }) },
  { name: "null deletes a key", original: meta({ labels: { a: "1", b: "2" } }), patch: meta({ labels: { a: null } }), expected: meta({ labels: { b: "2" } }) },
  { name: "null for a missing key stores nothing", original: meta({}), patch: meta({ labels: { a: null } }), expected: meta({ labels: {} }) },
  { name: "a new map is stored without its nulls", original: {}, patch: podSpec({ nodeSelector: { a: "1", b: null } }), expected: podSpec({ nodeSelector: { a: "1" } }) },
  { name: "a value of another type replaces", original: podSpec({ x: { a: 1 } }), patch: podSpec({ x: [1] }), expected: podSpec({ x: [1] }) },
  { name: "$patch: replace on a map replaces it", original: podSpec({ nodeSelector: { a: "1", b: "2" } }), patch: podSpec({ nodeSelector: { $patch: "replace", c: "3" } }), expected: podSpec({ nodeSelector: { c: "3" } }) },
  { name: "$patch: delete on a map empties it", original: podSpec({ nodeSelector: { a: "1" } }), patch: podSpec({ nodeSelector: { $patch: "delete" } }), expected: podSpec({ nodeSelector: {} }) },
  { name: "$patch: replace at the top replaces the object", original: { a: 1, b: 2 }, patch: { $patch: "replace", c: 3 }, expected: { c: 3 } },

  // Keyed lists
  {
    name: "containers merge by name",
    original: podSpec({ containers: [{ name: "a", image: "1" }, { name: "b", image: "1" }] }),
    patch: podSpec({ containers: [{ name: "b", image: "2" }] }),
    expected: podSpec({ containers: [{ name: "a", image: "1" }, { name: "b", image: "2" }] }),
  },
  {
    name: "a new container without $setElementOrder goes before the server's",
    original: podSpec({ containers: [{ name: "main" }] }),
    patch: podSpec({ containers: [{ name: "sidecar" }] }),
    expected: podSpec({ containers: [{ name: "sidecar" }, { name: "main" }] }),
  },
  {
    name: "env merges by name",
    original: container({ env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] }),
    patch: container({ env: [{ name: "B", value: "3" }, { name: "C", value: "4" }] }),
    expected: container({ env: [{ name: "A", value: "1" }, { name: "B", value: "3" }, { name: "C", value: "4" }] }),
  },
  {
    name: "volumeMounts merge by mountPath",
    original: container({ volumeMounts: [{ name: "data", mountPath: "/data" }, { name: "cfg", mountPath: "/etc/cfg" }] }),
    patch: container({ volumeMounts: [{ mountPath: "/data", readOnly: true }] }),
    expected: container({ volumeMounts: [{ name: "data", mountPath: "/data", readOnly: true }, { name: "cfg", mountPath: "/etc/cfg" }] }),
  },
  {
    name: "ports merge by containerPort",
    original: container({ ports: [{ containerPort: 80, protocol: "TCP" }, { containerPort: 443, protocol: "TCP" }] }),
    patch: container({ ports: [{ containerPort: 443, name: "https" }] }),
    expected: container({ ports: [{ containerPort: 80, protocol: "TCP" }, { containerPort: 443, protocol: "TCP", name: "https" }] }),
  },
  {
    name: "volumes merge by name",
    original: podSpec({ volumes: [{ name: "a", emptyDir: {} }] }),
    patch: podSpec({ volumes: [{ name: "b", hostPath: { path: "/b" } }] }),
    expected: podSpec({ volumes: [{ name: "b", hostPath: { path: "/b" } }, { name: "a", emptyDir: {} }] }),
  },
  {
    name: "imagePullSecrets merge by name",
    original: podSpec({ imagePullSecrets: [{ name: "a" }] }),
    patch: podSpec({ imagePullSecrets: [{ name: "a" }, { name: "b" }] }),
    expected: podSpec({ imagePullSecrets: [{ name: "a" }, { name: "b" }] }),
  },
  {
    name: "ownerReferences merge by uid",
    original: meta({ ownerReferences: [{ uid: "1", name: "a" }] }),
    patch: meta({ ownerReferences: [{ uid: "1", controller: true }] }),
    expected: meta({ ownerReferences: [{ uid: "1", name: "a", controller: true }] }),
  },
  {
    name: "node conditions merge by type",
    kind: "Node",
    original: { status: { conditions: [{ type: "Ready", status: "True" }, { type: "MemoryPressure", status: "False" }] } },
    patch: { status: { conditions: [{ type: "Ready", status: "Unknown", reason: "NodeStatusUnknown" }] } },
    expected: { status: { conditions: [{ type: "Ready", status: "Unknown", reason: "NodeStatusUnknown" }, { type: "MemoryPressure", status: "False" }] } },
  },
  {
    name: "node addresses merge by type",
    kind: "Node",
    original: { status: { addresses: [{ type: "InternalIP", address: "10.0.0.1" }, { type: "Hostname", address: "n1" }] } },
    patch: { status: { addresses: [{ type: "InternalIP", address: "10.0.0.2" }] } },
    expected: { status: { addresses: [{ type: "InternalIP", address: "10.0.0.2" }, { type: "Hostname", address: "n1" }] } },
  },
  {
    name: "pod conditions merge by type",
    kind: "Pod",
    original: { status: { conditions: [{ type: "Ready", status: "False" }] } },
    patch: { status: { conditions: [{ type: "Ready", status: "True" }] } },
    expected: { status: { conditions: [{ type: "Ready", status: "True" }] } },
  },
  {
    name: "a $patch: delete item removes every item with that key",
    original: podSpec({ containers: [{ name: "a" }, { name: "b" }] }),
    patch: podSpec({ containers: [{ $patch: "delete", name: "a" }] }),
    expected: podSpec({ containers: [{ name: "b" }] }),
  },
  {
    name: "a $patch: replace item replaces the list with the other items",
    original: podSpec({ containers: [{ name: "a" }, { name: "b" }] }),
    patch: podSpec({ containers: [{ name: "c", image: "x" }, { $patch: "replace" }] }),
    expected: podSpec({ containers: [{ name: "c", image: "x" }] }),
  },
  {
    name: "a new list keeps no delete directives",
    original: podSpec({}),
    patch: podSpec({ containers: [{ name: "a" }, { $patch: "delete", name: "b" }] }),
    expected: podSpec({ containers: [{ name: "a" }] }),
  },

  // Ordering
  {
    name: "$setElementOrder reorders a list the patch does not touch",
    original: podSpec({ containers: [{ name: "a" }, { name: "b" }, { name: "c" }] }),
    patch: podSpec({ "$setElementOrder/containers": [{ name: "c" }, { name: "a" }, { name: "b" }] }),
    expected: podSpec({ containers: [{ name: "c" }, { name: "a" }, { name: "b" }] }),
  },
  {
    name: "$setElementOrder places a new item where it belongs",
    original: podSpec({ containers: [{ name: "a" }, { name: "c" }] }),
    patch: podSpec({ "$setElementOrder/containers": [{ name: "a" }, { name: "b" }, { name: "c" }], containers: [{ name: "b" }] }),
    expected: podSpec({ containers: [{ name: "a" }, { name: "b" }, { name: "c" }] }),
  },
  {
    name: "$setElementOrder puts a server-only item before the patch items that followed it on the server",
    original: podSpec({ containers: [{ name: "a" }, { name: "server" }, { name: "b" }] }),
    patch: podSpec({ "$setElementOrder/containers": [{ name: "b" }, { name: "a" }] }),
    expected: podSpec({ containers: [{ name: "server" }, { name: "b" }, { name: "a" }] }),
  },
  {
    name: "$setElementOrder orders a primitive merge list",
    original: meta({ finalizers: ["a", "b"] }),
    patch: meta({ "$setElementOrder/finalizers": ["c", "b", "a"], finalizers: ["c"] }),
    expected: meta({ finalizers: ["c", "b", "a"] }),
  },

  // Primitive lists
  { name: "finalizers merge as a set", original: meta({ finalizers: ["a", "b"] }), patch: meta({ finalizers: ["b", "c"] }), expected: meta({ finalizers: ["a", "b", "c"] }) },
  {
    name: "$deleteFromPrimitiveList removes finalizers",
    original: meta({ finalizers: ["a", "b", "c"] }),
    patch: meta({ "$deleteFromPrimitiveList/finalizers": ["b", "x"] }),
    expected: meta({ finalizers: ["a", "c"] }),
  },
  {
    name: "$deleteFromPrimitiveList with additions and an order (what kubectl apply sends)",
    original: meta({ finalizers: ["a", "b"] }),
    patch: meta({ "$setElementOrder/finalizers": ["a", "c"], "$deleteFromPrimitiveList/finalizers": ["b"], finalizers: ["c"] }),
    expected: meta({ finalizers: ["a", "c"] }),
  },
  { name: "$deleteFromPrimitiveList on a missing list is a no-op", original: meta({}), patch: meta({ "$deleteFromPrimitiveList/finalizers": ["a"] }), expected: meta({}) },
  { name: "node podCIDRs merge as a set", kind: "Node", original: { spec: { podCIDRs: ["10.0.0.0/24"] } }, patch: { spec: { podCIDRs: ["fd00::/64"] } }, expected: { spec: { podCIDRs: ["fd00::/64", "10.0.0.0/24"] } } },

  // Atomic lists
  { name: "tolerations are replaced whole", original: podSpec({ tolerations: [{ key: "a", operator: "Exists" }] }), patch: podSpec({ tolerations: [{ key: "b", operator: "Exists" }] }), expected: podSpec({ tolerations: [{ key: "b", operator: "Exists" }] }) },
  { name: "args are replaced whole", original: container({ args: ["a", "b"] }), patch: container({ args: ["c"] }), expected: container({ args: ["c"] }) },
  { name: "command is replaced whole", original: container({ command: ["sh"] }), patch: container({ command: ["bash", "-c"] }), expected: container({ command: ["bash", "-c"] }) },
  { name: "lists the tables do not know are atomic", original: podSpec({ custom: [{ name: "a" }] }), patch: podSpec({ custom: [{ name: "b" }] }), expected: podSpec({ custom: [{ name: "b" }] }) },
  { name: "lists of unknown kinds are atomic", kind: "Widget", original: { spec: { containers: [{ name: "a" }] } }, patch: { spec: { containers: [{ name: "b" }] } }, expected: { spec: { containers: [{ name: "b" }] } } },
  { name: "an empty patch list leaves a merge list alone", original: podSpec({ containers: [{ name: "a" }] }), patch: podSpec({ containers: [] }), expected: podSpec({ containers: [{ name: "a" }] }) },

  // $retainKeys
  {
    name: "$retainKeys drops the keys it does not list (switching a volume's source)",
    original: podSpec({ volumes: [{ name: "data", hostPath: { path: "/var/data" } }] }),
    patch: podSpec({ volumes: [{ name: "data", emptyDir: {}, $retainKeys: ["emptyDir", "name"] }] }),
    expected: podSpec({ volumes: [{ name: "data", emptyDir: {} }] }),
  },
  {
    name: "$retainKeys keeps listed keys the patch does not set",
    original: { spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 }, extra: 1 } } },
    patch: { spec: { strategy: { $retainKeys: ["rollingUpdate", "type"], type: "RollingUpdate" } } },
    expected: { spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } } } },
  },
];

describe("applyStrategicMergePatch", () => {
  it.each(cases)("$name", ({ kind = "Pod", original, patch, expected }) => {
    expect(applyStrategicMergePatch(original, patch, kind)).toEqual(expected);
  });

  it("does not mutate its arguments", () => {
    const original = podSpec({ containers: [{ name: "a", image: "1" }] });
    const patch = podSpec({ "$setElementOrder/containers": [{ name: "a" }], containers: [{ name: "a", image: "2" }] });
    const before = JSON.stringify([original, patch]);
    applyStrategicMergePatch(original, patch, "Pod");
    expect(JSON.stringify([original, patch])).toBe(before);
  });
});

describe("applyStrategicMergePatch errors", () => {
  it.each([
    { name: "a patch that is not an object", original: {}, patch: [1], code: 400, message: "json: cannot unmarshal array into Go value of type map[string]interface {}" },
    { name: "$retainKeys that is not a list", original: podSpec({ volumes: [{ name: "a" }] }), patch: podSpec({ volumes: [{ name: "a", $retainKeys: "name" }] }), code: 400, message: "invalid patch format of retainKeys" },
    { name: "a patched key missing from $retainKeys", original: podSpec({ volumes: [{ name: "a" }] }), patch: podSpec({ volumes: [{ name: "a", emptyDir: {}, $retainKeys: ["name"] }] }), code: 400, message: "invalid patch format of retainKeys" },
    { name: "a malformed $setElementOrder key", original: podSpec({}), patch: podSpec({ $setElementOrderContainers: [] }), code: 400, message: "invalid patch format of setElementOrder list" },
    { name: "a malformed $deleteFromPrimitiveList key", original: meta({}), patch: meta({ $deleteFromPrimitiveListFinalizers: [] }), code: 400, message: "invalid patch format of primitive list" },
    { name: "an unknown $patch on a map", original: podSpec({ nodeSelector: { a: "1" } }), patch: podSpec({ nodeSelector: { $patch: "merge" } }), code: 422, message: "unknown patch type: merge in map: map[$patch:merge]" },
    { name: "$patch: merge in a list", original: podSpec({ containers: [{ name: "a" }] }), patch: podSpec({ containers: [{ $patch: "merge" }] }), code: 422, message: "merging lists cannot yet be specified in the patch" },
    { name: "a list item without its merge key", original: podSpec({ containers: [{ name: "a" }] }), patch: podSpec({ containers: [{ image: "x" }] }), code: 422, message: "map: map[image:x] does not contain declared merge key: name" },
    { name: "a delete directive without its merge key", original: podSpec({ containers: [{ name: "a" }] }), patch: podSpec({ containers: [{ $patch: "delete" }] }), code: 422, message: "map: map[$patch:delete] does not contain declared merge key: name" },
    { name: "mixed element types", original: meta({ finalizers: ["a"] }), patch: meta({ finalizers: [1] }), code: 422, message: "list element types are not identical: [[a] [1]]" },
    { name: "a list of lists", original: meta({ finalizers: [["a"]] }), patch: meta({ finalizers: [["b"]] }), code: 422, message: "lists of lists are not supported" },
    {
      name: "$setElementOrder contradicting the patch order",
      original: podSpec({ containers: [{ name: "a" }, { name: "b" }] }),
      patch: podSpec({ "$setElementOrder/containers": [{ name: "a" }, { name: "b" }], containers: [{ name: "b" }, { name: "a" }] }),
      code: 422,
      message: "The order in patch list:",
    },
  ])("rejects $name", ({ original, patch, code, message }) => {
    let error: unknown;
    try {
      applyStrategicMergePatch(original, patch, "Pod");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PatchError);
    expect((error as PatchError).code).toBe(code);
    expect((error as PatchError).message.startsWith(message)).toBe(true);
  });
});
