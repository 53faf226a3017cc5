import { describe, expect, it } from "vitest";
import { watchEventType, watchTimeoutSeconds } from "./watch.ts";

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

describe("watchTimeoutSeconds", () => {
  it.each([
    // timeoutSeconds, seconds the watch runs
    [undefined, 600],
    [0, 600], // the apiserver's own default; ours is the cap
    [30, 30],
    [600, 600],
    [86400, 600],
    [-1, 0], // a deadline already past: the stream ends at once, as in the apiserver
    [-9007199254740991, 0],
  ])("%s → %d", (requested, expected) => {
    expect(watchTimeoutSeconds(requested)).toBe(expected);
  });
});
