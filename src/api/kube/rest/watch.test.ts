import { describe, expect, it } from "vitest";
import { watchEventType } from "./watch.ts";

describe("watchEventType", () => {
  it.each([
    // change, matched before, matches now, what the watcher is told
    ["ADDED", false, true, "ADDED"],
    ["ADDED", false, false, undefined],
    ["MODIFIED", true, true, "MODIFIED"],
    ["MODIFIED", false, true, "MODIFIED"], // changed before this watch saw it: it may have matched all along
    ["MODIFIED", true, false, "DELETED"], // stopped matching the selector
    ["MODIFIED", false, false, undefined],
    ["ADDED", true, true, "ADDED"],
    ["DELETED", true, false, "DELETED"],
    ["DELETED", false, true, "DELETED"],
    ["DELETED", false, false, undefined],
  ] as const)("%s, matched before %s, matches %s → %s", (change, was, matches, expected) => {
    expect(watchEventType(change, was, matches)).toBe(expected);
  });
});
