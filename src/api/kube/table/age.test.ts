import { describe, expect, it } from "vitest";
import { age, humanDuration } from "./age.ts";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe("humanDuration (apimachinery duration.HumanDuration)", () => {
  it.each([
    [-5 * s, "0s"],
    [0, "0s"],
    [45 * s, "45s"],
    [119 * s, "119s"],
    [2 * m, "2m"],
    [3 * m + 20 * s, "3m20s"],
    [10 * m + 59 * s, "10m"],
    [179 * m, "179m"],
    [3 * h, "3h"],
    [5 * h + 3 * m, "5h3m"],
    [9 * h, "9h"],
    [47 * h, "47h"],
    [2 * d, "2d"],
    [3 * d + 4 * h, "3d4h"],
    [9 * d, "9d"],
    [400 * d, "400d"],
    [2 * 365 * d + 30 * d, "2y30d"],
    [3 * 365 * d, "3y"],
    [9 * 365 * d, "9y"],
  ])("%i ms is %s", (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe("age", () => {
  it("is measured from creationTimestamp to now", () => {
    expect(age("2026-01-01T00:00:00Z", Date.parse("2026-01-01T00:05:00Z"))).toBe("5m");
  });
  it("is <unknown> without a timestamp", () => {
    expect(age(undefined, 0)).toBe("<unknown>");
    expect(age(null, 0)).toBe("<unknown>");
  });
});
