/**
 * @module
 * Mapping between stored rows and Kubernetes objects: the body is kept without
 * `metadata.resourceVersion` (the column is the truth) and the filter columns are derived
 * from the object, never set by callers.
 */
import type { KubeObject, OwnerReference, PodSpec } from "../resources/types.ts";

export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

export interface ObjectRow {
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: number;
  createdVersion: number;
  nodeName: string | null;
  ownerUid: string | null;
  requiredAntiAffinity: number | null;
  expiresAt: number | null;
  body: string;
}

export function rowToObject<T extends KubeObject = KubeObject>(row: Pick<ObjectRow, "body" | "resourceVersion">): T {
  const object = JSON.parse(row.body) as T;
  object.metadata.resourceVersion = String(row.resourceVersion);
  return object;
}

export function serializeBody(object: KubeObject): string {
  const { resourceVersion: _ignored, ...metadata } = object.metadata;
  return JSON.stringify({ ...object, metadata });
}

export const controllerOf = (object: { metadata: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined =>
  object.metadata.ownerReferences?.find((ref) => ref.controller);

/** The filter columns of a row, derived from the object. */
export function indexColumns(object: KubeObject): Pick<ObjectRow, "nodeName" | "ownerUid" | "requiredAntiAffinity"> {
  const spec = object.kind === "Pod" ? (object as { spec?: PodSpec }).spec : undefined;
  const nodeName = spec?.nodeName || null;
  const antiAffinity = spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return { nodeName, ownerUid: controllerOf(object)?.uid ?? null, requiredAntiAffinity: Array.isArray(antiAffinity) && antiAffinity.length > 0 ? 1 : null };
}

/** The one way to name a pod to the store when only its namespace and name are at hand. */
export const podRef = (namespace: string, name: string): ObjectRef => ({ kind: "Pod", namespace, name });

export const refOf = (object: KubeObject): ObjectRef => ({
  kind: object.kind,
  namespace: object.metadata.namespace ?? "",
  name: object.metadata.name ?? "",
});
