/**
 * @module
 * DaemonSets: API versions, per-version defaults, conversion to and from the internal form,
 * validation and the create/update strategy.
 *
 * @example
 * const internal = prepareDaemonSetForCreate(toInternalDaemonSet(defaultDaemonSet(body, "extensions/v1beta1"), "extensions/v1beta1"));
 * const errs = validateDaemonSet(internal);
 * const served = fromInternalDaemonSet(internal, "apps/v1");
 */
export { fromInternalDaemonSet, templateGenerationOf, toInternalDaemonSet, withTemplateGeneration } from "./conversion.ts";
export { parseRolloutPolicy, rolloutAnnotations, rolloutStatusAnnotation, type RolloutPolicy } from "./rollout-policy.ts";
export { describeRolloutProgress, formatRolloutCounts, parseRolloutCounts, type RolloutCounts, type RolloutProgress } from "./rollout-progress.ts";
export { deepEqual } from "./deep-equal.ts";
export { defaultDaemonSet } from "./defaults.ts";
export { prepareDaemonSetForCreate, prepareDaemonSetForUpdate, prepareDaemonSetStatusForUpdate } from "./strategy.ts";
export {
  validateDaemonSet,
  validateDaemonSetSpec,
  validateDaemonSetStatusUpdate,
  validateDaemonSetUpdate,
  validateDaemonSetUpdateStrategy,
} from "./validation.ts";
export {
  acceptedDaemonSetApiVersions,
  daemonSetApiVersions,
  hasExtensionsShape,
  internalApiVersion,
  isDaemonSetApiVersion,
  type DaemonSetApiVersion,
} from "./versions.ts";
