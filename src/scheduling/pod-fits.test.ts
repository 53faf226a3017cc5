import { describe, expect, it } from "vitest";
import type { Node, PodSpec } from "../resources/types.ts";
import { addDaemonPodTolerations } from "./daemon-tolerations.ts";
import { replaceDaemonSetPodNodeNameNodeAffinity } from "./daemon-pod-node.ts";
import { podFitsNode } from "./pod-fits.ts";
import { node, pod, taint } from "./test-fixtures.ts";

const hostname = "kubernetes.io/hostname";
/** A daemon pod aimed at `target`, as the controller creates it (default tolerations, metadata.name term). */
const daemonPod = (target: string, spec: Partial<PodSpec> = {}) => {
  const withDefaults = addDaemonPodTolerations({ containers: [], ...spec });
  return { namespace: "default", labels: { app: "d" }, spec: { ...withDefaults, affinity: replaceDaemonSetPodNodeNameNodeAffinity(spec.affinity, target) } };
};
const n1 = (extra: Partial<Node["spec"]> = {}, labels = {}): Node => ({ ...node("n1", { [hostname]: "n1", ...labels }), spec: { ...extra } });
const emptyWorld = { nodes: new Map([["n1", n1()]]), pods: [], namespaces: [] };

describe("podFitsNode: the scheduler's filters for a daemon pod", () => {
  it.each<[string, ReturnType<typeof daemonPod>, Node, string | true]>([
    ["a plain daemon pod on its node", daemonPod("n1"), n1(), true],
    ["a cordoned node: daemon pods tolerate it", daemonPod("n1"), n1({ unschedulable: true }), true],
    ["a cordoned node, for a pod without the default tolerations", { ...daemonPod("n1"), spec: { ...daemonPod("n1").spec, tolerations: [] } }, n1({ unschedulable: true }), "node(s) were unschedulable"],
    ["another node than its metadata.name term", daemonPod("n2"), n1(), "node(s) didn't match Pod's node affinity/selector"],
    ["a nodeSelector the node lacks", daemonPod("n1", { nodeSelector: { disktype: "ssd" } }), n1(), "node(s) didn't match Pod's node affinity/selector"],
    ["a nodeSelector the node has", daemonPod("n1", { nodeSelector: { disktype: "ssd" } }), n1({}, { disktype: "ssd" }), true],
    ["an untolerated NoSchedule taint", daemonPod("n1"), n1({ taints: [taint("dedicated", "NoSchedule", "user1")] }), "node(s) had untolerated taint {dedicated: user1}"],
    ["a PreferNoSchedule taint never blocks", daemonPod("n1"), n1({ taints: [taint("dedicated", "PreferNoSchedule", "user1")] }), true],
    ["not-ready NoExecute is tolerated by default", daemonPod("n1"), n1({ taints: [taint("node.kubernetes.io/not-ready", "NoExecute")] }), true],
    ["not-ready NoSchedule is not", daemonPod("n1"), n1({ taints: [taint("node.kubernetes.io/not-ready", "NoSchedule")] }), "node(s) had untolerated taint {node.kubernetes.io/not-ready: }"],
  ])("%s", (_name, p, n, expected) => {
    const fit = podFitsNode(p, n, undefined);
    expect(fit.fits ? true : fit.message).toEqual(expected);
  });

  it("checks inter-pod affinity only when given a world", () => {
    const p = daemonPod("n1", { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { security: "S1" } }, topologyKey: hostname }] } } });
    expect(podFitsNode(p, n1(), undefined).fits).toBe(true);
    expect(podFitsNode(p, n1(), emptyWorld).fits).toBe(false);
    expect(podFitsNode(p, n1(), { ...emptyWorld, pods: [pod("s1", "n1", { security: "S1" })] }).fits).toBe(true);
  });
});
