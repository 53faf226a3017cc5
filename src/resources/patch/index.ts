/**
 * @module
 * The patch engines behind PATCH: JSON merge patch, JSON patch, strategic merge patch and
 * server-side apply, plus the managed-fields helpers. All are pure: JSON in, JSON out, a
 * PatchError (400 or 422) when a patch cannot apply.
 *
 * @example
 * applyStrategicMergePatch(ds, { spec: { template: { metadata: { annotations: { a: "b" } } } } }, "DaemonSet")
 */
export { PatchError, type PatchErrorReason } from "./patch-error.ts";
export { applyJsonMergePatch } from "./json-merge-patch.ts";
export { applyJsonPatch } from "./json-patch.ts";
export { applyStrategicMergePatch } from "./strategic-merge-patch.ts";
export { applyServerSide } from "./server-side-apply.ts";
export { ApplyConflictError, type ApplyConflict } from "./ssa-conflicts.ts";
export { computeFieldSet, computeFieldsV1 } from "./object-field-set.ts";
export { stripManagedFields, sortManagedFields, type ManagedFieldsEntry } from "./managed-fields.ts";
export type { FieldSet, FieldsV1 } from "./field-set.ts";
