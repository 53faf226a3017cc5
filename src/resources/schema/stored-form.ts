/**
 * @module
 * What `resources/k8s-types.ts` is rendered from: the kinds edgeset stores, and the stored-form
 * guarantees (see `StoredForm` in `typescript.ts`) that make a field required in the code although
 * the wire schema leaves it optional. Each entry says which validation or default guarantees it.
 */
import type { StoredForm } from "./typescript.ts";

/** The kinds edgeset stores and serves (apps/v1 and core/v1); the other DaemonSet versions convert to these. */
export const storedKinds = [
  "io.k8s.api.apps.v1.DaemonSet",
  "io.k8s.api.apps.v1.ControllerRevision",
  "io.k8s.api.core.v1.Pod",
  "io.k8s.api.core.v1.Node",
  "io.k8s.api.core.v1.Namespace",
  "io.k8s.api.core.v1.Event",
  "io.k8s.api.core.v1.ConfigMap",
  "io.k8s.api.core.v1.Secret",
] as const;

const object = ["apiVersion", "kind", "metadata"];
const v1 = "io.k8s.api.core.v1.";

export const storedForm: StoredForm = {
  required: {
    // The API sets apiVersion and kind on every object it stores, and metadata always exists
    // (name or generateName is required on create); the workload kinds are stored with a spec
    // (validation requires a template, a container list, a node's spec is defaulted to {}).
    "io.k8s.api.apps.v1.DaemonSet": [...object, "spec"],
    "io.k8s.api.apps.v1.ControllerRevision": [...object, "data"],
    [`${v1}Pod`]: [...object, "spec"],
    [`${v1}Node`]: [...object, "spec"],
    [`${v1}Namespace`]: object,
    [`${v1}Event`]: object,
    [`${v1}ConfigMap`]: object,
    [`${v1}Secret`]: object,
    // A DaemonSet's template has a spec: validation requires its containers.
    [`${v1}PodTemplateSpec`]: ["spec"],
  },
  extra: {
    // Internal only: served as `spec.templateGeneration` in extensions/v1beta1 and as the
    // `deprecated.daemonset.template.generation` annotation in apps (resources/daemonset/conversion.ts).
    "io.k8s.api.apps.v1.DaemonSetSpec": ["templateGeneration?: number;"],
  },
  replace: {
    // metav1.Time marshals its zero value as null (`"creationTimestamp": null` in every manifest
    // kubectl writes, `lastProbeTime: null` in every pod condition).
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "string | null",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "string | null",
  },
};
