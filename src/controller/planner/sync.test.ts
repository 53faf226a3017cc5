import { describe, expect, it } from "vitest";
import type { Node } from "../../resources/types.ts";
import { wellKnown } from "../../resources/types.ts";
import { defaultPlannerDeps } from "./default-deps.ts";
import { newRevision } from "./history.ts";
import { planDaemonSet } from "./index.ts";
import { addNodes, counts, newDaemonSet, newPod, newWorld, simpleDaemonSetLabel, simpleDaemonSetLabel2, T0 } from "./test-fixtures.ts";
import type { PlannerDeps } from "./types.ts";

describe("syncDaemonSet early returns", () => {
  it.each([{ selector: {} }, { selector: { matchLabels: {}, matchExpressions: [] } }])(
    "only warns SelectingAll for selector $selector (vector 22)",
    ({ selector }) => {
      const ds = newDaemonSet("foo", (d) => (d.spec.selector = selector));
      const plan = newWorld(ds, addNodes(0, 3), [newPod("p", "node-0", simpleDaemonSetLabel, ds)]).sync();
      expect(counts(plan)).toEqual({ c: 0, d: 0 });
      expect(plan.status).toBeUndefined();
      expect(plan.createRevisions).toEqual([]);
      expect(plan.events).toEqual([
        { type: "Warning", reason: "SelectingAll", message: "This daemon set is selecting all pods. A non-empty selector is required." },
      ]);
    },
  );

  it("deletes every owned pod and revision of a DaemonSet being deleted, and nothing else (vector 22)", () => {
    const ds = newDaemonSet("foo", (d) => (d.metadata.deletionTimestamp = new Date(T0).toISOString()));
    const owned = newRevision(ds, "h", 1);
    const orphanRev = newRevision(ds, "o", 2);
    delete orphanRev.metadata.ownerReferences;
    const world = newWorld(ds, addNodes(0, 3), [
      newPod("mine", "node-0", simpleDaemonSetLabel, ds),
      newPod("mine-terminating", "node-1", simpleDaemonSetLabel, ds, { deleting: true }),
      newPod("orphan", "node-2", simpleDaemonSetLabel, null),
    ]);
    world.revisions = [owned, orphanRev];
    const plan = world.sync();
    expect(plan.deletePods).toEqual([{ name: "mine", uid: "uid-mine", reason: "DaemonSetDeleted" }]);
    expect(plan.deleteRevisions).toEqual(["foo-h"]);
    expect(plan.createPods).toEqual([]);
    expect(plan.patchPods).toEqual([]);
    expect(plan.status).toBeUndefined();
  });
});

describe("claiming pods", () => {
  it("adopts matching orphans and counts them; ignores other controllers' and terminating orphans", () => {
    const ds = newDaemonSet("foo");
    const other = newPod("other-owner", "node-2", simpleDaemonSetLabel, null);
    other.metadata.ownerReferences = [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "bar", uid: "uid-bar", controller: true }];
    const orphan = newPod("orphan", "node-0", simpleDaemonSetLabel, ds);
    orphan.metadata.ownerReferences = [{ apiVersion: "v1", kind: "ConfigMap", name: "cm", uid: "uid-cm" }];
    const world = newWorld(ds, addNodes(0, 3), [
      orphan,
      newPod("terminating-orphan", "node-1", simpleDaemonSetLabel, null, { deleting: true }),
      newPod("unselected-orphan", "node-1", simpleDaemonSetLabel2, null),
      other,
    ]);
    const plan = world.sync();
    expect(plan.patchPods).toEqual([
      {
        name: "orphan",
        uid: "uid-orphan",
        ownerReferences: [
          { apiVersion: "v1", kind: "ConfigMap", name: "cm", uid: "uid-cm" },
          { apiVersion: "apps/v1", kind: "DaemonSet", name: "foo", uid: "uid-foo", controller: true, blockOwnerDeletion: true },
        ],
      },
    ]);
    expect(plan.createPods.map((p) => p.spec.nodeName)).toEqual(["node-1", "node-2"]);
    expect(plan.status?.currentNumberScheduled).toBe(1);
  });

  it("releases owned pods the selector no longer matches, keeping their other owners", () => {
    const ds = newDaemonSet("foo");
    const stray = newPod("stray", "node-0", simpleDaemonSetLabel2, ds);
    stray.metadata.ownerReferences!.push({ apiVersion: "v1", kind: "ConfigMap", name: "cm", uid: "uid-cm" });
    const plan = newWorld(ds, addNodes(0, 1), [stray]).sync();
    expect(plan.patchPods).toEqual([{ name: "stray", uid: "uid-stray", ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "cm", uid: "uid-cm" }] }]);
    expect(plan.createPods).toHaveLength(1);
  });
});

describe("placement is injected", () => {
  const onlyEven: PlannerDeps = {
    nodeShouldRunDaemonPod: (node: Node) => {
      const even = Number(node.metadata.name!.split("-")[1]) % 2 === 0;
      return { shouldRun: even, shouldContinueRunning: even, warnings: ['invalid node affinity term: "Gt" needs one integer'] };
    },
    addDaemonPodTolerations: (spec) => ({ ...spec, tolerations: [{ key: "fake", operator: "Exists" }] }),
    podFitsNode: () => ({ fits: true }),
  };

  it("uses the injected placement and tolerations, and reports placement warnings once", () => {
    const plan = planDaemonSet(newWorld(newDaemonSet("foo"), addNodes(0, 4)).input(), onlyEven);
    expect(plan.createPods.map((p) => p.spec.nodeName)).toEqual(["node-0", "node-2"]);
    expect(plan.createPods[0]!.spec.tolerations).toEqual([{ key: "fake", operator: "Exists" }]);
    expect(plan.events.filter((e) => e.reason === "FailedPlacement")).toEqual([
      { type: "Warning", reason: "FailedPlacement", message: 'invalid node affinity term: "Gt" needs one integer' },
    ]);
  });

  it("defaults to src/scheduling", () => {
    const plan = planDaemonSet(newWorld(newDaemonSet("foo"), addNodes(0, 1)).input());
    expect(plan.createPods[0]!.spec.tolerations).toEqual(defaultPlannerDeps.addDaemonPodTolerations({ containers: [] }).tolerations);
  });
});

describe("plan shape", () => {
  it("orders events: manage warnings, then creates, then deletes", () => {
    const ds = newDaemonSet("foo");
    const plan = newWorld(ds, addNodes(0, 2), [newPod("failed", "node-0", simpleDaemonSetLabel, ds, { phase: "Failed" })]).sync();
    expect(plan.events.map((e) => e.reason)).toEqual(["FailedDaemonPod", "SuccessfulCreate", "SuccessfulDelete"]);
    expect(plan.events[2]!.message).toBe("Deleted pod: failed");
  });

  it("returns the backoff table with expired entries dropped", () => {
    const world = newWorld(newDaemonSet("foo"), addNodes(0, 1));
    world.backoff = { "old/1/node-0": T0 - 3_600_000, "old/1/node-0#backoff": 1000, "live/1/node-0": T0 + 5000, "live/1/node-0#backoff": 8000 };
    expect(world.sync().failedPodBackoff).toEqual({ "live/1/node-0": T0 + 5000, "live/1/node-0#backoff": 8000 });
  });

  it("labels created pods with the current hash", () => {
    const plan = newWorld(newDaemonSet("foo"), addNodes(0, 1)).sync();
    expect(plan.createPods[0]!.metadata.labels?.[wellKnown.controllerRevisionHash]).toBe(plan.currentHash);
  });
});
