/**
 * @module
 * Namespace, Event and ControllerRevision validation (validation.go ValidateNamespace,
 * ValidateEvent; apps validation ValidateControllerRevision / ValidateControllerRevisionUpdate).
 *
 * @example
 * validateControllerRevisionUpdate(changed, stored) // [data: Invalid value: ...: field is immutable]
 */
import { child, invalid, required, type FieldError } from "../field-errors.ts";
import { isQualifiedName } from "../../protocol/names.ts";
import type { ControllerRevision, Event, Namespace } from "../types.ts";
import { nameIsDNSLabel, validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from "./object-meta.ts";

/** ValidateNamespace: cluster-scoped, DNS-1123 label name, finalizer names. */
export function validateNamespace(ns: Namespace): FieldError[] {
  const errs = validateObjectMeta(ns.metadata, false, "metadata", nameIsDNSLabel);
  for (const f of ns.spec?.finalizers ?? []) {
    if (f === "kubernetes") continue;
    for (const msg of isQualifiedName(f)) errs.push(invalid("spec.finalizers", f, msg));
  }
  return errs;
}

export function validateNamespaceUpdate(ns: Namespace, old: Namespace): FieldError[] {
  return [...validateObjectMetaUpdate(ns.metadata, old.metadata, "metadata"), ...validateNamespace(ns)];
}

/** ValidateEventCreate (core/v1): metadata, and the involved object's namespace matches the event's. */
export function validateEvent(event: Event): FieldError[] {
  const errs = validateObjectMeta(event.metadata, true, "metadata");
  const involved = event.involvedObject?.namespace ?? "";
  const ns = event.metadata?.namespace ?? "";
  if (!event.involvedObject) errs.push(required("involvedObject", ""));
  else if (involved === "" ? ns !== "" && ns !== "default" : involved !== ns)
    errs.push(invalid(child("involvedObject", "namespace"), involved, "does not match event.namespace"));
  if (event.type && !["Normal", "Warning"].includes(event.type)) errs.push(invalid("type", event.type, "has invalid value: must be one of Normal, Warning"));
  if (event.reason && event.reason.length > 128) errs.push(invalid("reason", event.reason, "can have at most 128 characters"));
  return errs;
}

/** ValidateControllerRevision: metadata, data required, revision ≥ 0. */
export function validateControllerRevision(cr: ControllerRevision): FieldError[] {
  const errs = validateObjectMeta(cr.metadata, true, "metadata");
  if (cr.data === undefined || cr.data === null) errs.push(required("data", "data is mandatory"));
  if (typeof cr.revision !== "number" || cr.revision < 0) errs.push(invalid("revision", cr.revision ?? null, "must be greater than or equal to 0"));
  return errs;
}

/** ValidateControllerRevisionUpdate: `data` is immutable. */
export function validateControllerRevisionUpdate(cr: ControllerRevision, old: ControllerRevision): FieldError[] {
  return [
    ...validateObjectMetaUpdate(cr.metadata, old.metadata, "metadata"),
    ...validateImmutableField(cr.data, old.data, "data"),
    ...validateControllerRevision(cr),
  ];
}
