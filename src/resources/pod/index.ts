/**
 * @module
 * Pods: defaults, validation and the create/update strategy.
 *
 * @example
 * const pod = preparePodForCreate(defaultPod(body));
 * const errs = validatePod(pod);
 */
export { defaultPod, defaultPodSpec, defaultVolumeMode, imageTag } from "./defaults.ts";
export { preparePodForCreate, preparePodForUpdate, preparePodStatusForUpdate, podQOSClass } from "./prepare.ts";
export { validateContainers, validateProbe, validateResources } from "./validate-container.ts";
export { validatePod, validatePodSpec, validatePodTemplateSpec, validatePodUpdate } from "./validate-pod-spec.ts";
export { validatePodStatus } from "./validate-pod-status.ts";
export { validateVolumes } from "./validate-volumes.ts";
