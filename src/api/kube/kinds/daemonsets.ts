/**
 * @module
 * DaemonSets, in every served version (apps/v1, apps/v1beta2, apps/v1beta1, extensions/v1beta1):
 * stored once in apps/v1 form and converted on the way in and out. Every change wakes the
 * DaemonSet's controller; a delete tells it how to treat the pods (propagationPolicy).
 */
import {
  defaultDaemonSet,
  fromInternalDaemonSet,
  prepareDaemonSetForCreate,
  prepareDaemonSetForUpdate,
  toInternalDaemonSet,
  validateDaemonSet,
  validateDaemonSetStatusUpdate,
  validateDaemonSetUpdate,
} from "../../../resources/daemonset/index.ts";
import { resources } from "../../../resources/registry.ts";
import type { DaemonSet, KubeObject } from "../../../resources/types.ts";
import { wakeDaemonSet } from "../../../controller/wake.ts";
import type { KindStrategy } from "../strategy.ts";
import { daemonSetTable } from "../table/daemonset.ts";
import { decodeWith } from "./decode.ts";

export const daemonSets: KindStrategy<DaemonSet> = {
  info: resources.DaemonSet,
  decode: (body, apiVersion) =>
    decodeWith(body, apiVersion, "DaemonSet", (pruned) => toInternalDaemonSet(defaultDaemonSet(pruned as unknown as DaemonSet, apiVersion), apiVersion)),
  encode: (ds, apiVersion) => fromInternalDaemonSet(ds, apiVersion) as KubeObject,
  prepareForCreate: (ds) => prepareDaemonSetForCreate(ds),
  prepareForUpdate: (ds, old) => prepareDaemonSetForUpdate(ds, old),
  // /status writes change status only (strategy.go daemonSetStatusStrategy).
  prepareForStatusUpdate: (ds, old) => ({ ...old, metadata: { ...old.metadata, resourceVersion: ds.metadata.resourceVersion }, status: ds.status }),
  validate: validateDaemonSet,
  validateUpdate: validateDaemonSetUpdate,
  validateStatusUpdate: validateDaemonSetStatusUpdate,
  table: daemonSetTable,
  afterChange: (c, change, options) =>
    wakeDaemonSet(c.env, {
      namespace: change.object.metadata.namespace ?? "default",
      name: change.object.metadata.name ?? "",
      ...(change.type === "deleted" ? { uid: change.object.metadata.uid, propagationPolicy: options?.propagationPolicy ?? "Background" } : {}),
    }),
};
