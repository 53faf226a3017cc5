import { describe, expect, it } from "vitest";
import { edgeSettings, isHeldBack, isPaused, pausePatch, progressingCondition, promotePatch, resumePatch, rolloutCountsOf } from "./edge-rollout.ts";
import type { DaemonSet } from "./types.ts";

const ds = (annotations: Record<string, string>, status: DaemonSet["status"] = {}): DaemonSet => ({ metadata: { name: "web", annotations }, spec: { template: {} }, status });

describe("edgeSettings", () => {
  it("lists the rollout.edgeset.dev settings by name, without the controller's status or other annotations", () => {
    const settings = edgeSettings(ds({ "rollout.edgeset.dev/skip-offline": "true", "rollout.edgeset.dev/partition": "20%", "rollout.edgeset.dev/status": "updated=1/2", "kubernetes.io/change-cause": "x" }));
    expect(settings).toEqual([
      { name: "partition", value: "20%" },
      { name: "skip-offline", value: "true" },
    ]);
  });
  it("is empty without edge settings", () => {
    expect(edgeSettings({ metadata: { name: "web" }, spec: { template: {} } })).toEqual([]);
  });
});

it.each([
  [{}, false, false],
  [{ "rollout.edgeset.dev/paused": "true" }, true, true],
  [{ "rollout.edgeset.dev/paused": "false" }, false, true],
  [{ "rollout.edgeset.dev/partition": "3" }, false, true],
  [{ "rollout.edgeset.dev/selector": "ring=canary" }, false, true],
  [{ "rollout.edgeset.dev/skip-offline": "true" }, false, false],
])("%j: paused %s, held back %s", (annotations, paused, held) => {
  expect([isPaused(ds(annotations)), isHeldBack(ds(annotations))]).toEqual([paused, held]);
});

describe("rolloutCountsOf", () => {
  it("lists the controller's counts by the names the annotation gives them", () => {
    const counts = "updated=3/5 offline=2 not-ready=0 crash-looping=1 deferred=0 pending=0 held=partition:1,selector:0,paused:0";
    expect(rolloutCountsOf(ds({ "rollout.edgeset.dev/status": counts }))).toEqual({
      updated: 3,
      desired: 5,
      reasons: [
        ["offline", 2],
        ["not-ready", 0],
        ["crash-looping", 1],
        ["deferred", 0],
        ["pending", 0],
      ],
      held: [
        ["partition", 1],
        ["selector", 0],
        ["paused", 0],
      ],
    });
  });
  it.each([undefined, "", "nonsense", "updated=x/y held=a:b", `offline=1 ${"x".repeat(100_000)}`])("%j is no counts", (text) => {
    expect(rolloutCountsOf(ds(text === undefined ? {} : { "rollout.edgeset.dev/status": text }))).toBeUndefined();
  });
});

it("progressingCondition is the controller's Progressing condition", () => {
  expect(progressingCondition(ds({}, { conditions: [{ type: "Progressing", status: "Unknown", reason: "RolloutPaused" }] }))?.reason).toBe("RolloutPaused");
  expect(progressingCondition(ds({}))).toBeUndefined();
});

it("pause, resume and promote are annotation merge patches", () => {
  expect(JSON.parse(pausePatch())).toEqual({ metadata: { annotations: { "rollout.edgeset.dev/paused": "true" } } });
  expect(JSON.parse(resumePatch())).toEqual({ metadata: { annotations: { "rollout.edgeset.dev/paused": null } } });
  expect(JSON.parse(promotePatch())).toEqual({ metadata: { annotations: { "rollout.edgeset.dev/paused": null, "rollout.edgeset.dev/partition": null, "rollout.edgeset.dev/selector": null } } });
});
