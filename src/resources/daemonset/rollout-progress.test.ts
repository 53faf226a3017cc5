import { describe, expect, it } from "vitest";
import type { DaemonSet, DaemonSetCondition } from "../types.ts";
import { describeRolloutProgress, formatRolloutCounts, parseRolloutCounts, type RolloutCounts } from "./rollout-progress.ts";

const counts: RolloutCounts = { desired: 5, updated: 3, offline: 2, notReady: 0, crashLooping: 0, deferred: 0, pending: 0, heldPartition: 0, heldSelector: 0, heldPaused: 0 };

function ds(status: Partial<NonNullable<DaemonSet["status"]>>, progressing?: Partial<DaemonSetCondition>, annotation?: string): DaemonSet {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "web", generation: 2, ...(annotation ? { annotations: { "rollout.edgeset.dev/status": annotation } } : {}) },
    spec: { selector: {}, template: { spec: { containers: [] } }, updateStrategy: { type: "RollingUpdate" } },
    status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, observedGeneration: 2, ...status, ...(progressing ? { conditions: [{ type: "Progressing", status: "True", ...progressing } as DaemonSetCondition] } : {}) },
  } as DaemonSet;
}

describe("rollout counts annotation", () => {
  it("round-trips, and stays under describe's 140 characters", () => {
    const text = formatRolloutCounts(counts);
    expect(parseRolloutCounts(text)).toEqual(counts);
    expect(text.length).toBeLessThan(140);
    expect(parseRolloutCounts("something else")).toBeUndefined();
  });

  it("with pre-staging carries the staged count last, and round-trips", () => {
    const text = formatRolloutCounts({ ...counts, staged: 2 });
    expect(text).toMatch(/ held=partition:0,selector:0,paused:0 staged=2$/);
    expect(parseRolloutCounts(text)).toEqual({ ...counts, staged: 2 });
    expect(text.length).toBeLessThan(140);
  });
});

describe("describeRolloutProgress", () => {
  it("without a policy: the kubectl rule", () => {
    expect(describeRolloutProgress(ds({ desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 1 })).done).toBe(false);
    expect(describeRolloutProgress(ds({ desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 })).done).toBe(true);
  });

  it("held on offline nodes: done, and says how many are left", () => {
    const p = describeRolloutProgress(ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }, { reason: "RolloutHeld", message: "2 left (2 offline)" }, formatRolloutCounts(counts)));
    expect(p).toMatchObject({ done: true, failed: false });
    expect(p.line).toContain("updated 3/5");
    expect(p.line).toContain("offline 2");
    expect(p.line).not.toContain("staged");
  });

  it("with pre-staging says how many nodes have the revision staged", () => {
    const p = describeRolloutProgress(ds({}, { status: "Unknown", reason: "RolloutPaused", message: "paused" }, formatRolloutCounts({ ...counts, updated: 0, offline: 0, heldPaused: 5, staged: 4 })));
    expect(p.line).toContain("staged 4");
  });

  it("failed, paused, and a generation not yet observed", () => {
    expect(describeRolloutProgress(ds({}, { status: "False", reason: "FailureThresholdExceeded", message: "x" }))).toMatchObject({ done: true, failed: true });
    expect(describeRolloutProgress(ds({}, { status: "Unknown", reason: "RolloutPaused", message: "x" }))).toMatchObject({ done: false });
    expect(describeRolloutProgress(ds({ observedGeneration: 1 }, { reason: "RolloutComplete" })).done).toBe(false);
  });
});
