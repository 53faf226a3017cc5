import { describe, expect, it } from "vitest";
import type { Affinity, Node } from "../resources/types.ts";
import { getTargetNodeName, replaceDaemonSetPodNodeNameNodeAffinity } from "./daemon-pod-node.ts";
import { matchNodeSelectorTerms } from "./node-affinity.ts";
import { node, nodes, pod } from "./test-fixtures.ts";

const onlyNode = (name: string): Affinity => ({
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [name] }] }],
    },
  },
});

describe("replaceDaemonSetPodNodeNameNodeAffinity", () => {
  it("#1 ties each pod to its node with one matchFields term", () => {
    for (const n of nodes(0, 5)) {
      expect(replaceDaemonSetPodNodeNameNodeAffinity(undefined, n.metadata.name as string)).toEqual(onlyNode(n.metadata.name as string));
    }
  });

  it("drops the user's required terms and keeps preferred and pod affinity", () => {
    const preferred = [{ weight: 5, preference: { matchExpressions: [{ key: "ssd", operator: "Exists" as const }] } }];
    const podAffinity = { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "zone", labelSelector: {} }] };
    const user: Affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "gpu", operator: "Exists" }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: preferred,
      },
      podAffinity,
    };
    const replaced = replaceDaemonSetPodNodeNameNodeAffinity(user, "node-3");
    expect(replaced).toEqual({
      nodeAffinity: { ...onlyNode("node-3").nodeAffinity, preferredDuringSchedulingIgnoredDuringExecution: preferred },
      podAffinity,
    });
    expect(user.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0].matchExpressions).toHaveLength(1);
  });

  it("matches its own node and no other", () => {
    const terms = replaceDaemonSetPodNodeNameNodeAffinity(undefined, "node-1").nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    expect(nodes(0, 3).map((n: Node) => matchNodeSelectorTerms(terms, n).matches)).toEqual([false, true, false]);
  });
});

describe("getTargetNodeName (#21)", () => {
  const running = [node("node-0")];
  const bound = pod("bound", "node-1");
  const unbound = pod("unbound", undefined, {}, { affinity: onlyNode("node-2") });

  it.each([
    ["a bound pod targets its nodeName", bound, "node-1"],
    ["an unbound pod targets its matchFields node", unbound, "node-2"],
    ["a pod without either has no target", pod("lost", undefined), undefined],
    [
      "several names are no target",
      pod("many", undefined, {}, {
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["a", "b"] }] }] } } },
      }),
      undefined,
    ],
  ])("%s", (_name, p, target) => {
    expect(getTargetNodeName(p)).toBe(target);
  });

  it("only the unbound pod targets a missing node and is the controller's to delete", () => {
    const exists = new Set(running.map((n) => n.metadata.name));
    const orphanedUnbound = [bound, unbound].filter((p) => !p.spec.nodeName && !exists.has(getTargetNodeName(p)));
    expect(orphanedUnbound.map((p) => p.metadata.name)).toEqual(["unbound"]);
  });
});
