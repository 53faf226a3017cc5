import { describe, expect, it } from "vitest";
import { matchesLabels, selectorFromLabelSelector } from "../resources/label-selector.ts";
import type { DaemonSet, Node, NodeSelectorTerm, Toleration } from "../resources/types.ts";
import { addDaemonPodTolerations } from "./daemon-tolerations.ts";
import { nodeShouldRunDaemonPod, reasonNodeAffinity, reasonNodeName } from "./node-should-run.ts";
import { L1, ds, matchLabels, node, nodes, otherLabels, taint } from "./test-fixtures.ts";

/** node name -> [shouldRun, shouldContinueRunning] */
const placements = (ns: Node[], d: DaemonSet): Record<string, [boolean, boolean]> =>
  Object.fromEntries(
    ns.map((n) => {
      const p = nodeShouldRunDaemonPod(n, d);
      return [n.metadata.name, [p.shouldRun, p.shouldContinueRunning]];
    }),
  );
const runningOn = (ns: Node[], d: DaemonSet): string[] =>
  ns.filter((n) => nodeShouldRunDaemonPod(n, d).shouldRun).map((n) => n.metadata.name as string);

const affinity = (nodeSelectorTerms: NodeSelectorTerm[] | undefined) => ({
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } as { nodeSelectorTerms: NodeSelectorTerm[] } } },
});

/** Vector #2's nodes: node-0..3 unlabeled, node-4..6 labelled L1. */
const mixed = [...nodes(0, 4), ...nodes(4, 7, L1)];

describe("which nodes run a daemon pod (k8s-daemonset.md §6)", () => {
  it.each<[string, Node[], DaemonSet, string[]]>([
    ["#1 plain DS runs everywhere", nodes(0, 5), ds(), ["node-0", "node-1", "node-2", "node-3", "node-4"]],
    ["#2 nodeSelector L1 picks the labelled nodes", mixed, ds({ nodeSelector: L1 }), ["node-4", "node-5", "node-6"]],
    ["#2 nodeSelector no node has", mixed, ds({ nodeSelector: { color: "red", speed: "fast" } }), []],
    ["#3 template nodeName", nodes(0, 5), ds({ nodeName: "node-0" }), ["node-0"]],
    ["#3 template nodeName of an absent node", nodes(0, 5), ds({ nodeName: "node-10" }), []],
    ["#3 nodeName and a nodeSelector that node lacks", mixed, ds({ nodeName: "node-0", nodeSelector: L1 }), []],
    ["#3 nodeName and a nodeSelector that node has", mixed, ds({ nodeName: "node-6", nodeSelector: L1 }), ["node-6"]],
    ["#4 every node of five", nodes(0, 5), ds(), ["node-0", "node-1", "node-2", "node-3", "node-4"]],
    ["#5/#6 selector L1 on nodes 5-9", [...nodes(0, 5), ...nodes(5, 10, L1)], ds({ nodeSelector: L1 }), ["node-5", "node-6", "node-7", "node-8", "node-9"]],
    ["#14 affinity In color=[blue]", mixed, ds(affinity([{ matchExpressions: [{ key: "color", operator: "In", values: ["blue"] }] }])), ["node-4", "node-5", "node-6"]],
    ["#14 nodeSelectorTerms nil", mixed, ds(affinity(undefined)), []],
    ["#14 nodeSelectorTerms []", mixed, ds(affinity([])), []],
    ["#14 nodeSelectorTerms [{}]", mixed, ds(affinity([{}])), []],
    [
      "nodeSelector AND affinity",
      [node("a", { color: "blue", zone: "1" }), node("b", { color: "blue", zone: "2" }), node("c", { zone: "1" })],
      ds({ nodeSelector: { color: "blue" }, ...affinity([{ matchExpressions: [{ key: "zone", operator: "In", values: ["1"] }] }]) }),
      ["a"],
    ],
  ])("%s", (_name, ns, d, expected) => {
    expect(runningOn(ns, d)).toEqual(expected);
  });

  it("#5/#6 nodes that stop matching keep no pod (false, false)", () => {
    expect(placements([...nodes(0, 2), ...nodes(5, 6, L1)], ds({ nodeSelector: L1 }))).toEqual({
      "node-0": [false, false],
      "node-1": [false, false],
      "node-5": [true, true],
    });
  });
});

describe("taints and the default daemon tolerations", () => {
  const dedicatedNoSchedule = taint("dedicated", "NoSchedule", "user1");
  const tolerateDedicated = { tolerations: [{ key: "dedicated", value: "user1", effect: "NoSchedule" as const }] };
  const notReady = [{ type: "Ready", status: "False" as const }];
  const unknown = [{ type: "Ready", status: "Unknown" as const }];

  it.each<[string, Node, DaemonSet, [boolean, boolean]]>([
    ["#7 untolerated NoSchedule: keep the pod, create none", node("n", {}, [dedicatedNoSchedule]), ds(), [false, true]],
    ["#8 untolerated NoExecute: delete the pod", node("n", {}, [taint("dedicated", "NoExecute", "user1")]), ds(), [false, false]],
    ["#8 tolerated NoSchedule", node("n", {}, [dedicatedNoSchedule]), ds(tolerateDedicated), [true, true]],
    ["#8 a toleration for NoSchedule does not cover NoExecute", node("n", {}, [taint("dedicated", "NoExecute", "user1")]), ds(tolerateDedicated), [false, false]],
    ["#9 Ready=False with not-ready:NoExecute", node("n", {}, [taint("node.kubernetes.io/not-ready", "NoExecute")], { conditions: notReady }), ds(), [true, true]],
    ["#9 Ready=Unknown with unreachable:NoExecute", node("n", {}, [taint("node.kubernetes.io/unreachable", "NoExecute")], { conditions: unknown }), ds(), [true, true]],
    ["#9 disk-pressure:NoSchedule", node("n", {}, [taint("node.kubernetes.io/disk-pressure", "NoSchedule")]), ds(), [true, true]],
    ["#9 memory-pressure:NoSchedule", node("n", {}, [taint("node.kubernetes.io/memory-pressure", "NoSchedule")]), ds(), [true, true]],
    ["#9 pid-pressure:NoSchedule", node("n", {}, [taint("node.kubernetes.io/pid-pressure", "NoSchedule")]), ds(), [true, true]],
    ["#10 unschedulable node", node("n", {}, [], { unschedulable: true }), ds(), [true, true]],
    ["#10 unschedulable node with unschedulable:NoSchedule", node("n", {}, [taint("node.kubernetes.io/unschedulable", "NoSchedule")], { unschedulable: true }), ds(), [true, true]],
    ["#11 network-unavailable with hostNetwork", node("n", {}, [taint("node.kubernetes.io/network-unavailable", "NoSchedule")]), ds({ hostNetwork: true }), [true, true]],
    ["#11 network-unavailable without hostNetwork", node("n", {}, [taint("node.kubernetes.io/network-unavailable", "NoSchedule")]), ds(), [false, true]],
    ["#11 NetworkUnavailable condition without the taint", node("n", {}, [], { conditions: [{ type: "NetworkUnavailable", status: "True" }] }), ds(), [true, true]],
    [
      "#12 not-ready:NoSchedule plus not-ready:NoExecute",
      node("n", {}, [taint("node.kubernetes.io/not-ready", "NoSchedule"), taint("node.kubernetes.io/not-ready", "NoExecute")], { conditions: notReady }),
      ds(),
      [false, true],
    ],
    ["PreferNoSchedule never blocks", node("n", {}, [taint("dedicated", "PreferNoSchedule", "user1")]), ds(), [true, true]],
    ["a toleration of everything", node("n", {}, [taint("dedicated", "NoExecute", "user1")]), ds({ tolerations: [{ operator: "Exists" }] }), [true, true]],
  ])("%s", (_name, n, d, expected) => {
    const p = nodeShouldRunDaemonPod(n, d);
    expect([p.shouldRun, p.shouldContinueRunning]).toEqual(expected);
  });
});

describe("reasons and warnings", () => {
  it.each<[string, Node, DaemonSet, string | undefined]>([
    ["runs", node("n"), ds(), undefined],
    ["nodeName elsewhere", node("n"), ds({ nodeName: "other" }), reasonNodeName],
    ["nodeSelector", node("n"), ds({ nodeSelector: L1 }), reasonNodeAffinity],
    ["untolerated taint", node("n", {}, [taint("dedicated", "NoSchedule", "user1")]), ds(), "node(s) had untolerated taint {dedicated: user1}"],
    [
      "the NoExecute taint is named when both block",
      node("n", {}, [taint("a", "NoSchedule", "1"), taint("b", "NoExecute")]),
      ds(),
      "node(s) had untolerated taint {b: }",
    ],
  ])("%s", (_name, n, d, reason) => {
    expect(nodeShouldRunDaemonPod(n, d).reason).toBe(reason);
  });

  it("#15 an invalid term is reported as a warning and matches nothing", () => {
    const p = nodeShouldRunDaemonPod(node("n", { rack: "2" }), ds(affinity([{ matchExpressions: [{ key: "rack", operator: "Gt", values: ["1.5"] }] }])));
    expect(p).toEqual({
      shouldRun: false,
      shouldContinueRunning: false,
      reason: reasonNodeAffinity,
      warnings: [`nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: "1.5": for 'Gt', 'Lt' operators, the value must be an integer`],
    });
  });

  it("an invalid term next to a matching one still warns", () => {
    const d = ds(
      affinity([
        { matchExpressions: [{ key: "gpu", operator: "Exists", values: ["x"] }] },
        { matchExpressions: [{ key: "rack", operator: "Exists" }] },
      ]),
    );
    const p = nodeShouldRunDaemonPod(node("n", { rack: "2" }), d);
    expect(p.shouldRun).toBe(true);
    expect(p.warnings).toEqual([
      `nodeSelectorTerms[0].matchExpressions[0].values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist`,
    ]);
  });
});

describe("which pods a DaemonSet owns (#4-#6)", () => {
  const selector = selectorFromLabelSelector(ds().spec.selector);
  it.each([
    ["template labels (match)", matchLabels, true],
    ["other labels: released, not deleted", otherLabels, false],
  ])("%s -> %s", (_name, labels, owned) => {
    expect(matchesLabels(selector, labels)).toBe(owned);
  });
});

describe("tolerations of the pods a DaemonSet creates", () => {
  const key = (t: Toleration) => `${t.key}:${t.effect}`;
  const defaults = [
    "node.kubernetes.io/not-ready:NoExecute",
    "node.kubernetes.io/unreachable:NoExecute",
    "node.kubernetes.io/disk-pressure:NoSchedule",
    "node.kubernetes.io/memory-pressure:NoSchedule",
    "node.kubernetes.io/pid-pressure:NoSchedule",
    "node.kubernetes.io/unschedulable:NoSchedule",
  ];
  it.each<[string, DaemonSet, string[]]>([
    ["#9/#10 a plain DS tolerates node problems", ds(), defaults],
    ["#11 hostNetwork also tolerates network-unavailable", ds({ hostNetwork: true }), [...defaults, "node.kubernetes.io/network-unavailable:NoSchedule"]],
    ["#8 user tolerations are kept first", ds({ tolerations: [{ key: "dedicated", value: "user1", effect: "NoSchedule" }] }), ["dedicated:NoSchedule", ...defaults]],
  ])("%s", (_name, d, expected) => {
    expect((addDaemonPodTolerations(d.spec.template.spec).tolerations ?? []).map(key)).toEqual(expected);
  });
});
