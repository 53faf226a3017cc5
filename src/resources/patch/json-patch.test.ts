/** JSON Patch (RFC 6902) operations, pointers and failures, with the apiserver's error wording. */
import { describe, expect, it } from "vitest";
import { applyJsonPatch } from "./json-patch.ts";
import { PatchError } from "./patch-error.ts";

const doc = () => ({
  metadata: { name: "x", annotations: { "kubectl.kubernetes.io/restartedAt": "t0", "a~b": "tilde" } },
  spec: { containers: [{ name: "a" }, { name: "b" }], replicas: 1 },
});

describe("applyJsonPatch", () => {
  it.each([
    { name: "add a member", ops: [{ op: "add", path: "/spec/paused", value: true }], check: (d: any) => d.spec.paused, expected: true },
    { name: "add replaces an existing member", ops: [{ op: "add", path: "/spec/replicas", value: 3 }], check: (d: any) => d.spec.replicas, expected: 3 },
    { name: "add inserts at an index", ops: [{ op: "add", path: "/spec/containers/1", value: { name: "c" } }], check: (d: any) => d.spec.containers.map((c: any) => c.name), expected: ["a", "c", "b"] },
    { name: "add appends with -", ops: [{ op: "add", path: "/spec/containers/-", value: { name: "c" } }], check: (d: any) => d.spec.containers.map((c: any) => c.name), expected: ["a", "b", "c"] },
    { name: "add at the array length appends", ops: [{ op: "add", path: "/spec/containers/2", value: { name: "c" } }], check: (d: any) => d.spec.containers.length, expected: 3 },
    { name: "remove a member", ops: [{ op: "remove", path: "/spec/replicas" }], check: (d: any) => "replicas" in d.spec, expected: false },
    { name: "remove an array item", ops: [{ op: "remove", path: "/spec/containers/0" }], check: (d: any) => d.spec.containers, expected: [{ name: "b" }] },
    { name: "replace a member", ops: [{ op: "replace", path: "/metadata/name", value: "y" }], check: (d: any) => d.metadata.name, expected: "y" },
    { name: "replace an array item", ops: [{ op: "replace", path: "/spec/containers/1", value: { name: "z" } }], check: (d: any) => d.spec.containers, expected: [{ name: "a" }, { name: "z" }] },
    { name: "~1 escapes a slash", ops: [{ op: "replace", path: "/metadata/annotations/kubectl.kubernetes.io~1restartedAt", value: "t1" }], check: (d: any) => d.metadata.annotations["kubectl.kubernetes.io/restartedAt"], expected: "t1" },
    { name: "~0 escapes a tilde", ops: [{ op: "remove", path: "/metadata/annotations/a~0b" }], check: (d: any) => "a~b" in d.metadata.annotations, expected: false },
    { name: "move a member", ops: [{ op: "move", from: "/spec/replicas", path: "/spec/count" }], check: (d: any) => [d.spec.count, d.spec.replicas], expected: [1, undefined] },
    { name: "move an array item", ops: [{ op: "move", from: "/spec/containers/0", path: "/spec/containers/-" }], check: (d: any) => d.spec.containers, expected: [{ name: "b" }, { name: "a" }] },
    { name: "copy a value deeply", ops: [{ op: "copy", from: "/spec/containers/0", path: "/spec/first" }, { op: "replace", path: "/spec/first/name", value: "q" }], check: (d: any) => [d.spec.first, d.spec.containers[0]], expected: [{ name: "q" }, { name: "a" }] },
    { name: "a passing test changes nothing", ops: [{ op: "test", path: "/spec/containers", value: [{ name: "a" }, { name: "b" }] }], check: (d: any) => d, expected: doc() },
    { name: "test of a missing member against null passes", ops: [{ op: "test", path: "/spec/missing", value: null }], check: (d: any) => d, expected: doc() },
    { name: "operations apply in order", ops: [{ op: "add", path: "/spec/x", value: {} }, { op: "add", path: "/spec/x/y", value: 1 }], check: (d: any) => d.spec.x, expected: { y: 1 } },
    { name: "a null body is an empty patch", ops: null, check: (d: any) => d, expected: doc() },
  ])("$name", ({ ops, check, expected }) => {
    expect(check(applyJsonPatch(doc(), ops))).toEqual(expected);
  });

  it("does not change the target when a later operation fails", () => {
    const target = doc();
    expect(() => applyJsonPatch(target, [{ op: "remove", path: "/spec/replicas" }, { op: "test", path: "/metadata/name", value: "nope" }])).toThrow(PatchError);
    expect(target).toEqual(doc());
  });
});

describe("applyJsonPatch errors", () => {
  it.each([
    { name: "a failing test", ops: [{ op: "test", path: "/metadata/name", value: "y" }], code: 422, message: "testing value /metadata/name failed: test failed" },
    { name: "a test of a missing member", ops: [{ op: "test", path: "/spec/missing", value: 1 }], code: 422, message: "testing value /spec/missing failed: test failed" },
    { name: "a pointer through a missing member", ops: [{ op: "add", path: "/spec/nope/x", value: 1 }], code: 422, message: 'add operation does not apply: doc is missing path: "/spec/nope/x": missing value' },
    { name: "a pointer through a scalar", ops: [{ op: "add", path: "/spec/replicas/x", value: 1 }], code: 422, message: 'add operation does not apply: doc is missing path: "/spec/replicas/x": missing value' },
    { name: "a pointer without a leading slash", ops: [{ op: "add", path: "spec", value: 1 }], code: 422, message: 'add operation does not apply: doc is missing path: "spec": missing value' },
    { name: "the whole-document pointer", ops: [{ op: "replace", path: "", value: {} }], code: 422, message: "replace operation does not apply: doc is missing path: : missing value" },
    { name: "removing a missing member", ops: [{ op: "remove", path: "/spec/nope" }], code: 422, message: "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value" },
    { name: "replacing a missing member", ops: [{ op: "replace", path: "/spec/nope", value: 1 }], code: 422, message: "replace operation does not apply: doc is missing key: /spec/nope: missing value" },
    { name: "an index past the end", ops: [{ op: "add", path: "/spec/containers/5", value: {} }], code: 422, message: "error in add for path: '/spec/containers/5': Unable to access invalid index: 5: invalid index referenced" },
    { name: "a non-numeric index", ops: [{ op: "remove", path: "/spec/containers/x" }], code: 422, message: "error in remove for path: '/spec/containers/x': strconv.Atoi: parsing \"x\": invalid syntax" },
    { name: "a negative index", ops: [{ op: "remove", path: "/spec/containers/-1" }], code: 422, message: "error in remove for path: '/spec/containers/-1'" },
    { name: "moving from a missing member", ops: [{ op: "move", from: "/spec/nope", path: "/spec/x" }], code: 422, message: "error in move for path: '/spec/nope'" },
    { name: "an operation without a path", ops: [{ op: "add", value: 1 }], code: 422, message: "add operation failed to decode path: missing value" },
    { name: "an unknown operation", ops: [{ op: "frobnicate", path: "/spec" }], code: 422, message: "Unexpected kind: frobnicate" },
    { name: "a body that is not a list", ops: { op: "add" }, code: 400, message: "json: cannot unmarshal object into Go value of type jsonpatch.Patch" },
    { name: "an operation that is not an object", ops: ["add"], code: 400, message: "json: cannot unmarshal string into Go value of type jsonpatch.Operation" },
  ])("rejects $name", ({ ops, code, message }) => {
    let error: unknown;
    try {
      applyJsonPatch(doc(), ops);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PatchError);
    expect((error as PatchError).code).toBe(code);
    expect((error as PatchError).message.startsWith(message)).toBe(true);
  });
});
