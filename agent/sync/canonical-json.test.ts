import { describe, expect, it } from "vitest";
import { stringifyCanonical } from "./canonical-json.ts";

describe("stringifyCanonical", () => {
  it.each([
    { name: "sorts keys", value: { b: 1, a: 2 }, want: '{"a":2,"b":1}' },
    { name: "sorts nested keys", value: { z: { y: 1, x: 2 } }, want: '{"z":{"x":2,"y":1}}' },
    { name: "keeps array order", value: { a: [3, 1, 2] }, want: '{"a":[3,1,2]}' },
    { name: "sorts keys inside arrays", value: [{ b: 1, a: 1 }], want: '[{"a":1,"b":1}]' },
    { name: "drops undefined members", value: { a: undefined, b: null }, want: '{"b":null}' },
    { name: "keeps scalars", value: "x", want: '"x"' },
  ])("$name", ({ value, want }) => {
    expect(stringifyCanonical(value)).toBe(want);
  });

  it("gives the same bytes whatever the build order", () => {
    const one = { node: { labels: { b: "1", a: "2" } }, pods: [] };
    const two = { pods: [], node: { labels: { a: "2", b: "1" } } };
    expect(stringifyCanonical(one)).toBe(stringifyCanonical(two));
  });
});
