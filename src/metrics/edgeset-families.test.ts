import { describe, expect, it } from "vitest";
import type { DaemonSet } from "../resources/types.ts";
import { controllerFamilies, rolloutInProgress, shardFamilies } from "./edgeset-families.ts";
import { emptyReconcileStats, observePass } from "./reconcile-stats.ts";

const ds = (status: DaemonSet["status"], strategy = "RollingUpdate", generation = 2): DaemonSet =>
  ({ apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "web", namespace: "default", generation }, spec: { updateStrategy: { type: strategy } }, status }) as DaemonSet;
const status = (desired: number, updated: number, available: number, observedGeneration = 2) => ({ desiredNumberScheduled: desired, currentNumberScheduled: desired, numberReady: available, numberMisscheduled: 0, updatedNumberScheduled: updated, numberAvailable: available, observedGeneration });

describe("rolloutInProgress", () => {
  it.each<[string, DaemonSet, boolean]>([
    ["everything updated and available", ds(status(3, 3, 3)), false],
    ["an empty DaemonSet", ds(status(0, 0, 0)), false],
    ["pods still on the old template", ds(status(3, 2, 3)), true],
    ["updated but not all available", ds(status(3, 3, 2)), true],
    ["the latest generation not observed yet", ds(status(3, 3, 3, 1)), true],
    ["no status yet", ds(undefined), true],
    ["OnDelete never rolls out by itself", ds(status(3, 0, 3), "OnDelete"), false],
  ])("%s", (_name, daemonSet, expected) => {
    expect(rolloutInProgress(daemonSet)).toBe(expected);
  });
});

describe("shardFamilies", () => {
  const families = shardFamilies([
    { shard: 0, stats: { startedAt: 1_000, nodes: { True: 3, Unknown: 1 }, syncs: { "304/shard": 7, "200/write": 2 } } },
    { shard: 1, stats: { startedAt: 2_000, nodes: { True: 2 }, syncs: {} } },
    { shard: 2 },
  ]);
  const family = (name: string) => families.find((f) => f.name === name)!;

  it("sums the nodes over the shards that answered", () => {
    expect(family("edgeset_nodes").samples).toEqual([
      { labels: { ready: "True" }, value: 5 },
      { labels: { ready: "Unknown" }, value: 1 },
    ]);
  });

  it("keeps the sync counters per shard, with result and path as labels", () => {
    expect(family("edgeset_syncs_total").samples).toEqual([
      { labels: { shard: "0", result: "304", path: "shard" }, value: 7 },
      { labels: { shard: "0", result: "200", path: "write" }, value: 2 },
    ]);
  });

  it("says which shard did not answer", () => {
    expect(family("edgeset_node_shard_up").samples.map((s) => s.value)).toEqual([1, 1, 0]);
    expect(family("edgeset_node_shard_start_time_seconds").samples).toHaveLength(2);
  });
});

describe("controllerFamilies", () => {
  it("writes a histogram whose +Inf bucket is the pass count", () => {
    const stats = [0.02, 0.3, 20].reduce((s, d) => observePass(s, d, false), emptyReconcileStats());
    const histogram = controllerFamilies([{ ds: ds(status(1, 1, 1)), stats }, { ds: { ...ds(undefined), metadata: { name: "gone", namespace: "default" } } as DaemonSet }]).find((f) => f.type === "histogram")!;
    const bucket = (le: string) => histogram.samples.find((s) => s.suffix === "_bucket" && s.labels?.le === le)?.value;
    expect(bucket("0.025")).toBe(1);
    expect(bucket("0.5")).toBe(2);
    expect(bucket("10")).toBe(2);
    expect(bucket("+Inf")).toBe(3);
    expect(histogram.samples.find((s) => s.suffix === "_count")?.value).toBe(3);
    expect(histogram.samples.every((s) => s.labels?.daemonset === "web")).toBe(true);
  });
});
