import { describe, expect, it } from "vitest";
import { clampSyncInterval, defaultSyncBackoff, nextSyncDelay, syncBackoffDelay } from "./sync-backoff.ts";

const middle = () => 0.5;
const low = () => 0;
const high = () => 0.999999;

describe("syncBackoffDelay", () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [6, 32_000],
    [7, 60_000],
    [50, 60_000],
  ])("failure %d waits %d ms without jitter", (failures, want) => {
    expect(syncBackoffDelay(failures, defaultSyncBackoff, middle)).toBe(want);
  });

  it.each([
    [low, 3600],
    [high, 4400],
  ])("jitters by at most 10%% (%#)", (random, want) => {
    expect(syncBackoffDelay(3, defaultSyncBackoff, random)).toBe(want);
  });

  it("never exceeds the maximum after jitter", () => {
    expect(syncBackoffDelay(9, defaultSyncBackoff, high)).toBe(60_000);
  });
});

describe("nextSyncDelay", () => {
  it.each([
    [10, middle, 10_000],
    [10, low, 9000],
    [10, high, 11_000],
    [0.5, middle, 500],
  ])("interval %d s -> %d ms (%#)", (seconds, random, want) => {
    expect(nextSyncDelay(seconds, random)).toBe(want);
  });
});

describe("clampSyncInterval", () => {
  it.each([
    { name: "an ordinary interval", seconds: 10, want: 10 },
    { name: "less than a second", seconds: 0.001, want: 1 },
    { name: "more than an hour", seconds: 86_400, want: 3600 },
    { name: "past what setTimeout holds", seconds: 3e6, want: 3600 },
    { name: "zero", seconds: 0, want: undefined },
    { name: "negative", seconds: -5, want: undefined },
    { name: "not a number", seconds: Number.NaN, want: undefined },
    { name: "a string", seconds: "10", want: undefined },
    { name: "missing", seconds: undefined, want: undefined },
  ])("$name", ({ seconds, want }) => {
    expect(clampSyncInterval(seconds)).toBe(want);
  });
});
