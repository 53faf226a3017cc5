import { describe, expect, it } from "vitest";
import type { IntOrString, Pod } from "../../resources/types.ts";
import { isPodAvailable, isPodReady, isPodUpdated } from "./pod-util.ts";
import { maxUnavailableAndSurge } from "./update-counts.ts";
import { addNodes, iso, newDaemonSet, newWorld } from "./test-fixtures.ts";

/** mulberry32: a small seeded generator, so a failing seed can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const budgets: IntOrString[] = [1, 2, 3, 5, "10%", "25%", "50%"];

describe("a rolling update over 20 nodes with random readiness delays", () => {
  it.each(Array.from({ length: 24 }, (_, seed) => ({ seed, maxUnavailable: budgets[seed % budgets.length]!, minReadySeconds: seed % 3 === 0 ? 5 : 0 })))(
    "never has more than maxUnavailable desired nodes without an available pod (seed $seed, maxUnavailable $maxUnavailable)",
    ({ seed, maxUnavailable, minReadySeconds }) => {
      const rand = random(seed + 1);
      const world = newWorld(
        newDaemonSet("foo", (ds) => {
          ds.spec.minReadySeconds = minReadySeconds;
          ds.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable, maxSurge: 0 } };
        }),
        addNodes(0, 20),
      );
      const readyAt = new Map<string, number>();
      const goneAt = new Map<string, number>();

      /** What the devices do between passes: pods turn Ready after a delay, deleted ones stop. */
      const advance = () => {
        world.now += Math.floor(rand() * 3000);
        world.pods = world.pods.filter((p) => (goneAt.get(p.metadata.uid!) ?? Infinity) > world.now);
        for (const pod of world.pods) {
          const at = readyAt.get(pod.metadata.uid!);
          if (at !== undefined && at <= world.now && !isPodReady(pod)) {
            pod.status = { phase: "Running", conditions: [{ type: "Ready", status: "True", lastTransitionTime: iso(at) }] };
          }
        }
      };
      const pass = () => {
        const plan = world.sync();
        world.apply(plan, { confirmDeletes: false });
        for (const pod of world.pods) {
          const uid = pod.metadata.uid!;
          if (!readyAt.has(uid)) readyAt.set(uid, world.now + Math.floor(rand() * 10_000));
          if (pod.metadata.deletionTimestamp && !goneAt.has(uid)) goneAt.set(uid, world.now + Math.floor(rand() * 6000));
        }
        return plan;
      };
      const availableNodes = (now: number) =>
        new Set(
          world.pods
            .filter((p: Pod) => !p.metadata.deletionTimestamp && isPodAvailable(p, minReadySeconds, now))
            .map((p) => p.spec.nodeName),
        );

      // Roll out the first template and wait until every node is available.
      for (let i = 0; i < 200 && availableNodes(world.now).size < 20; i++) {
        pass();
        advance();
      }
      expect(availableNodes(world.now).size).toBe(20);

      world.editTemplate((ds) => (ds.spec.template.spec.containers[0]!.image = "foo/bar:2"));
      const budget = maxUnavailableAndSurge(world.ds, 20).maxUnavailable;
      let hash = "";
      for (let i = 0; i < 400; i++) {
        hash = pass().currentHash;
        expect(20 - availableNodes(world.now).size, `pass ${i}`).toBeLessThanOrEqual(budget);
        advance();
        expect(20 - availableNodes(world.now).size, `after pass ${i}`).toBeLessThanOrEqual(budget);
      }
      const updated = world.pods.filter((p) => !p.metadata.deletionTimestamp && isPodUpdated(p, hash, undefined));
      expect(updated).toHaveLength(20);
      expect(availableNodes(world.now).size).toBe(20);
    },
  );
});
