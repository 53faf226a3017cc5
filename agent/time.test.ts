import { describe, expect, it } from "vitest";
import { formatGoDuration, formatTimestamp } from "./time.ts";

describe("formatTimestamp", () => {
  it.each([
    [Date.UTC(2024, 0, 2, 3, 4, 5, 0), "2024-01-02T03:04:05Z"],
    [Date.UTC(2024, 0, 2, 3, 4, 5, 999), "2024-01-02T03:04:05Z"],
    [0, "1970-01-01T00:00:00Z"],
  ])("%d -> %s", (ms, want) => {
    expect(formatTimestamp(ms)).toBe(want);
  });
});

describe("formatGoDuration", () => {
  it.each([
    [0, "0s"],
    [50, "50ms"],
    [1500, "1.5s"],
    [10_000, "10s"],
    [80_000, "1m20s"],
    [160_000, "2m40s"],
    [300_000, "5m0s"],
    [3_600_000, "1h0m0s"],
    [3_723_000, "1h2m3s"],
  ])("%d ms -> %s", (ms, want) => {
    expect(formatGoDuration(ms)).toBe(want);
  });
});
