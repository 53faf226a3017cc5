import { describe, expect, it } from "vitest";
import type { PodTemplateSpec } from "../../resources/types.ts";
import { computeTemplateHash, fnv32a, safeEncodeString } from "./hash.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const template = (image: string, extra: Partial<PodTemplateSpec["spec"]> = {}): PodTemplateSpec => ({
  metadata: { labels: { app: "a" } },
  spec: { containers: [{ name: "c", image }], ...extra },
});

describe("fnv32a", () => {
  it.each([
    { input: "", want: 0x811c9dc5 },
    { input: "a", want: 0xe40c292c },
    { input: "foobar", want: 0xbf9cf968 },
  ])("hashes $input like hash/fnv New32a", ({ input, want }) => {
    expect(fnv32a(bytes(input))).toBe(want);
  });

  it("continues from a previous digest like successive Writes", () => {
    expect(fnv32a(bytes("bar"), fnv32a(bytes("foo")))).toBe(fnv32a(bytes("foobar")));
  });
});

describe("safeEncodeString", () => {
  it("maps decimal digits onto the safe alphabet", () => {
    expect(safeEncodeString("0123456789")).toBe("456789bcdf");
  });
});

describe("computeTemplateHash", () => {
  it("is stable and uses only safe characters", () => {
    const h = computeTemplateHash(template("nginx:1"));
    expect(h).toBe(computeTemplateHash(template("nginx:1")));
    expect(h).toMatch(/^[456789bcdf]+$/);
  });

  it.each([
    { name: "key order", a: { spec: { containers: [{ name: "c", image: "x" }] }, metadata: { labels: { a: "1", b: "2" } } }, b: { metadata: { labels: { b: "2", a: "1" } }, spec: { containers: [{ image: "x", name: "c" }] } } },
    { name: "creationTimestamp null", a: { metadata: { creationTimestamp: null, labels: { a: "1" } }, spec: { containers: [{ name: "c" }] } }, b: { metadata: { labels: { a: "1" } }, spec: { containers: [{ name: "c" }] } } },
    { name: "empty maps and lists", a: { metadata: { labels: { a: "1" }, annotations: {} }, spec: { containers: [{ name: "c", env: [] }], tolerations: [] } }, b: { metadata: { labels: { a: "1" } }, spec: { containers: [{ name: "c" }] } } },
  ])("ignores $name", ({ a, b }) => {
    expect(computeTemplateHash(a as PodTemplateSpec)).toBe(computeTemplateHash(b as PodTemplateSpec));
  });

  it("changes with the template", () => {
    expect(computeTemplateHash(template("nginx:1"))).not.toBe(computeTemplateHash(template("nginx:2")));
  });

  it("changes with a collision count, and 0 differs from none", () => {
    const none = computeTemplateHash(template("x"));
    const zero = computeTemplateHash(template("x"), 0);
    const one = computeTemplateHash(template("x"), 1);
    expect(new Set([none, zero, one]).size).toBe(3);
  });
});
