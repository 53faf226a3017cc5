import { describe, expect, it } from "vitest";
import { duplicateKeysInText } from "./json-duplicates.ts";

describe("duplicateKeysInText", () => {
  it.each([
    ['{"a":1,"b":2}', []],
    ['{"a":1,"a":2}', ["a"]],
    ['{"metadata":{"name":"x","name":"y"}}', ["metadata.name"]],
    ['{"a":{"x":1},"b":{"x":1}}', []], // the same key in two objects
    ['{"spec":{"containers":[{"name":"a"},{"name":"b","image":"i","image":"j"}]}}', ["spec.containers[1].image"]],
    ['{"a":"\\"a\\":1,\\"a\\":2"}', []], // keys inside strings are text
    ['{"\\u0061":1,"a":2}', ["a"]], // the same key, escaped once
    ['{"a":[{"b":1,"b":2}],"a":3}', ["a[0].b", "a"]],
    ['[{"k":1,"k":2},{"k":3}]', ["[0].k"]],
    ['{"a":1,"a":2,"a":3}', ["a"]], // once per path
  ])("%s → %j", (text, expected) => {
    expect(duplicateKeysInText(text)).toEqual(expected);
  });

  it("reports at most 100, however many there are", () => {
    const text = `{${Array.from({ length: 500 }, (_, i) => `"k${i}":{"x":1,"x":2}`).join(",")}}`;
    expect(duplicateKeysInText(text)).toHaveLength(100);
  });
});
