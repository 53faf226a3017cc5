import { describe, expect, it } from "vitest";
import type { ControllerRevision, DaemonSet } from "../../resources/types.ts";
import { wellKnown } from "../../resources/types.ts";
import { computeTemplateHash } from "./hash.ts";
import { newRevision } from "./history.ts";
import { matchRevision, revisionData } from "./revision-data.ts";
import { addNodes, counts, newDaemonSet, newPod, newWorld, simpleDaemonSetLabel, type World } from "./test-fixtures.ts";

const hashKey = wellKnown.controllerRevisionHash;
const image = (img: string) => (ds: DaemonSet) => (ds.spec.template.spec.containers[0]!.image = img);
const history = (world: World) =>
  world.revisions.map((r) => ({ name: r.metadata.name, revision: r.revision })).sort((a, b) => a.revision - b.revision);

describe("revisionData (getPatch)", () => {
  it("records only the pod template, as a replace patch", () => {
    const ds = newDaemonSet("foo", (d) => (d.spec.minReadySeconds = 30));
    expect(revisionData(ds)).toEqual({
      spec: {
        template: {
          $patch: "replace",
          metadata: { creationTimestamp: null, labels: simpleDaemonSetLabel },
          spec: { containers: [{ image: "foo/bar", name: "foo", resources: {} }] },
        },
      },
    });
  });

  it("is the bytes kubectl computes from the DaemonSet (getDaemonSetPatch), so undo can say skipped", () => {
    const ds = newDaemonSet("foo");
    expect(JSON.stringify(revisionData(ds))).toBe(
      `{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"name":"simple-daemon","type":"production"}},"spec":{"containers":[{"image":"foo/bar","name":"foo","resources":{}}]}}}}`,
    );
  });

  it("matches revisions whatever their creationTimestamp, null or empty fields", () => {
    const ds = newDaemonSet("foo");
    const rev = newRevision(ds, "h", 1);
    rev.data = {
      spec: {
        template: {
          $patch: "replace",
          metadata: { creationTimestamp: null, labels: simpleDaemonSetLabel, annotations: {} },
          spec: { containers: [{ image: "foo/bar", name: "foo", env: [] }], nodeSelector: null },
        },
      },
    };
    expect(matchRevision(ds, rev)).toBe(true);
    expect(matchRevision(newDaemonSet("foo", image("other")), rev)).toBe(false);
  });
});

describe("constructHistory", () => {
  it("snapshots the first template as revision 1", () => {
    const ds = newDaemonSet("foo", (d) => (d.metadata.annotations![wellKnown.changeCause] = "kubectl apply"));
    const plan = newWorld(ds, addNodes(0, 1)).sync();
    const hash = computeTemplateHash(ds.spec.template);
    expect(plan.currentHash).toBe(hash);
    expect(plan.createRevisions).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "ControllerRevision",
        metadata: {
          name: `foo-${hash}`,
          namespace: "default",
          labels: { ...simpleDaemonSetLabel, [hashKey]: hash },
          annotations: ds.metadata.annotations,
          ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "foo", uid: "uid-foo", controller: true, blockOwnerDeletion: true }],
        },
        data: revisionData(ds),
        revision: 1,
      },
    ]);
    expect(plan.createPods[0]!.metadata.labels?.[hashKey]).toBe(hash);
  });

  it("creates nothing when the current revision exists and is newest", () => {
    const world = newWorld(newDaemonSet("foo"), addNodes(0, 1));
    world.step();
    const plan = world.sync();
    expect(plan.createRevisions).toEqual([]);
    expect(plan.updateRevisions).toEqual([]);
  });

  it("reuses and renumbers a revision on rollback, without restarting its pods (vector 36)", () => {
    const world = newWorld(newDaemonSet("foo", (d) => (d.spec.updateStrategy = { type: "OnDelete" })), addNodes(0, 3));
    world.step();
    world.markReady();
    const [revA] = world.revisions;
    expect(history(world)).toEqual([{ name: revA!.metadata.name, revision: 1 }]);

    world.editTemplate(image("B"));
    world.step();
    const revB = world.revisions.find((r) => r !== revA)!;
    expect(history(world)).toEqual([
      { name: revA!.metadata.name, revision: 1 },
      { name: revB.metadata.name, revision: 2 },
    ]);

    world.editTemplate(image("foo/bar")); // kubectl rollout undo: A's data patched back
    world.editSpec((ds) => (ds.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }));
    const undo = world.step();
    expect(undo.createRevisions).toEqual([]);
    expect(undo.updateRevisions).toEqual([{ name: revA!.metadata.name, revision: 3 }]);
    expect(undo.currentHash).toBe(revA!.metadata.labels?.[hashKey]);
    expect(counts(undo)).toEqual({ c: 0, d: 0 });
    expect(undo.status?.updatedNumberScheduled).toBe(3);
    expect(history(world)).toEqual([
      { name: revB.metadata.name, revision: 2 },
      { name: revA!.metadata.name, revision: 3 },
    ]);

    world.editTemplate(image("B")); // undo again
    const again = world.step();
    expect(again.updateRevisions).toEqual([{ name: revB.metadata.name, revision: 4 }]);
    expect(history(world).map((h) => h.revision)).toEqual([3, 4]);
  });

  it("labels revisions that lack the hash label with their name", () => {
    const ds = newDaemonSet("foo");
    const legacy = newRevision(newDaemonSet("foo", image("old")), "x", 1);
    legacy.metadata.name = "foo-legacy";
    delete legacy.metadata.labels![hashKey];
    const world = newWorld(ds, addNodes(0, 1));
    world.revisions = [legacy];
    const plan = world.sync();
    expect(plan.updateRevisions).toEqual([{ name: "foo-legacy", labels: { ...simpleDaemonSetLabel, [hashKey]: "foo-legacy" } }]);
    expect(plan.createRevisions[0]!.revision).toBe(2);
  });

  it("keeps the newest of duplicate current revisions, deletes the others and relabels their pods", () => {
    const ds = newDaemonSet("foo");
    const older = newRevision(ds, "dup1", 2);
    const newer = newRevision(ds, "dup2", 5);
    const stale = newRevision(newDaemonSet("foo", image("stale")), "stale", 1);
    const world = newWorld(ds, addNodes(0, 3), [
      newPod("on-dup1", "node-0", simpleDaemonSetLabel, ds, { hash: "dup1" }),
      newPod("on-dup2", "node-1", simpleDaemonSetLabel, ds, { hash: "dup2" }),
      newPod("on-stale", "node-2", simpleDaemonSetLabel, ds, { hash: "stale" }),
    ]);
    world.revisions = [newer, older, stale];
    const plan = world.sync();
    expect(plan.currentHash).toBe("dup2");
    expect(plan.deleteRevisions).toEqual(["foo-dup1"]);
    expect(plan.patchPods).toEqual([{ name: "on-dup1", uid: "uid-on-dup1", labels: { [hashKey]: "dup2" } }]);
    expect(plan.status?.updatedNumberScheduled).toBe(2);
  });

  it("adopts orphan revisions it selects and releases owned ones it no longer selects", () => {
    const ds = newDaemonSet("foo");
    const orphan = newRevision(newDaemonSet("foo", image("old")), "orphan", 1);
    delete orphan.metadata.ownerReferences;
    const stray = newRevision(newDaemonSet("foo", image("older")), "stray", 2);
    stray.metadata.labels = { other: "x", [hashKey]: "stray" };
    const world = newWorld(ds, addNodes(0, 1));
    world.revisions = [orphan, stray];
    const plan = world.sync();
    expect(plan.updateRevisions).toEqual([
      { name: "foo-orphan", ownerReferences: [expect.objectContaining({ uid: "uid-foo", controller: true })] },
      { name: "foo-stray", ownerReferences: [] },
    ]);
    expect(plan.createRevisions[0]!.revision).toBe(2);
  });
});

describe("cleanupHistory (vector 38)", () => {
  function revisions(count: number): ControllerRevision[] {
    return Array.from({ length: count }, (_, i) => newRevision(newDaemonSet("foo", image(`v${i + 1}`)), `r${i + 1}`, i + 1));
  }

  it("keeps revisionHistoryLimit old revisions, skipping those live pods carry", () => {
    const ds = newDaemonSet("foo", (d) => (image("v5")(d), (d.spec.revisionHistoryLimit = 2)));
    const world = newWorld(ds, addNodes(0, 1), [newPod("p", "node-0", simpleDaemonSetLabel, ds, { hash: "r2" })]);
    world.revisions = revisions(5);
    const plan = world.sync();
    expect(plan.deleteRevisions).toEqual(["foo-r1", "foo-r3"]);
  });

  it.each([
    { name: "within the limit", limit: 10, want: [] },
    { name: "limit 0 deletes every unreferenced old revision", limit: 0, want: ["foo-r1", "foo-r3", "foo-r4"] },
  ])("$name", ({ limit, want }) => {
    const ds = newDaemonSet("foo", (d) => (image("v5")(d), (d.spec.revisionHistoryLimit = limit)));
    const world = newWorld(ds, addNodes(0, 1), [newPod("p", "node-0", simpleDaemonSetLabel, ds, { hash: "r2", phase: "Succeeded", deleting: true })]);
    world.revisions = revisions(5);
    expect(world.sync().deleteRevisions).toEqual(want);
  });
});

describe("hash collisions (vector 39)", () => {
  it("bumps collisionCount and does nothing else, then hashes with the new count", () => {
    const ds = newDaemonSet("foo");
    const squatter = newRevision(newDaemonSet("foo", image("other")), computeTemplateHash(ds.spec.template), 1);
    const world = newWorld(ds, addNodes(0, 2));
    world.revisions = [squatter];

    const first = world.sync();
    expect(first.collisionCount).toBe(1);
    expect(first.status).toBeUndefined();
    expect(first.currentHash).toBe("");
    expect(first.requeueAfterMs).toBe(0);
    expect(counts(first)).toEqual({ c: 0, d: 0 });
    expect(first.createRevisions).toEqual([]);
    world.apply(first);

    const second = world.sync();
    const hash = computeTemplateHash(ds.spec.template, 1);
    expect(second.collisionCount).toBeUndefined();
    expect(second.currentHash).toBe(hash);
    expect(second.createRevisions.map((r) => [r.metadata.name, r.revision])).toEqual([[`foo-${hash}`, 2]]);
    expect(counts(second)).toEqual({ c: 2, d: 0 });
  });
});
