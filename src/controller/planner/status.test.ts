import { describe, expect, it } from "vitest";
import { defaultPlannerDeps } from "./default-deps.ts";
import { computeTemplateHash } from "./hash.ts";
import { computeDaemonSetStatus } from "./status.ts";
import { addNodes, addPods, newDaemonSet, newNode, newPod, newWorld, seconds, simpleDaemonSetLabel, T0 } from "./test-fixtures.ts";

describe("computeDaemonSetStatus (vector 35)", () => {
  const ds = newDaemonSet("foo", (d) => (d.spec.minReadySeconds = 30));
  const hash = computeTemplateHash(ds.spec.template);
  const status = (ready: boolean | number, now = seconds(100), minReady = 0) =>
    computeDaemonSetStatus(
      {
        ds: { ...ds, spec: { ...ds.spec, minReadySeconds: minReady } },
        nodes: addNodes(0, 2),
        pods: [newPod("a", "node-0", simpleDaemonSetLabel, ds, { ready }), newPod("b", "node-1", simpleDaemonSetLabel, ds, { ready })],
        hash,
        now,
      },
      defaultPlannerDeps,
    );

  it.each([
    { name: "pods not Ready", ready: false as const, minReady: 0, want: { numberReady: 0, numberAvailable: 0, numberUnavailable: 2 }, requeue: undefined },
    { name: "pods Ready", ready: true as const, minReady: 0, want: { numberReady: 2, numberAvailable: 2, numberUnavailable: 0 }, requeue: undefined },
    { name: "pods just Ready, minReadySeconds 30", ready: seconds(100), minReady: 30, want: { numberReady: 2, numberAvailable: 0, numberUnavailable: 2 }, requeue: 31_000 },
    { name: "pods Ready 30 s ago, minReadySeconds 30", ready: seconds(70), minReady: 30, want: { numberReady: 2, numberAvailable: 2, numberUnavailable: 0 }, requeue: undefined },
  ])("$name", ({ ready, minReady, want, requeue }) => {
    const result = status(ready, seconds(100), minReady);
    expect(result.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, updatedNumberScheduled: 2, ...want });
    expect(result.requeueAfterMs).toBe(requeue);
  });
});

describe("status counts", () => {
  it("counts per node from the oldest pod, and misscheduled nodes apart", () => {
    const ds = newDaemonSet("foo", (d) => (d.spec.template.spec.nodeSelector = { zone: "a" }));
    const nodes = [newNode("node-0", { zone: "a" }), newNode("node-1", { zone: "a" }), newNode("node-2", { zone: "a" }), newNode("node-3", { zone: "b" })];
    const pods = [
      newPod("old-unready", "node-0", simpleDaemonSetLabel, ds, { ready: false, hash: "old", created: T0 - 9000 }),
      newPod("new-ready", "node-0", simpleDaemonSetLabel, ds, { created: T0 }),
      newPod("gone-terminal", "node-1", simpleDaemonSetLabel, ds, { phase: "Failed", deleting: true }),
      newPod("wrong-zone", "node-3", simpleDaemonSetLabel, ds),
    ];
    const { status, shouldWrite } = computeDaemonSetStatus(
      { ds, nodes, pods, hash: computeTemplateHash(ds.spec.template), now: T0 },
      defaultPlannerDeps,
    );
    expect(shouldWrite).toBe(true);
    expect(status).toEqual({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 1,
      numberMisscheduled: 1,
      numberReady: 0,
      numberAvailable: 0,
      numberUnavailable: 3,
      updatedNumberScheduled: 0,
      observedGeneration: 1,
    });
  });

  it("is not written when nothing changed and the generation is observed", () => {
    const world = newWorld(newDaemonSet("foo"), addNodes(0, 2));
    world.apply(world.sync());
    world.markReady();
    const first = world.sync();
    expect(first.status).toMatchObject({ numberReady: 2, observedGeneration: 1 });
    world.apply(first);
    expect(world.sync().status).toBeUndefined();
    world.editSpec((ds) => (ds.spec.minReadySeconds = 0));
    expect(world.sync().status).toMatchObject({ observedGeneration: 2 });
  });

  it("carries collisionCount and conditions over", () => {
    const ds = newDaemonSet("foo", (d) => {
      d.status = { desiredNumberScheduled: 9, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, collisionCount: 2, conditions: [{ type: "X", status: "True" }] };
    });
    const { status } = computeDaemonSetStatus({ ds, nodes: addNodes(0, 1), pods: addPods("node-0", simpleDaemonSetLabel, ds, 1), hash: "h", now: T0 }, defaultPlannerDeps);
    expect(status).toMatchObject({ desiredNumberScheduled: 1, collisionCount: 2, conditions: [{ type: "X", status: "True" }] });
  });

  it("keeps observedGeneration when asked not to raise it", () => {
    const ds = newDaemonSet("foo", (d) => {
      d.metadata.generation = 4;
      d.status = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, observedGeneration: 3 };
    });
    const { status } = computeDaemonSetStatus({ ds, nodes: [], pods: [], hash: "h", now: T0, updateObservedGeneration: false }, defaultPlannerDeps);
    expect(status.observedGeneration).toBe(3);
  });
});
