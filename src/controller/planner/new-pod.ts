/**
 * @module
 * The pod a DaemonSet creates on a node: `util.CreatePodTemplate` (template copy, default daemon
 * tolerations, `pod-template-generation` and `controller-revision-hash` labels), then
 * `controller.GetPodFromTemplate` (labels, annotations and finalizers of the template metadata,
 * `generateName` `<ds>-`, the controller ownerReference), then the binding. There is no
 * kube-scheduler here, so the pod is created already bound: `spec.nodeName` is set, and the required
 * node affinity is still replaced by the single `metadata.name In [node]` term
 * (`ReplaceDaemonSetPodNodeNameNodeAffinity`) so the pod reads exactly like a Kubernetes one.
 *
 * @example
 * const pod = newDaemonPod(ds, "node-3", hash, deps);
 * pod.metadata.generateName; // "my-ds-"
 * pod.spec.nodeName;         // "node-3"
 */

import type { Affinity, DaemonSet, Pod, PodTemplateSpec } from "../../resources/types.ts";
import { wellKnown } from "../../resources/types.ts";
import { newControllerRef } from "./claim.ts";
import { getTemplateGeneration } from "./pod-util.ts";
import type { PlannerDeps } from "./types.ts";

/** `util.CreatePodTemplate`. */
export function createPodTemplate(
  template: PodTemplateSpec,
  generation: number | undefined,
  hash: string,
  deps: Pick<PlannerDeps, "addDaemonPodTolerations">,
): PodTemplateSpec {
  const copy = structuredClone(template);
  const labels = { ...(copy.metadata?.labels ?? {}) };
  if (generation !== undefined) labels[wellKnown.podTemplateGeneration] = String(generation);
  if (hash.length > 0) labels[wellKnown.controllerRevisionHash] = hash;
  return {
    metadata: { ...(copy.metadata ?? {}), labels },
    spec: deps.addDaemonPodTolerations(copy.spec),
  };
}

/** `util.ReplaceDaemonSetPodNodeNameNodeAffinity`: keeps preferred terms and pod (anti-)affinity. */
export function replaceDaemonSetPodNodeNameNodeAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const required = {
    nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In" as const, values: [nodeName] }] }],
  };
  return {
    ...(affinity ?? {}),
    nodeAffinity: { ...(affinity?.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: required },
  };
}

export function newDaemonPod(
  ds: DaemonSet,
  nodeName: string,
  hash: string,
  deps: Pick<PlannerDeps, "addDaemonPodTolerations">,
): Pod {
  const template = createPodTemplate(ds.spec.template, getTemplateGeneration(ds), hash, deps);
  const meta = template.metadata ?? {};
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: `${ds.metadata.name ?? ""}-`,
      namespace: ds.metadata.namespace,
      labels: meta.labels,
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
      ...(meta.finalizers ? { finalizers: meta.finalizers } : {}),
      ownerReferences: [newControllerRef(ds)],
    },
    spec: {
      ...template.spec,
      nodeName,
      affinity: replaceDaemonSetPodNodeNameNodeAffinity(template.spec.affinity, nodeName),
    },
    status: { phase: "Pending" },
  };
}
