import { describe, expect, it } from "vitest";
import { defaultSyncBackoff, nextSyncDelay, syncBackoffDelay } from "./sync-backoff.ts";

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
