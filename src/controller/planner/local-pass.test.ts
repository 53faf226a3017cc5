import { describe, expect, it } from "vitest";
import type { DaemonSet, Node, Pod } from "../../resources/types.ts";
import { countFleet, planNodeChanges, restrictInput } from "./local-pass.ts";
import { syncDaemonSet } from "./sync.ts";
import { addNodes, iso, newDaemonSet, newNode, newWorld, type World } from "./test-fixtures.ts";
import type { FleetCounts } from "./fleet-counts.ts";

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

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

/** Full passes, pods turning Ready at once, until nothing is left to do. */
function settle(world: World): void {
  for (let i = 0; i < 20; i++) {
    const plan = world.step();
    world.markReady();
    world.now += 10_000;
    if (plan.createPods.length + plan.deletePods.length + plan.bindPods.length === 0 && plan.requeueAfterMs === undefined) return;
  }
  throw new Error("the world did not settle");
}

type Change = { kind: string; names: string[]; apply(world: World): void };

const readyCondition = (pod: Pod, status: "True" | "False", at: number): Pod => ({
  ...pod,
  status: { ...pod.status, phase: "Running", conditions: [{ type: "Ready", status, lastTransitionTime: iso(at) }] },
});

/** The one-node changes a device or an operator makes: the pokes the controller is told about. */
function oneNodeChange(rand: () => number, world: World, serial: number): Change {
  const node = pick(rand, world.nodes);
  const name = node.metadata.name ?? "";
  const podOn = () => world.pods.find((p) => p.spec.nodeName === name);
  const kinds: Change[] = [
    {
      kind: "label toggled",
      names: [name],
      apply: (w) => {
        const labels = { ...node.metadata.labels };
        if (labels.tier) delete labels.tier;
        else labels.tier = "edge";
        w.nodes = w.nodes.map((n) => (n === node ? { ...n, metadata: { ...n.metadata, labels, resourceVersion: `${serial}` } } : n));
      },
    },
    {
      kind: "node enrolled",
      names: [`new-${serial}`],
      apply: (w) => {
        w.nodes = [...w.nodes, newNode(`new-${serial}`, rand() < 0.7 ? { tier: "edge" } : {})];
      },
    },
    { kind: "node deleted", names: [name], apply: (w) => (w.nodes = w.nodes.filter((n) => n !== node)) },
    { kind: "pod gone", names: [name], apply: (w) => (w.pods = w.pods.filter((p) => p !== podOn())) },
    { kind: "pod not ready", names: [name], apply: (w) => (w.pods = w.pods.map((p) => (p === podOn() ? readyCondition(p, "False", w.now) : p))) },
    { kind: "pod ready again", names: [name], apply: (w) => (w.pods = w.pods.map((p) => (p === podOn() ? readyCondition(p, "True", w.now) : p))) },
    {
      kind: "pod failed",
      names: [name],
      apply: (w) => (w.pods = w.pods.map((p) => (p === podOn() ? { ...p, status: { ...p.status, phase: "Failed" as const } } : p))),
    },
  ];
  return pick(rand, kinds);
}

function daemonSet(rand: () => number): DaemonSet {
  return newDaemonSet("foo", (ds) => {
    if (rand() < 0.5) ds.spec.template.spec.nodeSelector = { tier: "edge" };
    ds.spec.minReadySeconds = pick(rand, [0, 0, 5]);
    ds.spec.updateStrategy = rand() < 0.5 ? { type: "OnDelete" } : { type: "RollingUpdate", rollingUpdate: { maxUnavailable: pick(rand, [1, "10%"]), maxSurge: pick(rand, [0, 0, 1]) } };
  });
}

function fleet(rand: () => number, size: number): Node[] {
  return addNodes(0, size).map((n) => (rand() < 0.8 ? { ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, tier: "edge" } } } : n));
}

/** Plans the local pass for `names` (plus the unsettled ones) and the full pass; both over the same world. */
function bothPasses(world: World, counts: FleetCounts, names: readonly string[]) {
  const active = new Set([...names, ...counts.unsettled]);
  const input = world.input();
  const local = planNodeChanges(restrictInput(input, active), counts, active, world.deps);
  return { local, full: syncDaemonSet(input, world.deps) };
}

describe("a pass over the changed nodes plans what the full pass plans", () => {
  it.each(Array.from({ length: 40 }, (_, seed) => ({ seed })))("chains of one-node changes over a settled fleet (seed $seed)", ({ seed }) => {
    const rand = random(seed + 101);
    const world = newWorld(daemonSet(rand), fleet(rand, 8 + Math.floor(rand() * 20)));
    settle(world);
    let counts = countFleet(world.input(), world.deps)!;
    expect(counts).toBeDefined();
    let localPasses = 0;
    for (let step = 0; step < 12; step++) {
      const change = oneNodeChange(rand, world, step);
      change.apply(world);
      world.now += Math.floor(rand() * 8000);
      let names = change.names;
      // The change's pass, then the passes that observe its writes, as the controller runs them.
      for (let pass = 0; pass < 6; pass++) {
        const { local, full } = bothPasses(world, counts, names);
        if (local) {
          localPasses++;
          expect(local.plan, `${change.kind} on ${names.join()} (pass ${pass})`).toEqual(full);
          for (const [name, summary] of local.summaries) counts.set(name, summary);
        } else {
          // The shell counts the fleet from the full pass's input.
          counts = countFleet(world.input(), world.deps)!;
        }
        // What the pass wrote is what the next one is told about (the shell's podsWritten).
        const nodeOf = new Map(world.pods.map((p) => [p.metadata.uid ?? "", p.spec.nodeName ?? ""]));
        names = [...full.createPods.map((p) => p.spec.nodeName ?? ""), ...full.deletePods.map((d) => nodeOf.get(d.uid) ?? "")].filter(Boolean);
        world.apply(full);
        // The devices start what was created: a change the next pass is told about too.
        const created = new Set(full.createPods.map((p) => p.spec.nodeName ?? ""));
        world.markReady((p) => created.has(p.spec.nodeName ?? ""));
        if (full.createPods.length + full.deletePods.length === 0 && full.requeueAfterMs === undefined) break;
        world.now += 6000;
      }
    }
    // Most passes after one-node changes take the local path (about 18 of 25 across these seeds).
    expect(localPasses).toBeGreaterThan(8);
  });

  it("a label change, an enrolment and a readiness flip in a settled fleet take the local pass", () => {
    const world = newWorld(
      newDaemonSet("foo", (ds) => (ds.spec.template.spec.nodeSelector = { tier: "edge" })),
      addNodes(0, 50, { tier: "edge" }),
    );
    settle(world);
    const counts = countFleet(world.input(), world.deps)!;
    expect(counts.unsettled.size).toBe(0);

    world.nodes = [...world.nodes, newNode("enrolled", { tier: "edge" })];
    const enrolled = bothPasses(world, counts, ["enrolled"]);
    expect(enrolled.local?.plan).toEqual(enrolled.full);
    expect(enrolled.full.createPods.map((p) => p.spec.nodeName)).toEqual(["enrolled"]);
    expect(enrolled.full.status?.desiredNumberScheduled).toBe(51);

    world.nodes = world.nodes.map((n) => (n.metadata.name === "node-7" ? { ...n, metadata: { ...n.metadata, labels: {} } } : n));
    const relabelled = bothPasses(world, counts, ["enrolled", "node-7"]);
    expect(relabelled.local?.plan).toEqual(relabelled.full);
    expect(relabelled.full.deletePods).toHaveLength(1);
  });

  it("a rolling update in progress goes to the full pass", () => {
    const world = newWorld(
      newDaemonSet("foo", (ds) => (ds.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 2 } })),
      addNodes(0, 10),
    );
    settle(world);
    const counts = countFleet(world.input(), world.deps)!;
    world.editTemplate((ds) => (ds.spec.template.spec.containers[0]!.image = "foo:2"));
    world.step();
    const next = countFleet(world.input(), world.deps)!;
    expect(planNodeChanges(restrictInput(world.input(), new Set(["node-1"])), next ?? counts, new Set(["node-1", ...next.unsettled]), world.deps)).toBeUndefined();
  });
});
