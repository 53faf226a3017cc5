import { describe, expect, it } from "vitest";
import { parseUpcoming, stagedCondition, upcomingAnnotation } from "../../protocol/prestage.ts";
import type { DaemonSet, Pod } from "../../resources/types.ts";
import { annotate, fleet, type FleetSim } from "./rollout-fleet.ts";

const a = (settings: Record<string, string>) => (ds: DaemonSet) => {
  ds.metadata.annotations = { ...ds.metadata.annotations };
  for (const [k, v] of Object.entries(settings)) ds.metadata.annotations[`rollout.edgeset.dev/${k}`] = v;
};

const release = (sim: FleetSim, image: string) => sim.world.editTemplate((ds) => (ds.spec.template.spec.containers[0]!.image = image));
const live = (sim: FleetSim) => sim.world.livePods();
const upcomingOf = (pod: Pod) => parseUpcoming(pod.metadata.annotations?.[upcomingAnnotation]);
/** Nodes whose live pod carries an upcoming revision, and that revision's image. */
const told = (sim: FleetSim) =>
  Object.fromEntries(live(sim).flatMap((p) => (upcomingOf(p) ? [[p.spec.nodeName, upcomingOf(p)!.spec.containers[0]?.image]] : [])));
/** The device on `node` reports the upcoming revision its pod carries as staged. */
function stage(sim: FleetSim, node: string): void {
  const pod = live(sim).find((p) => p.spec.nodeName === node)!;
  const revision = upcomingOf(pod)!.revision;
  pod.status = { ...pod.status, conditions: [...(pod.status?.conditions ?? []), stagedCondition(revision, { kind: "staged", detail: "1 image pulled" })] };
}
const statusAnnotation = (sim: FleetSim) => sim.world.ds.metadata.annotations?.["rollout.edgeset.dev/status"] ?? "";
const currentHash = (sim: FleetSim) => sim.world.revisions.find((r) => r.revision === Math.max(...sim.world.revisions.map((x) => x.revision)))?.metadata.labels?.["controller-revision-hash"];

describe("which nodes are told the upcoming revision", () => {
  it.each([
    ["paused: every node", { paused: "true" }, [], ["node-0", "node-1", "node-2", "node-3", "node-4"]],
    ["partition 5: every node, held or not", { partition: "5" }, [], ["node-0", "node-1", "node-2", "node-3", "node-4"]],
    ["selector: only matching nodes", { paused: "true", selector: "ring=canary" }, ["node-1", "node-3"], ["node-1", "node-3"]],
    ["selector matching nothing: nobody", { paused: "true", selector: "ring=none" }, [], []],
  ] as const)("%s", (_name, settings, canary, expected) => {
    const sim = fleet(5, a({ prestage: "true", ...settings }));
    for (const name of canary) sim.world.nodes.find((n) => n.metadata.name === name)!.metadata.labels = { ring: "canary" };
    release(sim, "v2");
    sim.settle();
    expect(Object.keys(told(sim)).sort()).toEqual(expected);
    for (const image of Object.values(told(sim))) expect(image).toBe("v2");
    expect(live(sim).filter((p) => upcomingOf(p)).every((p) => upcomingOf(p)!.revision === currentHash(sim))).toBe(true);
    expect(statusAnnotation(sim)).toMatch(/ staged=0$/);
  });

  it("without the annotation nobody is told and the counts have no staged part", () => {
    const sim = fleet(3, a({ paused: "true" }));
    release(sim, "v2");
    sim.settle();
    expect(told(sim)).toEqual({});
    expect(statusAnnotation(sim)).not.toContain("staged");
  });

  it("a finished rollout leaves no upcoming revision on any pod", () => {
    const sim = fleet(4, a({ prestage: "true" }));
    sim.staging.on = true;
    release(sim, "v2");
    sim.settle();
    expect(live(sim).every((p) => p.spec.containers[0]?.image === "v2")).toBe(true);
    expect(told(sim)).toEqual({});
  });

  it("returning to the old template (a rollback) takes the annotation off the pods that are current again", () => {
    const sim = fleet(3, a({ prestage: "true", paused: "true" }));
    release(sim, "v2");
    sim.settle();
    expect(Object.keys(told(sim))).toHaveLength(3);
    release(sim, "foo/bar");
    sim.settle();
    expect(told(sim)).toEqual({});
  });

  it("a failed rollout tells nobody any more", () => {
    const sim = fleet(4, a({ prestage: "true", "failure-threshold": "0%" }));
    sim.badImage = "bad";
    sim.staging.on = true;
    release(sim, "bad");
    sim.settle();
    expect(sim.world.ds.status?.conditions?.find((c) => c.type === "Progressing")).toMatchObject({ status: "False", reason: "FailureThresholdExceeded" });
    expect(told(sim)).toEqual({});
  });

  it("writes at most maxCreates pods per pass and asks to run again at once", () => {
    const sim = fleet(5, a({ prestage: "true", paused: "true" }));
    release(sim, "v2");
    const plan = sim.world.sync({ maxCreates: 2 });
    expect(plan.patchPods.filter((p) => p.upcoming)).toHaveLength(2);
    expect(plan.requeueAfterMs).toBe(0);
  });

  it("the patch carries the config references of both revisions", () => {
    const sim = fleet(1, a({ prestage: "true", paused: "true" }));
    sim.world.editTemplate((ds) => {
      ds.spec.template.spec.volumes = [{ name: "cfg", configMap: { name: "web-v2" } }];
    });
    const plan = sim.world.sync();
    expect(plan.patchPods.find((p) => p.upcoming)?.upcoming?.configRefs).toEqual([{ kind: "ConfigMap", name: "web-v2" }]);
  });
});

describe("waiting for staging", () => {
  const updated = (sim: FleetSim) => live(sim).filter((p) => p.spec.containers[0]?.image === "v2").map((p) => p.spec.nodeName).sort();
  const progressing = (sim: FleetSim) => sim.world.ds.status?.conditions?.find((c) => c.type === "Progressing");

  it("no node is offered before its device staged the revision; the nodes stay in the counts", () => {
    const sim = fleet(3, a({ prestage: "true" }));
    release(sim, "v2");
    sim.settle();
    expect(updated(sim)).toEqual([]);
    expect(progressing(sim)).toMatchObject({ status: "True", reason: "RollingUpdate" });
    // kubectl rollout status keeps waiting: the waiting nodes are desired and not updated.
    expect(sim.world.ds.status).toMatchObject({ desiredNumberScheduled: 3, updatedNumberScheduled: 0 });
    stage(sim, "node-2");
    sim.settle();
    expect(updated(sim)).toEqual(["node-2"]);
  });

  it.each([
    ["staged devices: every node, one at a time", { on: true, failOn: new Set<string>() }, {}, 0, ["node-0", "node-1", "node-2"]],
    ["a failed staging does not hold its node", { on: true, failOn: new Set(["node-0", "node-1", "node-2"]) }, {}, 0, ["node-0", "node-1", "node-2"]],
    ["devices that never report: held until 600 s after the revision", { on: false, failOn: new Set<string>() }, {}, 599, []],
    ["... and offered at 600 s", { on: false, failOn: new Set<string>() }, {}, 600, ["node-0", "node-1", "node-2"]],
    ["with progress-deadline-seconds the wait is that long", { on: false, failOn: new Set<string>() }, { "progress-deadline-seconds": "30" }, 30, ["node-0", "node-1", "node-2"]],
  ] as const)("%s", (_name, staging, settings, afterSeconds, expected) => {
    const sim = fleet(3, a({ prestage: "true", ...settings }));
    sim.staging = { on: staging.on, failOn: new Set(staging.failOn) };
    release(sim, "v2");
    sim.settle();
    sim.world.now += afterSeconds * 1000;
    sim.settle();
    expect(updated(sim)).toEqual(expected);
    expect(sim.maxUnavailableSeen).toBeLessThanOrEqual(1);
  });

  it("asks to run again when the wait ends", () => {
    const sim = fleet(2, a({ prestage: "true" }));
    release(sim, "v2");
    const plan = sim.world.sync();
    expect(plan.requeueAfterMs).toBe(600_001);
  });
});

describe("staged nodes", () => {
  it("are counted, and offered first within the budget", () => {
    const sim = fleet(5, a({ prestage: "true", paused: "true" }));
    release(sim, "v2");
    sim.settle();
    stage(sim, "node-3");
    stage(sim, "node-4");
    sim.settle();
    expect(statusAnnotation(sim)).toMatch(/ staged=2$/);
    annotate(sim, { paused: null });
    // maxUnavailable 1: the first wave is a staged node, not node-0 (name order).
    const nodeOf = new Map(sim.world.pods.map((p) => [p.metadata.uid, p.spec.nodeName]));
    const plan = sim.step();
    expect(plan.deletePods.map((d) => nodeOf.get(d.uid))).toEqual(["node-3"]);
    sim.staging.on = true;
    sim.settle();
    expect(live(sim).every((p) => p.spec.containers[0]?.image === "v2")).toBe(true);
    expect(statusAnnotation(sim)).toMatch(/^updated=5\/5 .* staged=0$/);
  });

  it("a node staged for an earlier upcoming revision is not counted for a newer one", () => {
    const sim = fleet(2, a({ prestage: "true", paused: "true" }));
    release(sim, "v2");
    sim.settle();
    stage(sim, "node-0");
    sim.settle();
    expect(statusAnnotation(sim)).toMatch(/ staged=1$/);
    release(sim, "v3");
    sim.settle();
    expect(Object.values(told(sim))).toEqual(["v3", "v3"]);
    expect(statusAnnotation(sim)).toMatch(/ staged=0$/);
  });

  it("with surge, staged nodes surge first", () => {
    const sim = fleet(4, a({ prestage: "true", paused: "true" }), (ds) => (ds.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }));
    release(sim, "v2");
    sim.settle();
    stage(sim, "node-2");
    annotate(sim, { paused: null });
    const plan = sim.step();
    expect(plan.createPods.map((p) => p.spec.nodeName)).toEqual(["node-2"]);
  });
});
