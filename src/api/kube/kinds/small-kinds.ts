/**
 * @module
 * ControllerRevisions (written by the DaemonSet controller, read by `kubectl rollout history`;
 * their data is immutable) and Events (recorded by controllers, expire after an hour).
 */
import { validateControllerRevision, validateControllerRevisionUpdate, validateEvent } from "../../../resources/core/index.ts";
import { resources } from "../../../resources/registry.ts";
import type { ControllerRevision, Event } from "../../../resources/types.ts";
import type { KindStrategy } from "../strategy.ts";
import { controllerRevisionTable, eventTable } from "../table/other.ts";
import { asIs, decodeWith } from "./decode.ts";

export const controllerRevisions: KindStrategy<ControllerRevision> = {
  info: resources.ControllerRevision,
  decode: (body, apiVersion) => decodeWith(body, apiVersion, "ControllerRevision", asIs<ControllerRevision>("apps/v1", "ControllerRevision")),
  encode: (cr, apiVersion) => ({ ...cr, apiVersion }),
  prepareForCreate: (cr) => cr,
  prepareForUpdate: (cr) => cr,
  validate: validateControllerRevision,
  validateUpdate: validateControllerRevisionUpdate,
  table: controllerRevisionTable,
};

export const events: KindStrategy<Event> = {
  info: resources.Event,
  decode: (body, apiVersion) => decodeWith(body, apiVersion, "Event", asIs<Event>("v1", "Event")),
  encode: (e) => e,
  prepareForCreate: (e) => e,
  prepareForUpdate: (e) => e,
  validate: validateEvent,
  validateUpdate: validateEvent,
  ttlMs: 60 * 60 * 1000,
  selectableFields: (e) => ({
    "involvedObject.kind": e.involvedObject.kind ?? "",
    "involvedObject.namespace": e.involvedObject.namespace ?? "",
    "involvedObject.name": e.involvedObject.name ?? "",
    "involvedObject.uid": e.involvedObject.uid ?? "",
    "involvedObject.apiVersion": e.involvedObject.apiVersion ?? "",
    "involvedObject.resourceVersion": e.involvedObject.resourceVersion ?? "",
    "involvedObject.fieldPath": e.involvedObject.fieldPath ?? "",
    reason: e.reason ?? "",
    reportingComponent: e.reportingComponent ?? "",
    source: e.source?.component ?? "",
    type: e.type ?? "",
  }),
  table: eventTable,
};
