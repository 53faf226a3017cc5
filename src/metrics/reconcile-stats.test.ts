import { describe, expect, it } from "vitest";
import { emptyReconcileStats, observePass, passBuckets } from "./reconcile-stats.ts";

describe("observePass", () => {
  it("counts a pass in every bucket at or above its duration", () => {
    const stats = observePass(emptyReconcileStats(), 0.03, false);
    expect(stats.buckets).toEqual(passBuckets.map((le) => (0.03 <= le ? 1 : 0)));
    expect(stats).toMatchObject({ passes: 1, failures: 0, sumSeconds: 0.03 });
  });

  it("counts a pass longer than the last bucket only in the total (+Inf)", () => {
    const stats = observePass(emptyReconcileStats(), 60, true);
    expect(stats.buckets.every((n) => n === 0)).toBe(true);
    expect(stats).toMatchObject({ passes: 1, failures: 1, sumSeconds: 60 });
  });

  it("adds up", () => {
    const stats = [0.005, 0.2, 3].reduce((s, d) => observePass(s, d, false), emptyReconcileStats());
    expect(stats.passes).toBe(3);
    expect(stats.buckets[passBuckets.indexOf(0.25)]).toBe(2);
    expect(stats.buckets[passBuckets.indexOf(5)]).toBe(3);
  });
});
