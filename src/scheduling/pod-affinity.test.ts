import { describe, expect, it } from "vitest";
import type { Labels, Namespace, Node, Pod, PodAffinityTerm, PodSpec } from "../resources/types.ts";
import { checkPodAffinity, type IncomingPod, type PodAffinityWorld } from "./pod-affinity.ts";
import { node, pod } from "./test-fixtures.ts";

const hostname = "kubernetes.io/hostname";
const site = "site";

/** site a: n1, n2; site b: n3, n5; n4 has a hostname but no site label. */
const n1 = node("n1", { [hostname]: "n1", [site]: "a" });
const n2 = node("n2", { [hostname]: "n2", [site]: "a" });
const n3 = node("n3", { [hostname]: "n3", [site]: "b" });
const n4 = node("n4", { [hostname]: "n4" });
const n5 = node("n5", { [hostname]: "n5", [site]: "b" });
const allNodes = [n1, n2, n3, n4, n5];

const namespace = (name: string, labels: Labels = {}): Namespace => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
const world = (pods: Pod[], namespaces: Namespace[] = [namespace("default")]): PodAffinityWorld => ({
  nodes: new Map(allNodes.map((n) => [n.metadata.name as string, n])),
  pods,
  namespaces,
});
const term = (labelSelector: PodAffinityTerm["labelSelector"], topologyKey: string, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({
  labelSelector,
  topologyKey,
  ...extra,
});
const incoming = (spec: Partial<PodSpec>, labels: Labels = { app: "x" }, ns = "default"): IncomingPod => ({
  namespace: ns,
  labels,
  spec: { containers: [], ...spec },
});
const affinity = (...terms: PodAffinityTerm[]): Partial<PodSpec> => ({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } } });
const antiAffinity = (...terms: PodAffinityTerm[]): Partial<PodSpec> => ({
  affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } },
});
const fitting = (p: IncomingPod, w: PodAffinityWorld): string[] =>
  allNodes.filter((n: Node) => checkPodAffinity(p, n, w).fits).map((n) => n.metadata.name as string);

const S1 = { matchLabels: { security: "S1" } };
const s1OnN1 = pod("s1", "n1", { security: "S1" });
const s2OnN3 = pod("s2", "n3", { security: "S2" });

describe("required podAffinity", () => {
  it.each<[string, IncomingPod, Pod[], string[]]>([
    ["hostname: only the node that runs the pod", incoming(affinity(term(S1, hostname))), [s1OnN1, s2OnN3], ["n1"]],
    ["site: any node of the same site", incoming(affinity(term(S1, site))), [s1OnN1, s2OnN3], ["n1", "n2"]],
    ["a pod of another namespace does not count", incoming(affinity(term(S1, hostname)), { app: "x" }, "edge"), [s1OnN1], []],
    ["namespaces lists it", incoming(affinity(term(S1, hostname, { namespaces: ["default"] })), { app: "x" }, "edge"), [s1OnN1], ["n1"]],
    ["namespaceSelector {} means every namespace", incoming(affinity(term(S1, hostname, { namespaceSelector: {} })), { app: "x" }, "edge"), [s1OnN1], ["n1"]],
    ["labelSelector {} matches any pod", incoming(affinity(term({}, site))), [s2OnN3], ["n3", "n5"]],
    ["labelSelector null matches no pod", incoming(affinity(term(null as never, hostname))), [s1OnN1], []],
    ["terminal pods do not count", incoming(affinity(term(S1, hostname))), [{ ...s1OnN1, status: { phase: "Succeeded" } }], []],
    ["pods on unknown nodes do not count", incoming(affinity(term(S1, hostname))), [pod("s1", "gone", { security: "S1" })], []],
    [
      "terms are ANDed and one pod must match them all",
      incoming(affinity(term(S1, site), term({ matchLabels: { tier: "db" } }, site))),
      [s1OnN1, pod("db", "n2", { tier: "db" })],
      [],
    ],
    [
      "a pod matching every term satisfies them all",
      incoming(affinity(term(S1, site), term({ matchLabels: { tier: "db" } }, hostname))),
      [pod("both", "n2", { security: "S1", tier: "db" })],
      ["n2"],
    ],
  ])("%s", (_name, p, pods, expected) => {
    expect(fitting(p, world(pods))).toEqual(expected);
  });

  it.each<[string, Namespace[], string[]]>([
    ["a namespaceSelector that matches the pod's namespace", [namespace("default", { team: "core" }), namespace("edge")], ["n1"]],
    ["a namespaceSelector that does not", [namespace("default", { team: "other" }), namespace("edge")], []],
  ])("%s", (_name, namespaces, expected) => {
    const p = incoming(affinity(term(S1, hostname, { namespaceSelector: { matchLabels: { team: "core" } } })), { app: "x" }, "edge");
    expect(fitting(p, world([s1OnN1], namespaces))).toEqual(expected);
  });

  it("names the failing term when no matching pod runs in the domain", () => {
    expect(checkPodAffinity(incoming(affinity(term(S1, site))), n3, world([s1OnN1]))).toEqual({
      fits: false,
      message:
        "node(s) didn't match pod affinity rules: no running pod matching security=S1 in the same site domain (podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0])",
    });
  });

  it("names the topology label a node lacks", () => {
    expect(checkPodAffinity(incoming(affinity(term(S1, site))), n4, world([s1OnN1]))).toEqual({
      fits: false,
      message: "node(s) didn't match pod affinity rules: node has no site label (podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0])",
    });
  });

  it("lets the first pod of a series in when nothing matches yet and it matches its own terms", () => {
    const self = incoming(affinity(term({ matchLabels: { app: "x" } }, site)));
    expect(fitting(self, world([s2OnN3]))).toEqual(["n1", "n2", "n3", "n5"]);
    const notSelf = incoming(affinity(term({ matchLabels: { app: "y" } }, site)));
    expect(fitting(notSelf, world([s2OnN3]))).toEqual([]);
  });

  it("ends the first-of-a-series exception once a matching pod runs somewhere", () => {
    const self = incoming(affinity(term({ matchLabels: { app: "x" } }, site)));
    expect(fitting(self, world([pod("x-1", "n3", { app: "x" })]))).toEqual(["n3", "n5"]);
  });

  it("does not count the incoming pod itself", () => {
    const self = { ...incoming(affinity(term({ matchLabels: { app: "x" } }, hostname))), name: "me" };
    const w = world([pod("me", "n1", { app: "x" }), pod("other", "n3", { app: "x" })]);
    expect(fitting(self, w)).toEqual(["n3"]);
  });
});

describe("required podAntiAffinity", () => {
  it.each<[string, IncomingPod, Pod[], string[]]>([
    ["site: not in the site of a matching pod", incoming(antiAffinity(term(S1, site))), [s1OnN1], ["n3", "n4", "n5"]],
    ["hostname: not on the node of a matching pod", incoming(antiAffinity(term(S1, hostname))), [s1OnN1], ["n2", "n3", "n4", "n5"]],
    ["labelSelector {} keeps away from every pod", incoming(antiAffinity(term({}, hostname))), [s1OnN1, s2OnN3], ["n2", "n4", "n5"]],
    ["labelSelector null keeps away from none", incoming(antiAffinity(term(null as never, site))), [s1OnN1], ["n1", "n2", "n3", "n4", "n5"]],
    ["pods of other namespaces do not repel", incoming(antiAffinity(term(S1, site)), { app: "x" }, "edge"), [s1OnN1], ["n1", "n2", "n3", "n4", "n5"]],
    ["self anti-affinity per hostname spreads one per node", incoming(antiAffinity(term({ matchLabels: { app: "x" } }, hostname))), [pod("x-1", "n2", { app: "x" })], ["n1", "n3", "n4", "n5"]],
  ])("%s", (_name, p, pods, expected) => {
    expect(fitting(p, world(pods))).toEqual(expected);
  });

  it("names the pod that is in the way", () => {
    expect(checkPodAffinity(incoming(antiAffinity(term(S1, site))), n2, world([s1OnN1]))).toEqual({
      fits: false,
      message:
        "node(s) didn't match pod anti-affinity rules: pod default/s1 matching security=S1 already runs in the same site domain (site=a) (podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0])",
    });
  });

  it("is symmetric: an existing pod's anti-affinity keeps this pod out of its domain", () => {
    const guard = pod("guard", "n3", { role: "guard" }, antiAffinity(term({ matchLabels: { app: "x" } }, site)));
    const w = world([guard]);
    expect(fitting(incoming({}), w)).toEqual(["n1", "n2", "n4"]);
    expect(fitting(incoming({}, { app: "y" }), w)).toEqual(["n1", "n2", "n3", "n4", "n5"]);
    expect(checkPodAffinity(incoming({}), n5, w)).toEqual({
      fits: false,
      message:
        "node(s) didn't satisfy existing pods anti-affinity rules: pod default/guard on node n3 has podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0] matching this pod in the same site domain (site=b)",
    });
  });
});

describe("the docs example", () => {
  it("required podAffinity security=S1 with preferred podAntiAffinity security=S2 fits exactly the nodes running an S1 pod", () => {
    const p = incoming({
      affinity: {
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(S1, hostname)] },
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term({ matchLabels: { security: "S2" } }, hostname) }],
        },
      },
    });
    const w = world([s1OnN1, pod("s1b", "n3", { security: "S1" }), s2OnN3, pod("s2b", "n2", { security: "S2" })]);
    expect(fitting(p, w)).toEqual(["n1", "n3"]);
  });
});

describe("invalid terms", () => {
  it("reports a selector that cannot be parsed", () => {
    const p = incoming(affinity(term({ matchExpressions: [{ key: "a", operator: "In", values: [] }] }, hostname)));
    expect(checkPodAffinity(p, n1, world([]))).toEqual({
      fits: false,
      message: "parsing pod: values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    });
  });
});
