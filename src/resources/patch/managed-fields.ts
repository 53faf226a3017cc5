/**
 * @module
 * `metadata.managedFields`: the entry shape, the apiserver's entry order, and stripping them from
 * an object (for hashing, comparisons, or answering without them).
 *
 * @example
 * stripManagedFields({ metadata: { name: "x", managedFields: [] } }) // { metadata: { name: "x" } }
 */
import { isJsonObject } from "./json-value.ts";
import type { FieldsV1 } from "./field-set.ts";

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time?: string;
  fieldsType: "FieldsV1";
  fieldsV1: FieldsV1;
  subresource?: string;
}

/** A copy of `object` without `metadata.managedFields` (the object itself when it has none). */
export function stripManagedFields<T>(object: T): T {
  if (!isJsonObject(object) || !isJsonObject(object.metadata) || !Object.hasOwn(object.metadata, "managedFields")) return object;
  const { managedFields: _dropped, ...metadata } = object.metadata;
  return { ...object, metadata } as T;
}

/** Reads `metadata.managedFields`, skipping entries that are not objects. */
export function readManagedFields(object: unknown): ManagedFieldsEntry[] {
  if (!isJsonObject(object) || !isJsonObject(object.metadata)) return [];
  const entries = object.metadata.managedFields;
  return Array.isArray(entries) ? (entries.filter(isJsonObject) as unknown as ManagedFieldsEntry[]) : [];
}

const seconds = (time: string | undefined): number => {
  const ms = time ? Date.parse(time) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
};

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The order the apiserver writes entries in (managedfields `sortEncodedManagedFields`):
 * by operation (Apply before Update), time in seconds, manager, apiVersion, subresource.
 */
export function sortManagedFields(entries: readonly ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  return [...entries].sort(
    (p, q) =>
      compare(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      compare(p.manager, q.manager) ||
      compare(p.apiVersion, q.apiVersion) ||
      compare(p.subresource ?? "", q.subresource ?? ""),
  );
}
