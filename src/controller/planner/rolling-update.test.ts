import { describe, expect, it } from "vitest";
import type { DaemonSet, IntOrString, Pod } from "../../resources/types.ts";
import { wellKnown } from "../../resources/types.ts";
import { computeTemplateHash } from "./hash.ts";
import { isPodReady } from "./pod-util.ts";
import {
  addNodes,
  counts,
  createdOn,
  deletedNames,
  newDaemonSet,
  newNode,
  newPod,
  newWorld,
  simpleDaemonSetLabel,
  type World,
} from "./test-fixtures.ts";

const maxUnavailable = (n: IntOrString) => (ds: DaemonSet) =>
  (ds.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: n, maxSurge: 0 } });
const maxSurge = (n: IntOrString) => (ds: DaemonSet) =>
  (ds.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: n } });
const image = (img: string) => (ds: DaemonSet) => (ds.spec.template.spec.containers[0]!.image = img);

/** A world whose pods were all created and became Ready under the initial template. */
function rolledOut(nodes: number, mutate?: (ds: DaemonSet) => void, ready = true): World {
  const world = newWorld(newDaemonSet("foo", mutate), addNodes(0, nodes));
  world.step();
  if (ready) world.markReady();
  return world;
}

/** Runs passes; `"ready"` marks every live pod Ready; each number pair is the expected c/d of a pass. */
function drive(world: World, script: ({ c: number; d: number } | "ready")[]): void {
  for (const [i, expected] of script.entries()) {
    if (expected === "ready") {
      world.markReady();
      continue;
    }
    expect(counts(world.step()), `pass ${i}`).toEqual(expected);
  }
}

const c = (n: number) => ({ c: n, d: 0 });
const d = (n: number) => ({ c: 0, d: n });
const zero = { c: 0, d: 0 };

describe("rollingUpdate without surge", () => {
  it("replaces maxUnavailable pods per wave, deleting first (vector 24)", () => {
    const world = rolledOut(5);
    world.editTemplate((ds) => (image("foo2/bar2")(ds), maxUnavailable(2)(ds)));
    drive(world, [d(2), c(2), "ready", d(2), c(2), "ready", d(1), c(1), "ready", zero]);
    expect(world.ds.status).toMatchObject({ updatedNumberScheduled: 5, numberAvailable: 5 });
  });

  it("stalls when new pods never become Ready (vector 25)", () => {
    const world = rolledOut(5);
    world.editTemplate((ds) => (image("foo2/bar2")(ds), maxUnavailable(3)(ds)));
    drive(world, [d(3), c(3), zero, zero]);
  });

  it("replaces every old pod at once when none is available (vector 25)", () => {
    const world = rolledOut(5, undefined, false);
    world.editTemplate((ds) => (image("foo2/bar2")(ds), maxUnavailable(3)(ds)));
    drive(world, [d(5), c(5), zero]);
  });

  it("does nothing when only the strategy changed (vector 26)", () => {
    const world = rolledOut(5, (ds) => (ds.spec.updateStrategy = { type: "OnDelete" }));
    world.editSpec(maxUnavailable(3));
    drive(world, [zero]);
  });

  it("does nothing on a template change under OnDelete", () => {
    const world = rolledOut(5, (ds) => (ds.spec.updateStrategy = { type: "OnDelete" }));
    world.editTemplate(image("foo2/bar2"));
    drive(world, [zero]);
    expect(world.ds.status?.updatedNumberScheduled).toBe(0);
  });

  describe("a second update while the first left 10 of 20 pods unavailable (vector 27)", () => {
    function halfwayWorld(): { world: World; stuck: string[] } {
      const world = rolledOut(20);
      world.editTemplate((ds) => (image("v2")(ds), maxUnavailable(10)(ds)));
      drive(world, [d(10), c(10)]);
      const stuck = world.pods.filter((p) => !isPodReady(p)).map((p) => p.metadata.name!);
      expect(stuck).toHaveLength(10);
      return { world, stuck };
    }

    it.each([0, 1, 5, 9, 10])("maxUnavailable %i replaces exactly the 10 unavailable pods", (n) => {
      const { world, stuck } = halfwayWorld();
      world.editTemplate((ds) => (image("v3")(ds), maxUnavailable(n)(ds)));
      const plan = world.step();
      expect(deletedNames(plan)).toEqual([...stuck].sort());
      expect(counts(world.step())).toEqual(c(10));
      expect(world.pods.filter((p) => p.spec.containers[0]!.image === "foo/bar")).toHaveLength(10);
    });

    it("maxUnavailable 11 also takes one available old pod", () => {
      const { world } = halfwayWorld();
      world.editTemplate((ds) => (image("v3")(ds), maxUnavailable(11)(ds)));
      expect(counts(world.step())).toEqual(d(11));
    });
  });

  it("deletes only the unavailable old pods when new pods already use the budget (vector 28)", () => {
    const ds = newDaemonSet("foo", maxUnavailable(10));
    const hash = computeTemplateHash(ds.spec.template);
    const pods: Pod[] = [];
    for (let i = 0; i < 100; i++) {
      const node = `node-${i}`;
      if (i < 88) pods.push(newPod(node, node, simpleDaemonSetLabel, ds, { hash, ready: false }));
      else if (i < 90) pods.push(newPod(node, node, simpleDaemonSetLabel, ds, { hash: "old", ready: false }));
      else pods.push(newPod(node, node, simpleDaemonSetLabel, ds, { hash: "old" }));
    }
    const world = newWorld(ds, addNodes(0, 100), pods);
    const plan = world.step();
    expect(deletedNames(plan)).toEqual(["node-88", "node-89"]);
    drive(world, [c(2), zero]);
  });

  it("spends the budget on the unavailable old pod first (vector 29)", () => {
    const world = rolledOut(3);
    const node2 = world.pods.find((p) => p.spec.nodeName === "node-2")!;
    node2.status!.conditions![0]!.status = "False";
    world.editTemplate((ds) => (image("v2")(ds), maxUnavailable(1)(ds)));
    expect(deletedNames(world.step())).toEqual([node2.metadata.name]);
    expect(createdOn(world.step())).toEqual(["node-2"]);
    expect(counts(world.step())).toEqual(zero);
  });

  it("leaves a node tainted not-ready:NoSchedule without a new pod (vector 29)", () => {
    const world = rolledOut(3);
    const node2 = world.pods.find((p) => p.spec.nodeName === "node-2")!;
    node2.status!.conditions![0]!.status = "False";
    world.nodes[2] = newNode("node-2", {}, [{ key: wellKnown.taintNotReady, effect: "NoSchedule" }]);
    world.editTemplate((ds) => (image("v2")(ds), maxUnavailable(1)(ds)));
    expect(deletedNames(world.step())).toEqual([node2.metadata.name]);
    // The rollout goes on over the two desired nodes; node-2 never gets a pod back.
    for (let pass = 0; pass < 6; pass++) {
      const plan = world.step();
      expect(createdOn(plan)).not.toContain("node-2");
      expect(plan.status?.desiredNumberScheduled ?? world.ds.status?.desiredNumberScheduled).toBe(2);
      world.markReady();
    }
    expect(world.livePods().map((p) => p.spec.nodeName).sort()).toEqual(["node-0", "node-1"]);
  });

  it("counts a node whose only pod is terminating against the budget", () => {
    const world = rolledOut(3);
    world.editTemplate((ds) => (image("v2")(ds), maxUnavailable(1)(ds)));
    world.pods[0]!.metadata.deletionTimestamp = new Date(world.now).toISOString();
    expect(counts(world.sync())).toEqual(zero);
  });
});

describe("rollingUpdate with surge", () => {
  // Kubernetes' unit test sees (c2 d2) in one sync because its fake pod control observes the
  // deletes at once; with the expectations gate the old pods go in one pass (manage) and the next
  // surge wave comes in the following one (rollingUpdate).
  it("creates up to maxSurge new pods, deleting old ones once the new are available (vector 30)", () => {
    const world = rolledOut(5);
    world.editTemplate((ds) => (image("foo2/bar2")(ds), maxSurge(2)(ds)));
    drive(world, [
      c(2), zero, "ready",
      d(2), c(2), zero, "ready",
      d(2), c(1), zero, "ready",
      d(1), zero,
    ]);
  });

  it("never has more than maxSurge extra pods nor an unavailable node during a surge rollout", () => {
    const world = rolledOut(5);
    world.editTemplate((ds) => (image("foo2/bar2")(ds), maxSurge(2)(ds)));
    for (let pass = 0; pass < 20; pass++) {
      world.step();
      expect(world.livePods().length).toBeLessThanOrEqual(5 + 2);
      const available = new Set(world.livePods().filter(isPodReady).map((p) => p.spec.nodeName));
      expect(available.size).toBe(5);
      if (pass % 2 === 1) world.markReady();
    }
    expect(world.ds.status).toMatchObject({ updatedNumberScheduled: 5, numberAvailable: 5 });
  });

  it("replaces every unavailable old pod at once, then manage drops the old ones (vector 31)", () => {
    const world = rolledOut(5, undefined, false);
    world.editTemplate((ds) => (image("foo2/bar2")(ds), maxSurge(3)(ds)));
    drive(world, [c(5), d(5), zero]);
  });

  it("moves a pod off a node that no longer tolerates it only when the others cover every desired node (vector 33)", () => {
    const tolerateControlPlane = (ds: DaemonSet) => {
      ds.spec.template.spec.tolerations = [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }];
    };
    const world = rolledOut(5, (ds) => (tolerateControlPlane(ds), maxSurge(1)(ds)));
    world.nodes[0] = newNode("node-0", {}, [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]);
    world.editTemplate((ds) => (ds.spec.template.spec.tolerations = undefined));
    const plan = world.sync();
    expect(counts(plan)).toEqual({ c: 1, d: 1 });
    expect(createdOn(plan)).toEqual(["node-1"]);
    expect(plan.deletePods[0]!.name).toBe(world.pods.find((p) => p.spec.nodeName === "node-0")!.metadata.name);
  });

  it("keeps the old pod while the new one waits out minReadySeconds", () => {
    const world = rolledOut(1);
    world.editTemplate((ds) => (image("v2")(ds), maxSurge(1)(ds), (ds.spec.minReadySeconds = 15)));
    drive(world, [c(1)]);
    world.markReady();
    world.now += 10_000;
    const waiting = world.step();
    expect(counts(waiting)).toEqual(zero);
    expect(waiting.requeueAfterMs).toBe(6_000);
    world.now += 6_000;
    drive(world, [d(1), zero]);
  });
});

describe("the expectations gate", () => {
  it("runs no rolling update in a pass where manage acted", () => {
    const world = rolledOut(3);
    world.editTemplate((ds) => (image("v2")(ds), maxUnavailable(3)(ds)));
    world.pods = world.pods.filter((p) => p.spec.nodeName !== "node-0");
    const plan = world.step();
    expect(createdOn(plan)).toEqual(["node-0"]);
    expect(plan.deletePods).toEqual([]);
    expect(counts(world.step())).toEqual(d(2));
  });

  it("skips the rolling update (and history cleanup) when maxUnavailable is malformed", () => {
    const world = rolledOut(3);
    world.editTemplate((ds) => (image("v2")(ds), maxUnavailable("10")(ds)));
    const plan = world.step();
    expect(counts(plan)).toEqual(zero);
    expect(plan.status?.updatedNumberScheduled).toBe(0);
  });
});
