import { describe, expect, it } from "vitest";
import type { Affinity, Labels, Node, Pod, PodAffinityTerm } from "../../resources/types.ts";
import { unschedulableRetryMs } from "./bind-pods.ts";
import { newDaemonSet, newNode, newPod, simpleDaemonSetLabel, T0, type World, newWorld } from "./test-fixtures.ts";
import type { Plan } from "./types.ts";

const hostname = "kubernetes.io/hostname";
const zone = "topology.kubernetes.io/zone";

/** n1, n2 in zone a; n3, n4 in zone b; each with its hostname label. */
const fleet = (): Node[] =>
  [
    ["n1", "a"],
    ["n2", "a"],
    ["n3", "b"],
    ["n4", "b"],
  ].map(([name, z]) => newNode(name!, { [hostname]: name!, [zone]: z! }));

const term = (labels: Labels, topologyKey: string): PodAffinityTerm => ({ labelSelector: { matchLabels: labels }, topologyKey });
const withAffinity = (affinity: Affinity) => newDaemonSet("foo", (ds) => (ds.spec.template.spec.affinity = affinity));
/** A pod of some other workload, bound and running. */
const other = (name: string, node: string, labels: Labels, affinity?: Affinity): Pod => {
  const pod = newPod(name, node, labels, null, { hash: null });
  if (affinity) pod.spec.affinity = affinity;
  return pod;
};

/** What the shell loads: every bound pod, this DaemonSet's included. */
const pass = (world: World, others: Pod[]): Plan => {
  const plan = world.sync({ world: { pods: [...others, ...world.pods.filter((p) => p.spec.nodeName)], namespaces: [] } });
  world.apply(plan, { confirmDeletes: false });
  return plan;
};
const placedOn = (world: World) => world.livePods().filter((p) => p.spec.nodeName).map((p) => p.spec.nodeName).sort();
const pendingOn = (world: World) =>
  world
    .livePods()
    .filter((p) => !p.spec.nodeName)
    .map((p) => p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0])
    .sort();
const scheduledOf = (pod: Pod) => pod.status?.conditions?.find((c) => c.type === "PodScheduled");

const S1 = { security: "S1" };
const S2 = { security: "S2" };
/** The docs' example: required podAffinity on security=S1, preferred podAntiAffinity on security=S2. */
const docsExample: Affinity = {
  podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(S1, hostname)] },
  podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term(S2, hostname) }] },
};

describe("binding daemon pods by their required pod (anti-)affinity", () => {
  it.each<[string, Affinity, Pod[], string[], string[]]>([
    ["the docs' example: runs where a security=S1 pod runs, S2 only preferred away", docsExample, [other("s1", "n1", S1), other("s1b", "n4", S1), other("s2", "n4", S2)], ["n1", "n4"], ["n2", "n3"]],
    ["affinity on a zone: every node of a zone with a matching pod", { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(S1, zone)] } }, [other("s1", "n3", S1)], ["n3", "n4"], ["n1", "n2"]],
    ["anti-affinity on hostname: not beside a matching pod", { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(S2, hostname)] } }, [other("s2", "n2", S2)], ["n1", "n3", "n4"], ["n2"]],
    ["anti-affinity on a zone: not in the zone of a matching pod", { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(S2, zone)] } }, [other("s2", "n2", S2)], ["n3", "n4"], ["n1", "n2"]],
    [
      "self anti-affinity on a zone: one pod per zone, though the whole zone is created in one pass",
      { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(simpleDaemonSetLabel, zone)] } },
      [],
      ["n1", "n3"],
      ["n2", "n4"],
    ],
    [
      "self affinity on hostname: the first pod passes alone (first of a series), the others find none beside them",
      { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(simpleDaemonSetLabel, hostname)] } },
      [],
      ["n1"],
      ["n2", "n3", "n4"],
    ],
    [
      "symmetry: an existing pod's required anti-affinity keeps the daemon pod out of its domain",
      {},
      [other("loner", "n3", {}, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(simpleDaemonSetLabel, zone)] } })],
      ["n1", "n2"],
      ["n3", "n4"],
    ],
    ["a finished pod counts for nothing", docsExample, [{ ...other("s1", "n1", S1), status: { phase: "Succeeded" } }], [], ["n1", "n2", "n3", "n4"]],
  ])("%s", (_name, affinity, others, placed, pending) => {
    const world = newWorld(withAffinity(affinity), fleet());
    pass(world, others);
    expect(placedOn(world)).toEqual(placed);
    expect(pendingOn(world)).toEqual(pending);
  });

  it("leaves a pod Pending, unbound, with PodScheduled=False / Unschedulable naming the term", () => {
    const world = newWorld(withAffinity(docsExample), fleet());
    const plan = pass(world, [other("s1", "n1", S1)]);
    const onN2 = plan.createPods.find((p) => !p.spec.nodeName && p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0] === "n2")!;
    expect(onN2.status?.phase).toBe("Pending");
    expect(scheduledOf(onN2)).toMatchObject({
      status: "False",
      reason: "Unschedulable",
      message: expect.stringMatching(/^node\(s\) didn't match pod affinity rules: .*security=S1.*kubernetes\.io\/hostname.*\(podAffinity\.requiredDuringSchedulingIgnoredDuringExecution\[0\]\)$/),
    });
    expect(scheduledOf(plan.createPods.find((p) => p.spec.nodeName === "n1")!)).toMatchObject({ status: "True" });
  });

  it("counts a Pending pod as desired, current and unavailable, and retries it after the scheduler's flush interval", () => {
    const world = newWorld(withAffinity(docsExample), fleet());
    pass(world, [other("s1", "n1", S1)]);
    const plan = pass(world, [other("s1", "n1", S1)]);
    expect(plan.status).toMatchObject({ desiredNumberScheduled: 4, currentNumberScheduled: 4, numberReady: 0, numberUnavailable: 4 });
    world.markReady((p) => Boolean(p.spec.nodeName));
    const next = pass(world, [other("s1", "n1", S1)]);
    expect(next.status).toMatchObject({ desiredNumberScheduled: 4, currentNumberScheduled: 4, numberReady: 1, numberAvailable: 1, numberUnavailable: 3 });
    expect(next.requeueAfterMs).toBe(unschedulableRetryMs);
  });

  it("binds a Pending pod as soon as a matching pod appears in its domain, and only then", () => {
    const world = newWorld(withAffinity({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(S1, zone)] } }), fleet());
    const s1 = other("s1", "n1", S1);
    pass(world, [s1]);
    expect(pendingOn(world)).toEqual(["n3", "n4"]);
    const quiet = pass(world, [s1]);
    expect(quiet.bindPods).toEqual([]);
    expect(quiet.unschedulablePods).toEqual([]); // the same condition is not written again

    const plan = pass(world, [s1, other("s1-b", "n4", S1)]);
    expect(plan.bindPods.map((b) => b.nodeName).sort()).toEqual(["n3", "n4"]);
    expect(plan.createPods).toEqual([]);
    expect(placedOn(world)).toEqual(["n1", "n2", "n3", "n4"]);
  });

  it("keeps a running pod whose anti-affinity is violated later (IgnoredDuringExecution)", () => {
    const world = newWorld(withAffinity({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(S2, hostname)] } }), fleet());
    pass(world, []);
    world.markReady();
    const plan = pass(world, [other("s2", "n1", S2), other("s2b", "n3", S2)]);
    expect(plan.deletePods).toEqual([]);
    expect(plan.unschedulablePods).toEqual([]);
    expect(placedOn(world)).toEqual(["n1", "n2", "n3", "n4"]);
  });

  it("rewrites the condition when the reason changes, keeping when it turned False", () => {
    const world = newWorld(withAffinity({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(S2, hostname)] } }), [fleet()[0]!]);
    world.now = T0;
    pass(world, [other("s2", "n1", S2)]);
    const since = scheduledOf(world.pods[0]!)?.lastTransitionTime;
    world.now = T0 + 60_000;
    world.nodes = [newNode("n1", { [hostname]: "n1" }, [{ key: "dedicated", value: "x", effect: "NoSchedule" }])];
    const plan = pass(world, [other("s2", "n1", S2)]);
    // A NoSchedule taint keeps existing pods, this one included, but the scheduler will not bind it.
    expect(plan.deletePods).toEqual([]);
    expect(plan.unschedulablePods).toHaveLength(1);
    expect(plan.unschedulablePods[0]!.condition).toMatchObject({ status: "False", reason: "Unschedulable", message: "node(s) had untolerated taint {dedicated: x}", lastTransitionTime: since });
  });

  it("deletes a Pending pod whose node stops matching, without binding it", () => {
    const ds = newDaemonSet("foo", (d) => {
      d.spec.template.spec.nodeSelector = { site: "x" };
      d.spec.template.spec.affinity = docsExample;
    });
    const world = newWorld(ds, [newNode("n1", { [hostname]: "n1", site: "x" })]);
    pass(world, []);
    expect(pendingOn(world)).toEqual(["n1"]);
    world.nodes = [newNode("n1", { [hostname]: "n1" })];
    const plan = pass(world, [other("s1", "n1", S1)]);
    expect(plan.deletePods.map((d) => d.reason)).toEqual(["NodeNotEligible"]);
    expect(plan.bindPods).toEqual([]);
    expect(world.pods).toEqual([]); // unbound: gone at once
  });

  it("replaces a Pending pod in a rolling update before any available one", () => {
    const world = newWorld(withAffinity(docsExample), fleet());
    pass(world, [other("s1", "n1", S1)]);
    world.markReady((p) => Boolean(p.spec.nodeName));
    world.editTemplate((ds) => (ds.spec.template.spec.containers[0]!.image = "foo/v2"));
    const plan = pass(world, [other("s1", "n1", S1)]);
    expect(plan.deletePods).toHaveLength(3);
    expect(plan.deletePods.every((d) => world.pods.every((p) => p.metadata.uid !== d.uid))).toBe(true);
  });

  it("binds every pod at once when there is no world to check (no term can matter)", () => {
    const ds = newDaemonSet("foo");
    const world = newWorld(ds, fleet(), [newPod("waiting", "n2", simpleDaemonSetLabel, ds, { bound: false, ready: false, phase: "Pending" })]);
    const plan = world.sync();
    expect(plan.bindPods).toEqual([{ name: "waiting", uid: "uid-waiting", nodeName: "n2" }]);
    expect(plan.createPods.map((p) => p.spec.nodeName)).toEqual(["n1", "n3", "n4"]);
    expect(plan.requeueAfterMs).toBeUndefined();
  });
});
