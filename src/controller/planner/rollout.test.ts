import { describe, expect, it } from "vitest";
import type { DaemonSet } from "../../resources/types.ts";
import { annotate, fleet, type FleetSim } from "./rollout-fleet.ts";
import { seconds, T0 } from "./test-fixtures.ts";

const a = (settings: Record<string, string>) => (ds: DaemonSet) => {
  ds.metadata.annotations = { ...ds.metadata.annotations };
  for (const [k, v] of Object.entries(settings)) ds.metadata.annotations[`rollout.edgeset.dev/${k}`] = v;
};
const budget = (maxUnavailable: number | string) => (ds: DaemonSet) =>
  (ds.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable, maxSurge: 0 } });
const surge = (maxSurge: number) => (ds: DaemonSet) =>
  (ds.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge } });
const image = (img: string) => (ds: DaemonSet) => (ds.spec.template.spec.containers[0]!.image = img);

const release = (sim: FleetSim, image: string) => sim.world.editTemplate((ds) => (ds.spec.template.spec.containers[0]!.image = image));
const onImage = (sim: FleetSim, img: string) => Object.entries(sim.imagesOn()).filter(([, i]) => i === img).map(([n]) => n).sort();
const condition = (sim: FleetSim, type: string) => sim.world.ds.status?.conditions?.find((c) => c.type === type);
const statusAnnotation = (sim: FleetSim) => sim.world.ds.metadata.annotations?.["rollout.edgeset.dev/status"];

describe("partition", () => {
  it.each([
    ["2", 3],
    ["40%", 3],
    ["0", 5],
    ["0%", 5],
    ["10", 0], // larger than the fleet: nothing updates
    ["100%", 0],
  ])("partition %s of 5 nodes updates %i", (partition, updated) => {
    const sim = fleet(5, a({ partition }));
    release(sim, "v2");
    sim.settle();
    expect(onImage(sim, "v2")).toHaveLength(updated);
    expect(sim.maxUnavailableSeen).toBeLessThanOrEqual(1);
    // The nodes held back are outside the counts kubectl rollout status compares.
    expect(sim.world.ds.status).toMatchObject({ desiredNumberScheduled: updated, updatedNumberScheduled: updated, numberAvailable: updated });
    expect(condition(sim, "Progressing")).toMatchObject({ status: "True", reason: updated === 5 ? "RolloutComplete" : "RolloutHeld" });
    expect(statusAnnotation(sim)).toContain(`updated=${updated}/5`);
    expect(statusAnnotation(sim)).toContain(`partition:${5 - updated}`);
  });

  it("lowered step by step, updates the first nodes by name first", () => {
    const sim = fleet(4, a({ partition: "3", "skip-offline": "true" }));
    release(sim, "v2");
    sim.settle();
    expect(onImage(sim, "v2")).toEqual(["node-0"]);
    annotate(sim, { partition: "1" });
    sim.settle();
    expect(onImage(sim, "v2")).toEqual(["node-0", "node-1", "node-2"]);
    annotate(sim, { partition: null });
    sim.settle();
    expect(onImage(sim, "v2")).toHaveLength(4);
    expect(condition(sim, "Progressing")?.reason).toBe("RolloutComplete");
  });
});

describe("selector", () => {
  it("only matching nodes update; removing the selector releases the rest", () => {
    const sim = fleet(5, a({ selector: "ring=canary" }));
    for (const name of ["node-1", "node-3"]) sim.world.nodes.find((n) => n.metadata.name === name)!.metadata.labels = { ring: "canary" };
    release(sim, "v2");
    sim.settle();
    expect(onImage(sim, "v2")).toEqual(["node-1", "node-3"]);
    expect(statusAnnotation(sim)).toContain("selector:3");
    annotate(sim, { selector: null });
    sim.settle();
    expect(onImage(sim, "v2")).toHaveLength(5);
  });

  it("a selector matching nothing holds every node", () => {
    const sim = fleet(3, a({ selector: "ring=none" }));
    release(sim, "v2");
    sim.settle();
    expect(onImage(sim, "v2")).toEqual([]);
    expect(condition(sim, "Progressing")?.reason).toBe("RolloutHeld");
  });
});

describe("paused", () => {
  it("starts no update while paused, and resumes", () => {
    const sim = fleet(3, a({ paused: "true" }));
    release(sim, "v2");
    sim.settle();
    expect(onImage(sim, "v2")).toEqual([]);
    expect(condition(sim, "Progressing")).toMatchObject({ status: "Unknown", reason: "RolloutPaused" });
    // Paused nodes stay in the counts: kubectl rollout status keeps waiting.
    expect(sim.world.ds.status).toMatchObject({ desiredNumberScheduled: 3, updatedNumberScheduled: 0 });
    annotate(sim, { paused: "false" });
    sim.settle();
    expect(onImage(sim, "v2")).toHaveLength(3);
  });

  it("a pause during a wave lets the in-flight node finish and starts no other", () => {
    const sim = fleet(4, budget(2));
    release(sim, "v2");
    const plan = sim.world.sync();
    expect(plan.deletePods).toHaveLength(2); // the wave: old pods of node-0 and node-1 go
    sim.world.apply(plan, { confirmDeletes: false });
    sim.devicesAct();
    annotate(sim, { paused: "true" });
    sim.settle();
    expect(onImage(sim, "v2")).toEqual(["node-0", "node-1"]);
  });
});

describe("skip-offline", () => {
  it("without it (Kubernetes), two offline nodes eat a budget of 1 and the rollout stalls", () => {
    const sim = fleet(5);
    sim.setOffline("node-1", true);
    sim.setOffline("node-2", true);
    release(sim, "v2");
    sim.settle();
    expect(onImage(sim, "v2")).toEqual([]);
  });

  it("offline before being offered: costs no budget; the rest finish and the two complete on return", () => {
    const sim = fleet(5, a({ "skip-offline": "true" }));
    sim.setOffline("node-1", true);
    sim.setOffline("node-2", true);
    release(sim, "v2");
    sim.settle();
    expect(onImage(sim, "v2")).toEqual(["node-0", "node-3", "node-4"]);
    expect(sim.maxUnavailableSeen).toBeLessThanOrEqual(1);
    expect(sim.world.rollout?.offers).toMatchObject({ "node-1": "offline", "node-2": "offline", "node-0": "online" });
    expect(sim.world.ds.status).toMatchObject({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 });
    expect(statusAnnotation(sim)).toContain("offline=2");
    expect(condition(sim, "Progressing")?.reason).toBe("RolloutHeld");
    sim.setOffline("node-1", false);
    sim.setOffline("node-2", false);
    sim.settle();
    expect(onImage(sim, "v2")).toHaveLength(5);
    expect(condition(sim, "Progressing")?.reason).toBe("RolloutComplete");
  });

  it("a node that goes offline after being offered counts against the budget", () => {
    const sim = fleet(3, a({ "skip-offline": "true" }));
    release(sim, "v2");
    const plan = sim.world.sync();
    expect(plan.deletePods.map((d) => d.name)).toEqual([sim.podsOn("node-0")[0]!.metadata.name]);
    sim.world.apply(plan, { confirmDeletes: false });
    sim.setOffline("node-0", true); // offered while Ready, then gone
    sim.settle();
    expect(onImage(sim, "v2")).toEqual([]);
    expect(sim.world.rollout?.offers["node-0"]).toBe("online");
  });

  it("a node that flaps: offered offline, runs the revision once back, then offline again counts", () => {
    const sim = fleet(6, a({ "skip-offline": "true" }), budget(1));
    sim.setOffline("node-2", true);
    release(sim, "v2");
    sim.step(); // node-2 offered while offline (free), node-0 within the budget
    expect(sim.world.rollout?.offers["node-2"]).toBe("offline");
    sim.setOffline("node-2", false);
    sim.step(); // the device confirms its old pod stopped
    sim.step(); // its new pod is created while it is Ready: it has received the revision
    expect(sim.world.rollout?.offers["node-2"]).toBe("online");
    const before = onImage(sim, "v2");
    expect(before.length).toBeLessThan(6);
    sim.setOffline("node-2", true);
    sim.settle();
    // node-2 now counts as unavailable, and the budget is 1: the others wait for it.
    expect(onImage(sim, "v2")).toEqual(before);
    expect(sim.world.rollout?.offers["node-2"]).toBe("online");
  });
});

describe("failure threshold and automatic rollback", () => {
  it("a bad revision stops at the threshold, within the budget, and is rolled back", () => {
    const sim = fleet(6, a({ "failure-threshold": "50%", "auto-rollback": "true" }), budget(2));
    sim.badImage = "bad";
    sim.world.editSpec((ds) => (ds.metadata.annotations = { ...ds.metadata.annotations, "kubernetes.io/change-cause": "v1 good" }));
    release(sim, "bad");
    sim.settle();
    expect(sim.maxUnavailableSeen).toBeLessThanOrEqual(2);
    expect(onImage(sim, "bad")).toEqual([]);
    expect(onImage(sim, "foo/bar")).toHaveLength(6);
    expect(sim.world.ds.spec.template.spec.containers[0]!.image).toBe("foo/bar");
    expect(sim.world.ds.metadata.annotations?.["kubernetes.io/change-cause"]).toBe("v1 good");
    expect(condition(sim, "RolledBack")).toMatchObject({ status: "True", reason: "AutoRollback" });
    expect(condition(sim, "RolledBack")?.message).toContain("FailureThresholdExceeded");
  });

  it("exactly at the threshold is not a failure; one more is", () => {
    const sim = fleet(4, a({ "failure-threshold": "50%" }), budget(2));
    release(sim, "v2");
    const wave = sim.world.sync();
    sim.world.apply(wave, { confirmDeletes: true });
    sim.step(); // the wave's new pods are created on node-0 and node-1
    const [p0, p1] = ["node-0", "node-1"].map((n) => sim.podsOn(n)[0]!);
    const crash = { phase: "Running" as const, conditions: [{ type: "Ready", status: "False" as const }], containerStatuses: [{ name: "foo", ready: false, restartCount: 1, image: "", imageID: "", state: { waiting: { reason: "CrashLoopBackOff" } } }] };
    p0!.status = crash;
    p1!.status = { phase: "Running", conditions: [{ type: "Ready", status: "True", lastTransitionTime: new Date(T0).toISOString() }] };
    sim.world.step();
    expect(sim.world.rollout?.failed).toBeUndefined(); // 1 of 2 = 50%: at, not above
    p1!.status = crash;
    sim.world.step();
    expect(sim.world.rollout?.failed?.reason).toBe("FailureThresholdExceeded");
    expect(condition(sim, "Progressing")).toMatchObject({ status: "False", reason: "FailureThresholdExceeded" });
  });

  it("without auto-rollback, a failed rollout stops and stays on the failed revision where it reached", () => {
    const sim = fleet(5, a({ "failure-threshold": "0%" }));
    sim.badImage = "bad";
    release(sim, "bad");
    sim.settle();
    expect(onImage(sim, "bad")).toEqual(["node-0"]);
    expect(sim.world.ds.spec.template.spec.containers[0]!.image).toBe("bad");
  });

  it("a rollback that fails in turn is not rolled back again", () => {
    const sim = fleet(3, a({ "failure-threshold": "0%", "auto-rollback": "true" }));
    sim.badImage = "bad";
    release(sim, "bad");
    sim.step();
    sim.step();
    sim.step();
    expect(sim.world.ds.spec.template.spec.containers[0]!.image).toBe("foo/bar");
    // The old revision now crashes too (say, a dependency broke): failed, no ping-pong.
    sim.badImage = "foo/bar";
    sim.settle();
    expect(sim.world.rollout?.failed?.reason).toBe("FailureThresholdExceeded");
    expect(sim.world.ds.spec.template.spec.containers[0]!.image).toBe("foo/bar");
  });

  it("the failure threshold waits for the minimum reached (the budget)", () => {
    const sim = fleet(6, a({ "failure-threshold": "0%" }), budget(3));
    sim.badImage = "bad";
    release(sim, "bad");
    sim.world.step({ confirmDeletes: true }); // wave of 3 deleted and confirmed
    sim.world.step(); // created
    const first = sim.podsOn("node-0")[0]!;
    first.status = { phase: "Running", conditions: [{ type: "Ready", status: "False" }], containerStatuses: [{ name: "foo", ready: false, restartCount: 1, image: "", imageID: "", state: { waiting: { reason: "CrashLoopBackOff" } } }] };
    // Only one crashed; the others are still starting (not Ready, within the ready deadline): reached 3 >= 3, failing 1.
    sim.world.step();
    expect(sim.world.rollout?.failed?.reason).toBe("FailureThresholdExceeded");
  });
});

describe("progress deadline", () => {
  it("no progress for progressDeadlineSeconds marks the rollout failed", () => {
    const sim = fleet(3, a({ "progress-deadline-seconds": "60" }));
    release(sim, "v2");
    sim.world.step({ confirmDeletes: true });
    sim.world.step(); // new pod on node-0, never Ready
    expect(sim.world.rollout?.failed).toBeUndefined();
    sim.world.now = seconds(30);
    sim.world.step();
    expect(sim.world.rollout?.failed).toBeUndefined();
    sim.world.now = seconds(91);
    sim.world.step();
    expect(sim.world.rollout?.failed?.reason).toBe("ProgressDeadlineExceeded");
    expect(condition(sim, "Progressing")?.status).toBe("False");
  });
});

describe("allow-defer", () => {
  it("a deferring device keeps its old pod while the rest finish; it updates when the deferral ends", () => {
    const sim = fleet(4, a({ "allow-defer": "true" }));
    sim.defer("node-1", T0 + 1_800_000);
    release(sim, "v2");
    sim.settle();
    expect(onImage(sim, "v2")).toEqual(["node-0", "node-2", "node-3"]);
    expect(statusAnnotation(sim)).toContain("deferred=1");
    const plan = sim.world.sync();
    expect(plan.requeueAfterMs).toBeLessThanOrEqual(1_800_001);
    sim.world.now = T0 + 1_800_001;
    sim.settle();
    expect(onImage(sim, "v2")).toHaveLength(4);
  });

  it("without allow-defer the deferral is ignored", () => {
    const sim = fleet(2);
    sim.defer("node-1", T0 + 1_800_000);
    release(sim, "v2");
    sim.settle();
    expect(onImage(sim, "v2")).toHaveLength(2);
  });
});

describe("surge with gates", () => {
  it("a selector holds nodes under maxSurge too", () => {
    const sim = fleet(3, a({ selector: "ring=canary" }), surge(1));
    sim.world.nodes[0]!.metadata.labels = { ring: "canary" };
    release(sim, "v2");
    sim.settle();
    expect(onImage(sim, "v2")).toEqual(["node-0"]);
  });
});

describe("without annotations", () => {
  it("writes no rollout status annotation and no conditions", () => {
    const sim = fleet(3, image("v1"));
    release(sim, "v2");
    sim.settle();
    expect(statusAnnotation(sim)).toBeUndefined();
    expect(sim.world.ds.status?.conditions).toBeUndefined();
    expect(sim.world.rollout?.availableHash).toBeDefined();
  });
});
