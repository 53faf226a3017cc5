/**
 * @module
 * ValidatePodSpec / ValidatePodTemplateSpec / ValidatePod (pkg/apis/core/validation/validation.go)
 * for the fields edgeset gives meaning to; scheduling fields go through src/scheduling's validators.
 * Expects a defaulted spec (restartPolicy, dnsPolicy, imagePullPolicy, port protocols set).
 *
 * @example
 * validatePodSpec({ containers: [] }, "spec") // [spec.containers: Required value]
 */
import { child, invalid, notSupported, required, type FieldError } from "../field-errors.ts";
import { isDNS1123Subdomain } from "../../protocol/names.ts";
import { validateAffinity, validateNodeSelector } from "./affinity-validation.ts";
import { validateTolerations } from "./toleration-validation.ts";
import { validateAnnotations, validateObjectMeta, validateObjectMetaUpdate } from "../core/object-meta.ts";
import { validateLabels } from "../label-selector.ts";
import type { Pod, PodSpec, PodTemplateSpec } from "../types.ts";
import { validateContainers, validateIds } from "./validate-container.ts";
import { validateVolumes } from "./validate-volumes.ts";

const restartPolicies = ["Always", "OnFailure", "Never"];
const dnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];

/** ValidatePodSpec. */
export function validatePodSpec(spec: PodSpec | undefined, path: string): FieldError[] {
  const s = spec ?? ({} as PodSpec);
  const errs: FieldError[] = [];
  const { names: volumes, errs: volumeErrs } = validateVolumes(s.volumes, child(path, "volumes"));
  errs.push(...volumeErrs);
  const ctx = { volumes, hostNetwork: !!s.hostNetwork, names: new Set<string>(), init: false };
  if (!s.containers?.length) errs.push(required(child(path, "containers"), ""));
  else errs.push(...validateContainers(s.containers, child(path, "containers"), ctx));
  errs.push(...validateContainers(s.initContainers, child(path, "initContainers"), { ...ctx, init: true }));

  if (!s.restartPolicy) errs.push(required(child(path, "restartPolicy"), ""));
  else if (!restartPolicies.includes(s.restartPolicy)) errs.push(notSupported(child(path, "restartPolicy"), s.restartPolicy, restartPolicies));
  if (!s.dnsPolicy) errs.push(required(child(path, "dnsPolicy"), ""));
  else if (!dnsPolicies.includes(s.dnsPolicy)) errs.push(notSupported(child(path, "dnsPolicy"), s.dnsPolicy, dnsPolicies));

  if (s.nodeName) for (const m of isDNS1123Subdomain(s.nodeName)) errs.push(invalid(child(path, "nodeName"), s.nodeName, m));
  if (s.serviceAccountName) for (const m of isDNS1123Subdomain(s.serviceAccountName)) errs.push(invalid(child(path, "serviceAccountName"), s.serviceAccountName, m));
  if (s.activeDeadlineSeconds !== undefined && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > 2147483647))
    errs.push(invalid(child(path, "activeDeadlineSeconds"), s.activeDeadlineSeconds, "must be between 1 and 2147483647, inclusive"));
  if (s.terminationGracePeriodSeconds !== undefined && s.terminationGracePeriodSeconds < 0)
    errs.push(invalid(child(path, "terminationGracePeriodSeconds"), s.terminationGracePeriodSeconds, "must be greater than or equal to 0"));
  (s.imagePullSecrets ?? []).forEach((secret, i) => {
    if (!secret.name) errs.push(required(child(child(child(path, "imagePullSecrets"), i), "name"), ""));
  });
  errs.push(...validateIds(s.securityContext as Record<string, unknown> | undefined, ["runAsUser", "runAsGroup", "fsGroup", "supplementalGroups"], child(path, "securityContext")));
  errs.push(...validateNodeSelector(s.nodeSelector, child(path, "nodeSelector")));
  errs.push(...validateAffinity(s.affinity, child(path, "affinity")));
  errs.push(...validateTolerations(s.tolerations, child(path, "tolerations")));
  return errs;
}

/** ValidatePodTemplateSpec: template labels and annotations, then the pod spec. */
export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, path: string): FieldError[] {
  const meta = template?.metadata;
  return [
    ...validateLabels(meta?.labels, child(child(path, "metadata"), "labels")),
    ...validateAnnotations(meta?.annotations, child(child(path, "metadata"), "annotations")),
    ...validatePodSpec(template?.spec, child(path, "spec")),
  ];
}

/** ValidatePod: object metadata (namespaced, DNS-1123 subdomain name) and the spec. */
export function validatePod(pod: Pod): FieldError[] {
  return [...validateObjectMeta(pod.metadata, true, "metadata"), ...validatePodSpec(pod.spec, "spec")];
}

/** ValidatePodUpdate: only image, activeDeadlineSeconds, tolerations (additions) and terminationGracePeriodSeconds may change. */
export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = [...validateObjectMetaUpdate(pod.metadata, old.metadata, "metadata"), ...validatePodSpec(pod.spec, "spec")];
  const strip = (spec: PodSpec): unknown => ({
    ...spec,
    containers: spec.containers?.map((c) => ({ ...c, image: undefined })),
    initContainers: spec.initContainers?.map((c) => ({ ...c, image: undefined })),
    activeDeadlineSeconds: undefined,
    tolerations: undefined,
    terminationGracePeriodSeconds: undefined,
  });
  if (JSON.stringify(strip(pod.spec)) !== JSON.stringify(strip(old.spec)))
    errs.push({
      type: "FieldValueForbidden",
      field: "spec",
      message:
        "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    });
  return errs;
}
