import { describe, expect, it } from "vitest";
import type { Affinity, DaemonSet, Labels, Node, Pod, PodAffinityTerm } from "../resources/types.ts";
import { daemonSetsAffectedByNamespaceChange, daemonSetsAffectedByNodeChange, daemonSetsAffectedByPodChange } from "./affected.ts";

const hostname = "kubernetes.io/hostname";
const term = (labels: Labels, topologyKey = hostname, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({ labelSelector: { matchLabels: labels }, topologyKey, ...extra });
const ds = (name: string, spec: { affinity?: Affinity; nodeSelector?: Labels; labels?: Labels } = {}, namespace = "default"): DaemonSet => ({
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name, namespace },
  spec: {
    selector: { matchLabels: spec.labels ?? { app: name } },
    template: { metadata: { labels: spec.labels ?? { app: name } }, spec: { containers: [], affinity: spec.affinity, nodeSelector: spec.nodeSelector } },
  },
});
const pod = (labels: Labels, affinity?: Affinity, namespace = "default"): Pod => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace, labels }, spec: { containers: [], nodeName: "n1", affinity } });
const node = (labels: Labels): Node => ({ apiVersion: "v1", kind: "Node", metadata: { name: "n1", labels }, spec: {} });

const wantsS1 = ds("wants-s1", { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ security: "S1" })] } } });
const avoidsS2InSite = ds("avoids-s2", { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ security: "S2" }, "site")] } } });
const prefersS1 = ds("prefers-s1", { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term({ security: "S1" }) }] } } });
const plain = ds("plain", { labels: { app: "plain" } });
const ssdOnly = ds("ssd", { nodeSelector: { disktype: "ssd" } });
const all = [wantsS1, avoidsS2InSite, prefersS1, plain, ssdOnly];
const names = (list: DaemonSet[]) => list.map((d) => d.metadata.name);

describe("daemonSetsAffectedByPodChange", () => {
  it.each<[string, Pod[], string[]]>([
    ["a security=S1 pod: the DaemonSet requiring one", [pod({ security: "S1" })], ["wants-s1"]],
    ["a security=S2 pod: the DaemonSet avoiding one", [pod({ security: "S2" })], ["avoids-s2"]],
    ["a pod no required term selects: nobody (preferred terms do not count)", [pod({ app: "other" })], []],
    ["a matching pod of another namespace: nobody", [pod({ security: "S1" }, undefined, "edge")], []],
    ["a pod whose own anti-affinity selects a DaemonSet's pods (symmetry)", [pod({}, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: "plain" })] } })], ["plain"]],
    ["no pods: nobody", [], []],
  ])("%s", (_name, pods, expected) => {
    expect(names(daemonSetsAffectedByPodChange(all, pods))).toEqual(expected);
  });

  it("leaves out a DaemonSet being deleted", () => {
    const deleting = { ...wantsS1, metadata: { ...wantsS1.metadata, deletionTimestamp: "2024-01-01T00:00:00Z" } };
    expect(daemonSetsAffectedByPodChange([deleting], [pod({ security: "S1" })])).toEqual([]);
  });
});

describe("daemonSetsAffectedByNodeChange", () => {
  it.each<[string, Node | undefined, Node | undefined, string[]]>([
    ["a label that changes a nodeSelector's answer", node({ [hostname]: "n1" }), node({ [hostname]: "n1", disktype: "ssd" }), ["ssd"]],
    ["a topology label a required term uses", node({ [hostname]: "n1", site: "a" }), node({ [hostname]: "n1", site: "b" }), ["avoids-s2"]],
    ["an unrelated label", node({ [hostname]: "n1", site: "a" }), node({ [hostname]: "n1", site: "a", rack: "7" }), []],
    ["a new node: every DaemonSet that runs there, no pod affinity domain changed", undefined, node({ [hostname]: "n1", site: "a" }), ["wants-s1", "avoids-s2", "prefers-s1", "plain"]],
    ["a node going away: its pods leave every domain", node({ [hostname]: "n1", disktype: "ssd" }), undefined, ["wants-s1", "avoids-s2", "prefers-s1", "plain", "ssd"]],
  ])("%s", (_name, before, after, expected) => {
    expect(names(daemonSetsAffectedByNodeChange(all, before, after))).toEqual(expected);
  });

  it("wakes the DaemonSets honouring deferrals (allow-defer) that run there when the node's update deferral changes", () => {
    const deferring = { ...plain, metadata: { ...plain.metadata, name: "defers", annotations: { "rollout.edgeset.dev/allow-defer": "true" } } };
    const elsewhere = { ...ssdOnly, metadata: { ...ssdOnly.metadata, name: "ssd-defers", annotations: { "rollout.edgeset.dev/allow-defer": "true" } } };
    const deferred = (message: string): Node => ({ ...node({}), status: { conditions: [{ type: "UpdateDeferred", status: "True", message }] } });
    const daemonSets = [deferring, elsewhere, plain];
    expect(names(daemonSetsAffectedByNodeChange(daemonSets, node({}), deferred("until 2030-01-01T00:00:00Z")))).toEqual(["defers"]);
    expect(names(daemonSetsAffectedByNodeChange(daemonSets, deferred("until 2030-01-01T00:00:00Z"), node({})))).toEqual(["defers"]);
    expect(names(daemonSetsAffectedByNodeChange(daemonSets, deferred("until 2030-01-01T00:00:00Z"), deferred("until 2030-01-02T00:00:00Z")))).toEqual(["defers"]);
    expect(names(daemonSetsAffectedByNodeChange(daemonSets, deferred("until 2030-01-01T00:00:00Z"), deferred("until 2030-01-01T00:00:00Z")))).toEqual([]);
  });

  it("wakes the DaemonSets another DaemonSet's anti-affinity may select when that domain moves", () => {
    const holder = ds("holder", { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: "plain" }, "site")] } } });
    const affected = daemonSetsAffectedByNodeChange([holder, plain, ssdOnly], node({ site: "a" }), node({ site: "b" }));
    expect(names(affected)).toEqual(["holder", "plain"]);
  });
});

describe("daemonSetsAffectedByNamespaceChange", () => {
  it("wakes only the DaemonSets whose required terms select namespaces by label", () => {
    const byNamespace = ds("by-ns", { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ security: "S1" }, hostname, { namespaceSelector: { matchLabels: { team: "core" } } })] } } });
    expect(names(daemonSetsAffectedByNamespaceChange([...all, byNamespace]))).toEqual(["by-ns"]);
  });
});
