/**
 * @module
 * How a daemon pod is tied to its node before it is bound: the controller leaves `nodeName`
 * empty and replaces the required node affinity with a single `metadata.name In [node]` term
 * (`ReplaceDaemonSetPodNodeNameNodeAffinity`), and reads the target back from it
 * (`GetTargetNodeName`). The user's nodeSelector and preferred terms are kept.
 *
 * @example
 * const affinity = replaceDaemonSetPodNodeNameNodeAffinity(template.spec.affinity, "edge-7");
 * getTargetNodeName({ metadata: {}, spec: { containers: [], affinity } }) // "edge-7"
 */

import type { Affinity, NodeSelector, PodSpec } from "../resources/types.ts";

/** metav1.ObjectNameField. */
export const objectNameField = "metadata.name";

/** A new Affinity whose required node affinity selects exactly `nodeName`. */
export function replaceDaemonSetPodNodeNameNodeAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const required: NodeSelector = {
    nodeSelectorTerms: [{ matchFields: [{ key: objectNameField, operator: "In", values: [nodeName] }] }],
  };
  const nodeAffinity = { ...affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: required };
  return { ...affinity, nodeAffinity };
}

/**
 * `spec.nodeName` when bound, otherwise the value of the first `metadata.name In [x]` field
 * term; undefined when there is none or it lists several names (Kubernetes errors there and
 * the controller skips the pod).
 */
export function getTargetNodeName(pod: { spec: Pick<PodSpec, "nodeName" | "affinity"> }): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const exp of term.matchFields ?? []) {
      if (exp.key === objectNameField && exp.operator === "In") {
        return exp.values?.length === 1 ? exp.values[0] : undefined;
      }
    }
  }
  return undefined;
}
