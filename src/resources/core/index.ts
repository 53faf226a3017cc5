/**
 * @module
 * Validation of ObjectMeta and of the core kinds without a folder of their own: Namespace,
 * ConfigMap, Secret, Event, ControllerRevision.
 *
 * @example
 * const errs = validateConfigMapUpdate(next, stored);
 */
export { maxDataSize, validateConfigMap, validateConfigMapUpdate } from "./config-map.ts";
export {
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  totalAnnotationSizeLimit,
  validateAnnotations,
  validateImmutableField,
  validateObjectMeta,
  validateObjectMetaUpdate,
  type NameValidator,
} from "./object-meta.ts";
export {
  validateControllerRevision,
  validateControllerRevisionUpdate,
  validateEvent,
  validateNamespace,
  validateNamespaceUpdate,
} from "./other-kinds.ts";
export { normalizeSecret, validateSecret, validateSecretUpdate } from "./secret.ts";
