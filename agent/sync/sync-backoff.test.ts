import { describe, expect, it } from "vitest";
import { clampSyncInterval, defaultSyncBackoff, nextSyncDelay, parseRetryAfter, retryAfterDelay, syncBackoffDelay } from "./sync-backoff.ts";

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

describe("retryAfterDelay", () => {
  it.each([
    // seconds, back-off, random, delay
    [10, 1000, 0, 10_000],
    [10, 1000, 0.5, 11_000],
    [10, 1000, 0.999, 11_998],
    [0, 4000, 0.5, 4000],
    [1, 60_000, 0.5, 60_000],
    [1e9, 1000, 0, 3_600_000],
    [-5, 1000, 0.5, 1000],
  ])("Retry-After %d s after a back-off of %d ms (random %d) waits %d ms", (seconds, backoff, random, delay) => {
    expect(retryAfterDelay(seconds, backoff, () => random)).toBe(delay);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-12-03T12:00:00Z");
  it.each<[string | undefined, number | undefined]>([
    ["17", 17],
    [" 3 ", 3],
    ["Thu, 03 Dec 2026 12:00:30 GMT", 30],
    ["Thu, 03 Dec 2026 11:00:00 GMT", 0],
    ["soon", undefined],
    ["-1", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("%j → %j", (header, seconds) => {
    expect(parseRetryAfter(header, now)).toBe(seconds);
  });
});
