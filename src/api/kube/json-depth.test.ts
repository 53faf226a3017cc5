import { describe, expect, it } from "vitest";
import { tooDeepInText, tooDeepInValue } from "./json-depth.ts";

describe("tooDeepInText", () => {
  it.each([
    ["a scalar", "1", 0, undefined],
    ["an object within the limit", '{"a":{"b":1}}', 2, undefined],
    ["an object past it", '{"a":{"b":{"c":1}}}', 2, "a.b"],
    ["a list past it", '{"a":[[1]]}', 2, "a[0]"],
    ["the second element", '{"a":[1,[2]]}', 2, "a[1]"],
    ["the second key", '{"a":1,"b":{"c":{}}}', 2, "b.c"],
    ["the root itself", "[[]]", 0, "<root>"],
    ["brackets inside strings", '{"a":"[[[[{{{{"}', 1, undefined],
    ["escaped quotes inside strings", '{"a":"\\"[[[[","b":1}', 1, undefined],
    ["a key after a nested value", '{"a":{"x":1},"b":[[1]]}', 2, "b[0]"],
    ["a long key, cut short", `{"${"k".repeat(100)}":[[1]]}`, 2, `${"k".repeat(64)}[0]`],
  ])("%s", (_what, text, max, expected) => {
    expect(tooDeepInText(text, max)).toBe(expected);
  });

  it("scans 100,000 levels without recursion", () => {
    expect(tooDeepInText("[".repeat(100_000) + "]".repeat(100_000))).toBe("[0]".repeat(100));
  });
});

describe("tooDeepInValue", () => {
  it.each([
    ["a scalar", 1, 0, undefined],
    ["within the limit", { a: { b: 1 } }, 2, undefined],
    ["past it", { a: { b: { c: 1 } } }, 2, "a.b"],
    ["a list past it", { a: [[1]] }, 2, "a[0]"],
  ])("%s", (_what, value, max, expected) => {
    expect(tooDeepInValue(value, max)).toBe(expected);
  });

  it("measures 100,000 levels without recursion", () => {
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(tooDeepInValue(value)).toBe("[0]".repeat(100));
  });
});
