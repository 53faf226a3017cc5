import { describe, expect, it } from "vitest";
import type { DaemonSet, Taint } from "../../resources/types.ts";
import { wellKnown } from "../../resources/types.ts";
import { failedPodsBackoffKey } from "./backoff.ts";
import {
  addNodes,
  addPods,
  counts,
  createdOn,
  deletedNames,
  newDaemonSet,
  newNode,
  newPod,
  newWorld,
  seconds,
  simpleDaemonSetLabel,
  simpleDaemonSetLabel2,
  simpleNodeLabel,
} from "./test-fixtures.ts";

const strategies: { name: string; set: (ds: DaemonSet) => void }[] = [
  { name: "OnDelete", set: (ds) => (ds.spec.updateStrategy = { type: "OnDelete" }) },
  { name: "RollingUpdate", set: () => {} },
];
const surge = (maxSurge: number | string) => (ds: DaemonSet) =>
  (ds.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge } });
const withNodeSelector = (ds: DaemonSet) => (ds.spec.template.spec.nodeSelector = { ...simpleNodeLabel });

describe.each(strategies)("manage with $name", ({ set }) => {
  it("creates one pod per node, bound by nodeName and the metadata.name term (vector 1)", () => {
    const plan = newWorld(newDaemonSet("foo", set), addNodes(0, 5)).sync();
    expect(counts(plan)).toEqual({ c: 5, d: 0 });
    for (const [i, pod] of plan.createPods.entries()) {
      expect(pod.spec.nodeName).toBe(`node-${i}`);
      expect(pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([
        { matchFields: [{ key: "metadata.name", operator: "In", values: [`node-${i}`] }] },
      ]);
    }
    expect(plan.events.filter((e) => e.reason === "SuccessfulCreate")).toHaveLength(5);
  });

  it("creates on empty nodes, prunes extra pods keeping the oldest, releases pods it no longer selects (vector 4)", () => {
    const ds = newDaemonSet("foo", set);
    const pods = [
      ...addPods("node-1", simpleDaemonSetLabel, ds, 1),
      ...addPods("node-2", simpleDaemonSetLabel, ds, 2),
      ...addPods("node-3", simpleDaemonSetLabel, ds, 5),
      ...addPods("node-4", simpleDaemonSetLabel2, ds, 2),
    ];
    const plan = newWorld(ds, addNodes(0, 5), pods).sync();
    expect(counts(plan)).toEqual({ c: 2, d: 5 });
    expect(createdOn(plan)).toEqual(["node-0", "node-4"]);
    expect(deletedNames(plan)).toEqual(["node-2-1", "node-3-1", "node-3-2", "node-3-3", "node-3-4"]);
    expect(plan.patchPods).toEqual([
      { name: "node-4-0", uid: "uid-node-4-0", ownerReferences: null },
      { name: "node-4-1", uid: "uid-node-4-1", ownerReferences: null },
    ]);
  });

  it("honours the node selector: creates on matching nodes, deletes from the others (vector 5)", () => {
    const ds = newDaemonSet("foo", (d) => (set(d), withNodeSelector(d)));
    const pods = [
      ...addPods("node-1", simpleDaemonSetLabel, ds, 3),
      ...addPods("node-4", simpleDaemonSetLabel, ds, 1),
      ...addPods("node-0", simpleDaemonSetLabel2, ds, 2, {}, "other-"),
      ...addPods("node-1", simpleDaemonSetLabel2, ds, 1, {}, "other-"),
    ];
    const plan = newWorld(ds, [...addNodes(0, 5), ...addNodes(5, 5, simpleNodeLabel)], pods).sync();
    expect(counts(plan)).toEqual({ c: 5, d: 4 });
    expect(createdOn(plan)).toEqual(["node-5", "node-6", "node-7", "node-8", "node-9"]);
    expect(plan.patchPods.map((p) => p.name).sort()).toEqual(["node-0-other-0", "node-0-other-1", "node-1-other-0"]);
  });

  it("deletes everywhere it should not run and prunes extras where it should (vector 6)", () => {
    const ds = newDaemonSet("foo", (d) => (set(d), withNodeSelector(d)));
    const pods = [
      ...addPods("node-0", simpleDaemonSetLabel, ds, 1),
      ...addPods("node-1", simpleDaemonSetLabel, ds, 3),
      ...addPods("node-2", simpleDaemonSetLabel, ds, 4),
      ...addPods("node-6", simpleDaemonSetLabel, ds, 13),
      ...addPods("node-9", simpleDaemonSetLabel, ds, 1),
      ...addPods("node-1", simpleDaemonSetLabel2, ds, 2, {}, "other-"),
      ...addPods("node-7", simpleDaemonSetLabel2, ds, 4, {}, "other-"),
      ...addPods("node-9", simpleDaemonSetLabel2, ds, 1, {}, "other-"),
    ];
    const plan = newWorld(ds, [...addNodes(0, 5), ...addNodes(5, 5, simpleNodeLabel)], pods).sync();
    expect(counts(plan)).toEqual({ c: 3, d: 20 });
    expect(createdOn(plan)).toEqual(["node-5", "node-7", "node-8"]);
  });

  describe("taints (vectors 7, 8, 12)", () => {
    const dedicated = (effect: Taint["effect"]): Taint => ({ key: "dedicated", value: "user1", effect });
    const notReady: Taint[] = [
      { key: wellKnown.taintNotReady, effect: "NoSchedule" },
      { key: wellKnown.taintNotReady, effect: "NoExecute" },
    ];
    it.each([
      { name: "NoSchedule keeps a running pod", taints: [dedicated("NoSchedule")], hasPod: true, tolerate: false, want: { c: 0, d: 0 }, misscheduled: 1 },
      { name: "NoExecute evicts a running pod", taints: [dedicated("NoExecute")], hasPod: true, tolerate: false, want: { c: 0, d: 1 }, misscheduled: 1 },
      { name: "NoSchedule blocks a new pod", taints: [dedicated("NoSchedule")], hasPod: false, tolerate: false, want: { c: 0, d: 0 }, misscheduled: 0 },
      { name: "a matching toleration lets the pod in", taints: [dedicated("NoSchedule")], hasPod: false, tolerate: true, want: { c: 1, d: 0 }, misscheduled: 0 },
      { name: "not-ready NoSchedule+NoExecute keeps a running pod", taints: notReady, hasPod: true, tolerate: false, want: { c: 0, d: 0 }, misscheduled: 1 },
      { name: "not-ready NoSchedule+NoExecute blocks a new pod", taints: notReady, hasPod: false, tolerate: false, want: { c: 0, d: 0 }, misscheduled: 0 },
    ])("$name", ({ taints, hasPod, tolerate, want, misscheduled }) => {
      const ds = newDaemonSet("foo", (d) => {
        set(d);
        if (tolerate) d.spec.template.spec.tolerations = [{ key: "dedicated", value: "user1", effect: "NoSchedule" }];
      });
      const pods = hasPod ? [newPod("keep-or-evict", "tainted", simpleDaemonSetLabel, ds)] : [];
      const plan = newWorld(ds, [newNode("tainted", {}, taints)], pods).sync();
      expect(counts(plan)).toEqual(want);
      expect(plan.status?.desiredNumberScheduled).toBe(want.c);
      expect(plan.status?.numberMisscheduled).toBe(misscheduled);
    });
  });

  it.each([
    { failed: 0, normal: 1, want: { c: 0, d: 0 }, events: 0 },
    { failed: 0, normal: 0, want: { c: 1, d: 0 }, events: 0 },
    { failed: 1, normal: 0, want: { c: 0, d: 1 }, events: 1 },
    { failed: 1, normal: 1, want: { c: 0, d: 1 }, events: 1 },
    { failed: 1, normal: 3, want: { c: 0, d: 3 }, events: 1 },
  ])("deletes failed pods with a warning, $failed failed / $normal normal (vector 18)", ({ failed, normal, want, events }) => {
    const ds = newDaemonSet("foo", set);
    const pods = [
      ...addPods("node-0", simpleDaemonSetLabel, ds, failed, { phase: "Failed", ready: false }, "failed-"),
      ...addPods("node-0", simpleDaemonSetLabel, ds, normal),
    ];
    const plan = newWorld(ds, addNodes(0, 1), pods).sync();
    expect(counts(plan)).toEqual(want);
    expect(plan.events.filter((e) => e.reason === "FailedDaemonPod" && e.type === "Warning")).toHaveLength(events);
  });

  it("backs off deleting failed pods on a node (vector 19)", () => {
    // The key carries status.observedGeneration: start from a DaemonSet whose status is current.
    const ds = newDaemonSet("foo", (d) => {
      set(d);
      d.status = { observedGeneration: 1, desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 0, numberReady: 0 };
    });
    const world = newWorld(ds, addNodes(0, 1), [newPod("node-0-", "node-0", simpleDaemonSetLabel, ds, { phase: "Failed" })]);
    const key = failedPodsBackoffKey(ds, "node-0");

    const first = world.sync();
    expect(counts(first)).toEqual({ c: 0, d: 1 });
    expect(first.events.map((e) => e.reason)).toContain("FailedDaemonPod");
    const delay = first.failedPodBackoff[key]! - world.now;
    expect(delay).toBe(1000);
    world.apply(first, { confirmDeletes: false });
    world.pods = world.pods.map((p) => ({ ...p, metadata: { ...p.metadata, deletionTimestamp: undefined } })); // the kubelet rejected it again

    const second = world.sync();
    expect(counts(second)).toEqual({ c: 0, d: 0 });
    expect(second.events).toEqual([]);
    expect(second.requeueAfterMs).toBe(delay);
    expect(second.failedPodBackoff[key]).toBe(first.failedPodBackoff[key]);

    world.backoff = second.failedPodBackoff;
    world.now += delay - 1;
    expect(counts(world.sync())).toEqual({ c: 0, d: 0 });
    world.now += 1;
    const third = world.sync();
    expect(counts(third)).toEqual({ c: 0, d: 1 });
    expect(third.failedPodBackoff[key]! - world.now).toBe(2000);
  });

  it("deletes succeeded pods with a Normal event", () => {
    const ds = newDaemonSet("foo", set);
    const plan = newWorld(ds, addNodes(0, 1), [newPod("done", "node-0", simpleDaemonSetLabel, ds, { phase: "Succeeded" })]).sync();
    expect(counts(plan)).toEqual({ c: 0, d: 1 });
    expect(plan.events[0]).toMatchObject({ type: "Normal", reason: "SucceededDaemonPod" });
  });

  it("waits for a terminating pod before creating its replacement (vector 20)", () => {
    const ds = newDaemonSet("foo", set);
    const plan = newWorld(ds, addNodes(0, 1), [newPod("node-0-", "node-0", simpleDaemonSetLabel, ds, { deleting: true })]).sync();
    expect(counts(plan)).toEqual({ c: 0, d: 0 });
  });

  it("deletes only unbound pods aimed at missing nodes (vector 21)", () => {
    const ds = newDaemonSet("foo", set);
    const pods = [
      newPod("on-node-0", "node-0", simpleDaemonSetLabel, ds),
      newPod("bound-to-gone", "node-1", simpleDaemonSetLabel, ds),
      newPod("unbound-to-gone", "node-2", simpleDaemonSetLabel, ds, { bound: false }),
    ];
    const plan = newWorld(ds, addNodes(0, 1), pods).sync();
    expect(counts(plan)).toEqual({ c: 0, d: 1 });
    expect(plan.deletePods).toEqual([{ name: "unbound-to-gone", uid: "uid-unbound-to-gone", reason: "UnscheduledOnMissingNode" }]);
  });

  it("caps creates at maxCreates and counts what exists (vector 23)", () => {
    const world = newWorld(newDaemonSet("foo", set), addNodes(0, 100));
    const first = world.sync({ maxCreates: 10 });
    expect(counts(first)).toEqual({ c: 10, d: 0 });
    expect(first.requeueAfterMs).toBe(0);
    world.apply(first);
    const second = world.sync({ maxCreates: 10 });
    expect(second.status).toMatchObject({ desiredNumberScheduled: 100, currentNumberScheduled: 10, updatedNumberScheduled: 10 });
  });

  it("recreates a pod the user deleted, from the current template", () => {
    const world = newWorld(newDaemonSet("foo", set), addNodes(0, 2));
    world.apply(world.sync());
    world.editTemplate((ds) => (ds.spec.template.spec.containers[0]!.image = "foo/bar:2"));
    world.pods = world.pods.filter((p) => p.spec.nodeName !== "node-1");
    const plan = world.sync();
    expect(createdOn(plan)).toEqual(["node-1"]);
    expect(plan.createPods[0]!.spec.containers[0]!.image).toBe("foo/bar:2");
    expect(plan.createPods[0]!.metadata.labels?.[wellKnown.podTemplateGeneration]).toBe("2");
  });
});

describe("manage while surging", () => {
  it("creates where there is no pod and prunes extras, releasing unselected pods (TestSurgeDealsWithExistingPods)", () => {
    const ds = newDaemonSet("foo", surge(1));
    const pods = [
      ...addPods("node-1", simpleDaemonSetLabel, ds, 1),
      ...addPods("node-2", simpleDaemonSetLabel, ds, 2),
      ...addPods("node-3", simpleDaemonSetLabel, ds, 5),
      ...addPods("node-4", simpleDaemonSetLabel2, ds, 2),
    ];
    expect(counts(newWorld(ds, addNodes(0, 5), pods).sync())).toEqual({ c: 2, d: 5 });
  });

  it("replaces a terminating pod at once (vector 20, surge)", () => {
    const ds = newDaemonSet("foo", surge(1));
    const pods = [
      newPod("node-0-new", "node-0", simpleDaemonSetLabel, ds, { ready: false, created: seconds(100) }),
      newPod("node-0-old-ready", "node-0", simpleDaemonSetLabel, ds, { hash: null, created: seconds(50) }),
      ...[1, 2, 3, 4].map((i) => newPod(`node-${i}-old`, `node-${i}`, simpleDaemonSetLabel, ds, { hash: null, created: seconds(1), deleting: i === 4 })),
    ];
    const plan = newWorld(ds, addNodes(0, 5), pods).sync();
    expect(counts(plan)).toEqual({ c: 1, d: 0 });
    expect(createdOn(plan)).toEqual(["node-4"]);
  });

  // TestSurgePreservesReadyOldPods, TestSurgeDeletesUnreadyOldPods, TestSurge*WithUnsatisfiedMinReady (vector 32)
  it.each([
    { name: "keeps a Ready old pod while the new one is not Ready", oldReady: true, min: 0, newReady: false, now: 60, deleted: ["node-1-delete"] },
    { name: "deletes an old pod that is not Ready", oldReady: false, min: 0, newReady: false, now: 60, deleted: ["node-1-delete", "node-1-old"] },
    { name: "keeps the Ready old pod until the new one is available (t=60)", oldReady: true, min: 15, newReady: true, now: 60, deleted: ["node-1-delete"] },
    { name: "deletes the Ready old pod once the new one is available (t=70)", oldReady: true, min: 15, newReady: true, now: 70, deleted: ["node-1-delete", "node-1-old"] },
  ])("$name", ({ oldReady, min, newReady, now, deleted }) => {
    const ds = newDaemonSet("foo", (d) => (surge(1)(d), (d.spec.minReadySeconds = min)));
    const pods = [
      newPod("node-1-new", "node-1", simpleDaemonSetLabel, ds, { created: seconds(100), ready: newReady ? seconds(50) : false }),
      newPod("node-1-old", "node-1", simpleDaemonSetLabel, ds, { hash: null, created: seconds(50), ready: oldReady ? seconds(0) : false }),
      newPod("node-1-delete", "node-1", simpleDaemonSetLabel, ds, { hash: null, created: seconds(60) }),
      ...addPods("node-2", simpleDaemonSetLabel, ds, 1),
    ];
    const world = newWorld(ds, addNodes(0, 5), pods);
    world.now = seconds(now);
    const plan = world.sync();
    expect(createdOn(plan)).toEqual(["node-0", "node-3", "node-4"]);
    expect(deletedNames(plan)).toEqual(deleted);
  });
});
