import { describe, expect, it } from "vitest";
import type { IntOrString } from "../../resources/types.ts";
import { newDaemonSet } from "./test-fixtures.ts";
import { allowsSurge, maxUnavailableAndSurge } from "./update-counts.ts";

const ds = (maxUnavailable?: IntOrString, maxSurge?: IntOrString, type: "RollingUpdate" | "OnDelete" = "RollingUpdate") =>
  newDaemonSet("x", (d) => (d.spec.updateStrategy = { type, rollingUpdate: { maxUnavailable, maxSurge } }));

describe("maxUnavailableAndSurge (updatedDesiredNodeCounts)", () => {
  it.each([
    { name: "10% of 15 rounds up", mu: "10%", ms: 0, desired: 15, want: { maxUnavailable: 2, maxSurge: 0 } },
    { name: "10% of 5", mu: "10%", ms: 0, desired: 5, want: { maxUnavailable: 1, maxSurge: 0 } },
    { name: "50% of 3", mu: "50%", ms: 0, desired: 3, want: { maxUnavailable: 2, maxSurge: 0 } },
    { name: "surge 25% of 5", mu: 0, ms: "25%", desired: 5, want: { maxUnavailable: 0, maxSurge: 2 } },
    { name: "100% of 2", mu: "100%", ms: 0, desired: 2, want: { maxUnavailable: 2, maxSurge: 0 } },
    { name: "both zero with desired nodes allows one", mu: 0, ms: 0, desired: 4, want: { maxUnavailable: 1, maxSurge: 0 } },
    { name: "both zero without desired nodes", mu: 0, ms: 0, desired: 0, want: { maxUnavailable: 0, maxSurge: 0 } },
  ])("$name", ({ mu, ms, desired, want }) => {
    expect(maxUnavailableAndSurge(ds(mu, ms), desired)).toEqual(want);
  });

  it("is all zero for OnDelete", () => {
    expect(maxUnavailableAndSurge(ds(5, 5, "OnDelete"), 0)).toEqual({ maxUnavailable: 0, maxSurge: 0 });
  });

  it.each([
    { name: "maxUnavailable without %", mu: "10", ms: 0, error: /MaxUnavailable/ },
    { name: "missing maxUnavailable", mu: undefined, ms: 0, error: /MaxUnavailable.*nil/ },
    { name: "maxSurge without %", mu: 0, ms: "1", error: /MaxSurge/ },
  ])("rejects $name", ({ mu, ms, error }) => {
    expect(() => maxUnavailableAndSurge(ds(mu, ms), 5)).toThrow(error);
  });
});

describe("allowsSurge", () => {
  it.each([
    { ms: 1, want: true },
    { ms: "1%", want: true },
    { ms: 0, want: false },
    { ms: "0%", want: false },
    { ms: undefined, want: false },
    { ms: "junk", want: false },
  ])("maxSurge $ms -> $want", ({ ms, want }) => {
    expect(allowsSurge(ds(0, ms))).toBe(want);
  });
});
