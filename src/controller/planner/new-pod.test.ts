import { describe, expect, it } from "vitest";
import { wellKnown } from "../../resources/types.ts";
import { defaultPlannerDeps } from "./default-deps.ts";
import { newDaemonPod, replaceDaemonSetPodNodeNameNodeAffinity } from "./new-pod.ts";
import { newDaemonSet, simpleDaemonSetLabel } from "./test-fixtures.ts";

const nameTerm = (node: string) => ({
  nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [node] }] }],
});

describe("newDaemonPod", () => {
  const ds = newDaemonSet("foo", (d) => {
    d.metadata.annotations![wellKnown.templateGenerationAnnotation] = "3";
    d.spec.template.metadata!.annotations = { note: "kept" };
    d.spec.template.spec.tolerations = [{ key: wellKnown.taintNotReady, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }];
  });
  const pod = newDaemonPod(ds, "node-7", "abc", defaultPlannerDeps);

  it("is bound to its node by nodeName and by the single metadata.name affinity term", () => {
    expect(pod.spec.nodeName).toBe("node-7");
    expect(pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual(nameTerm("node-7"));
  });

  it("has no name, a generateName and the DaemonSet's namespace", () => {
    expect(pod.metadata.name).toBeUndefined();
    expect(pod.metadata.generateName).toBe("foo-");
    expect(pod.metadata.namespace).toBe("default");
  });

  it("carries the template labels plus hash and template generation, and the template annotations", () => {
    expect(pod.metadata.labels).toEqual({
      ...simpleDaemonSetLabel,
      [wellKnown.controllerRevisionHash]: "abc",
      [wellKnown.podTemplateGeneration]: "3",
    });
    expect(pod.metadata.annotations).toEqual({ note: "kept" });
  });

  it("is controlled by the DaemonSet", () => {
    expect(pod.metadata.ownerReferences).toEqual([
      { apiVersion: "apps/v1", kind: "DaemonSet", name: "foo", uid: "uid-foo", controller: true, blockOwnerDeletion: true },
    ]);
  });

  it("gets the default daemon tolerations, replacing a user's not-ready toleration (vector 13)", () => {
    const keys = pod.spec.tolerations?.map((t) => `${t.key}:${t.effect}`);
    expect(keys).toContain(`${wellKnown.taintUnreachable}:NoExecute`);
    expect(keys).toContain(`${wellKnown.taintUnschedulable}:NoSchedule`);
    const notReady = pod.spec.tolerations?.filter((t) => t.key === wellKnown.taintNotReady);
    expect(notReady).toEqual([{ key: wellKnown.taintNotReady, operator: "Exists", effect: "NoExecute" }]);
  });

  it("leaves the DaemonSet's template untouched", () => {
    expect(ds.spec.template.metadata?.labels).toEqual(simpleDaemonSetLabel);
    expect(ds.spec.template.spec.affinity).toBeUndefined();
  });

  it("omits pod-template-generation when the DaemonSet has no generation annotation", () => {
    const bare = newDaemonSet("bar", (d) => (d.metadata.annotations = {}));
    expect(newDaemonPod(bare, "n", "h", defaultPlannerDeps).metadata.labels).not.toHaveProperty(wellKnown.podTemplateGeneration);
  });
});

describe("replaceDaemonSetPodNodeNameNodeAffinity", () => {
  it.each([
    { name: "no affinity", affinity: undefined },
    { name: "no node affinity", affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [] } } },
    {
      name: "required terms of the user",
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: "color", operator: "In" as const, values: ["blue"] }] }],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [] } }],
        },
      },
    },
  ])("replaces the required terms with the node name term ($name), keeping the rest", ({ affinity }) => {
    const out = replaceDaemonSetPodNodeNameNodeAffinity(affinity, "node-1");
    expect(out.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual(nameTerm("node-1"));
    expect(out.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution).toEqual(
      affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
    );
    expect(out.podAffinity).toEqual(affinity?.podAffinity);
  });
});
