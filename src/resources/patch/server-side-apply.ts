/**
 * @module
 * Server-side apply (`application/apply-patch+yaml`, JSON body) for `kubectl apply --server-side`,
 * after apimachinery `managedfields` and structured-merge-diff `merge.Updater.Apply`:
 * the applied configuration is merged into the live object (maps by key, keyed lists by item,
 * atomic values replaced), then every field this manager applied last time but no longer applies,
 * and that no other manager claims, is removed. The manager's field set is recorded in
 * `metadata.managedFields` as an `Apply` entry in FieldsV1.
 *
 * Fields the apply adds or changes that another manager owns are conflicts (`ssa-conflicts.ts`):
 * 409 unless `force`, in which case this manager takes them over. Out of scope: ownership of
 * fields written by non-apply operations (no `Update` entries are recorded, so only other appliers
 * can conflict, and such fields are kept unless this manager applied them before), and the
 * `before-first-apply` entry.
 * `status` is ignored on kinds that serve it as a subresource (the strategies' reset fields).
 *
 * @example
 * applyServerSide(undefined, manifest, "kubectl", "DaemonSet", "2025-01-01T00:00:00Z")
 * // the manifest plus metadata.managedFields: [{ manager: "kubectl", operation: "Apply", … }]
 */
import { cloneJson, deepEqual, isJsonObject, type JsonObject } from "./json-value.ts";
import { equalFieldSets, differenceFieldSets, fromFieldsV1, intersectFieldSets, isEmptyFieldSet, toFieldsV1, unionFieldSets } from "./field-set.ts";
import { kindsWithStatusSubresource, schemaForKind } from "./kind-schemas.ts";
import { readManagedFields, sortManagedFields, stripManagedFields, type ManagedFieldsEntry } from "./managed-fields.ts";
import { computeFieldSet } from "./object-field-set.ts";
import { PatchError } from "./patch-error.ts";
import { ApplyConflictError, changedFieldSet, fieldSetPaths, printManager } from "./ssa-conflicts.ts";
import { mergeApplied, removeFields } from "./ssa-merge.ts";

const isApplyEntryOf = (entry: ManagedFieldsEntry, manager: string): boolean =>
  entry.manager === manager && entry.operation === "Apply" && !entry.subresource;

/** The applied configuration as the apiserver uses it: a copy, without fields reset on this kind. */
function readAppliedConfig(applied: object, kind: string): JsonObject {
  if (!isJsonObject(applied)) throw PatchError.badRequest("error decoding YAML: the applied configuration must be an object");
  const config = cloneJson(applied);
  if (isJsonObject(config.metadata) && config.metadata.managedFields != null) {
    throw PatchError.badRequest("metadata.managedFields must be nil");
  }
  if (kindsWithStatusSubresource.has(kind)) delete config.status;
  return config;
}

/**
 * Applies `applied` for `manager` onto `live` (undefined: the object is being created) and
 * returns the new object with its managedFields. `now` is the RFC 3339 time recorded on the entry.
 * Throws ApplyConflictError when the apply changes fields another manager owns, unless `force`.
 */
export function applyServerSide(live: object | undefined, applied: object, manager: string, kind: string, now: string, force = false): object {
  const config = readAppliedConfig(applied, kind);
  const schema = schemaForKind(kind);
  const appliedSet = computeFieldSet(config, kind);
  const apiVersion = typeof config.apiVersion === "string" ? config.apiVersion : "";
  const entries = live ? readManagedFields(live) : [];
  const previous = entries.find((entry) => isApplyEntryOf(entry, manager));
  let others = entries.filter((entry) => entry !== previous);

  const liveObject = live && isJsonObject(live) ? (stripManagedFields(live) as JsonObject) : {};
  const result = mergeApplied(liveObject, config, schema);
  if (previous) {
    const claimed = unionFieldSets(appliedSet, ...others.map((entry) => fromFieldsV1(entry.fieldsV1)));
    const dropped = differenceFieldSets(fromFieldsV1(previous.fieldsV1), claimed);
    if (!isEmptyFieldSet(dropped)) removeFields(result, dropped, claimed, schema);
  }

  // merge.Updater.update: what this apply changes is taken from every other manager, after a
  // conflict check unless forced.
  const changed = changedFieldSet(liveObject, result, schema);
  if (!isEmptyFieldSet(changed)) {
    const conflicts = others.flatMap((entry) =>
      fieldSetPaths(intersectFieldSets(fromFieldsV1(entry.fieldsV1), changed)).map((field) => ({ manager: printManager(entry), field })),
    );
    if (conflicts.length > 0 && !force) throw new ApplyConflictError(conflicts);
    others = others
      .map((entry) => ({ ...entry, fieldsV1: toFieldsV1(differenceFieldSets(fromFieldsV1(entry.fieldsV1), changed)) }))
      .filter((entry) => Object.keys(entry.fieldsV1).length > 0);
  }

  // The entry's time moves only when the apply changed something, as in managedfields.
  const unchanged = previous !== undefined && deepEqual(result, liveObject) && equalFieldSets(fromFieldsV1(previous.fieldsV1), appliedSet);
  const entry: ManagedFieldsEntry = {
    manager,
    operation: "Apply",
    apiVersion,
    time: unchanged && previous.time ? previous.time : now,
    fieldsType: "FieldsV1",
    fieldsV1: toFieldsV1(appliedSet),
  };
  const managedFields = sortManagedFields(isEmptyFieldSet(appliedSet) ? others : [...others, entry]);
  const metadata = isJsonObject(result.metadata) ? result.metadata : {};
  result.metadata = { ...metadata, managedFields };
  return result;
}
