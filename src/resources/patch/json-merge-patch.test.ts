/** JSON Merge Patch: the examples of RFC 7386 Appendix A, plus immutability. */
import { describe, expect, it } from "vitest";
import { applyJsonMergePatch } from "./json-merge-patch.ts";

describe("applyJsonMergePatch (RFC 7386 Appendix A)", () => {
  it.each([
    { target: { a: "b" }, patch: { a: "c" }, result: { a: "c" } },
    { target: { a: "b" }, patch: { b: "c" }, result: { a: "b", b: "c" } },
    { target: { a: "b" }, patch: { a: null }, result: {} },
    { target: { a: "b", b: "c" }, patch: { a: null }, result: { b: "c" } },
    { target: { a: ["b"] }, patch: { a: "c" }, result: { a: "c" } },
    { target: { a: "c" }, patch: { a: ["b"] }, result: { a: ["b"] } },
    { target: { a: { b: "c" } }, patch: { a: { b: "d", c: null } }, result: { a: { b: "d" } } },
    { target: { a: [{ b: "c" }] }, patch: { a: [1] }, result: { a: [1] } },
    { target: ["a", "b"], patch: ["c", "d"], result: ["c", "d"] },
    { target: { a: "b" }, patch: ["c"], result: ["c"] },
    { target: { a: "foo" }, patch: null, result: null },
    { target: { a: "foo" }, patch: "bar", result: "bar" },
    { target: { e: null }, patch: { a: 1 }, result: { e: null, a: 1 } },
    { target: [1, 2], patch: { a: "b", c: null }, result: { a: "b" } },
    { target: {}, patch: { a: { bb: { ccc: null } } }, result: { a: { bb: {} } } },
  ])("$target + $patch = $result", ({ target, patch, result }) => {
    expect(applyJsonMergePatch(target, patch)).toEqual(result);
  });

  it("does not mutate the target", () => {
    const target = { metadata: { labels: { a: "1" } } };
    applyJsonMergePatch(target, { metadata: { labels: { a: null, b: "2" } } });
    expect(target).toEqual({ metadata: { labels: { a: "1" } } });
  });
});
