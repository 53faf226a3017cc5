import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.ts";
import { parseResourceVersion, validateListOptions, type ListOptionsQuery } from "./list-options.ts";

const messages = (o: ListOptionsQuery) => validateListOptions(o).map((e) => `${e.field}: ${e.message}`);

describe("validateListOptions, as apimachinery's ValidateListOptions (WatchList off)", () => {
  it.each<[string, ListOptionsQuery, string[]]>([
    ["a plain list", { watch: false }, []],
    ["a list at a version", { watch: false, resourceVersion: "5" }, []],
    ["Exact at a version", { watch: false, resourceVersion: "5", resourceVersionMatch: "Exact" }, []],
    ["NotOlderThan at 0", { watch: false, resourceVersion: "0", resourceVersionMatch: "NotOlderThan" }, []],
    ["a match without a version", { watch: false, resourceVersionMatch: "NotOlderThan" }, ["resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"]],
    ["a match with continue", { watch: false, resourceVersion: "5", resourceVersionMatch: "Exact", continue: "abc" }, ["resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided"]],
    ["an unknown match", { watch: false, resourceVersion: "5", resourceVersionMatch: "exact" }, ['resourceVersionMatch: Unsupported value: "exact": supported values: "Exact", "NotOlderThan", ""']],
    ["Exact at 0", { watch: false, resourceVersion: "0", resourceVersionMatch: "Exact" }, ['resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"']],
    ["sendInitialEvents on a list", { watch: false, sendInitialEvents: "true" }, ["sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"]],
    ["a plain watch", { watch: true, resourceVersion: "5" }, []],
    ["a match on a watch", { watch: true, resourceVersionMatch: "NotOlderThan" }, ["resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"]],
    [
      "Exact on a watch",
      { watch: true, resourceVersionMatch: "Exact" },
      ["resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided", 'resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"'],
    ],
    [
      "sendInitialEvents on a watch",
      { watch: true, sendInitialEvents: "true" },
      ["resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan", "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"],
    ],
    ["sendInitialEvents with NotOlderThan", { watch: true, sendInitialEvents: "true", resourceVersionMatch: "NotOlderThan" }, ["sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"]],
  ])("%s", (_what, options, expected) => {
    expect(messages(options)).toEqual(expected);
  });
});

describe("parseResourceVersion, as strconv.ParseUint(s, 10, 64)", () => {
  it.each([
    ["", 0],
    ["0", 0],
    ["00", 0],
    ["17", 17],
    ["9007199254740991", 9007199254740991],
    ["18446744073709551615", Number.POSITIVE_INFINITY],
  ])("%j is %d", (raw, expected) => {
    expect(parseResourceVersion(raw)).toBe(expected);
  });

  it.each([
    ["abc", "invalid syntax"],
    ["-1", "invalid syntax"],
    ["+1", "invalid syntax"],
    ["1e3", "invalid syntax"],
    [" 1", "invalid syntax"],
    ["18446744073709551616", "value out of range"],
    ["1".repeat(300), "value out of range"],
  ])("%j is 400 (%s)", (raw, why) => {
    let error: unknown;
    try {
      parseResourceVersion(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(400);
    expect((error as ApiError).message).toMatch(/^invalid resource version: resourceVersion: Invalid value: ".*": strconv.ParseUint: parsing ".*": /);
    expect((error as ApiError).message.endsWith(why)).toBe(true);
    expect((error as ApiError).message.length).toBeLessThan(300);
  });
});
