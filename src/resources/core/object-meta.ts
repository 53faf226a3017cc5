/**
 * @module
 * ObjectMeta validation, as apimachinery's ValidateObjectMeta / ValidateObjectMetaUpdate
 * (staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go): names through a
 * per-kind name check, namespace rules, labels, annotations (qualified keys, 256 KiB total),
 * finalizers, owner references, and the fields an update may not change.
 *
 * @example
 * validateObjectMeta({ name: "Bad_Name" }, true, "metadata") // [required namespace, invalid name]
 */
import { child, forbidden, invalid, required, tooLong, type FieldError } from "../field-errors.ts";
import { validateLabels } from "../label-selector.ts";
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from "../../protocol/names.ts";
import type { ObjectMeta } from "../types.ts";

/** A name check: `prefix` is true for generateName (a trailing `-` is then allowed). */
export type NameValidator = (name: string, prefix: boolean) => string[];

const maskTrailingDash = (name: string, prefix: boolean): string => (prefix && name.length > 1 && name.endsWith("-") ? name.slice(0, -1) : name);

/** NameIsDNSSubdomain. */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(maskTrailingDash(name, prefix));
/** NameIsDNSLabel. */
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(maskTrailingDash(name, prefix));

/** TotalAnnotationSizeLimitB. */
export const totalAnnotationSizeLimit = 256 * (1 << 10);

const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

/** ValidateAnnotations: keys are (lower-cased) qualified names; keys and values together ≤ 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, msg));
    total += utf8Length(k) + utf8Length(typeof v === "string" ? v : "");
  }
  if (total > totalAnnotationSizeLimit) errs.push(tooLong(path, totalAnnotationSizeLimit));
  return errs;
}

function validateOwnerReferences(refs: ObjectMeta["ownerReferences"], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const controllers: string[] = [];
  (refs ?? []).forEach((ref, i) => {
    const p = child(path, i);
    if (!ref.apiVersion) errs.push(invalid(child(p, "apiVersion"), ref.apiVersion ?? "", "version must not be empty"));
    if (!ref.kind) errs.push(invalid(child(p, "kind"), ref.kind ?? "", "kind must not be empty"));
    if (!ref.name) errs.push(invalid(child(p, "name"), ref.name ?? "", "name must not be empty"));
    if (!ref.uid) errs.push(invalid(child(p, "uid"), ref.uid ?? "", "uid must not be empty"));
    if (ref.controller) controllers.push(`${ref.kind}/${ref.name}`);
  });
  if (controllers.length > 1)
    errs.push(invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(" and ")}`));
  return errs;
}

function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const f of finalizers ?? []) {
    for (const msg of isQualifiedName(f)) errs.push(invalid(path, f, msg));
    if (seen.has(f)) errs.push({ type: "FieldValueDuplicate", field: path, message: `Duplicate value: ${JSON.stringify(f)}` });
    seen.add(f);
  }
  return errs;
}

/** ValidateObjectMeta. */
export function validateObjectMeta(
  meta: ObjectMeta | undefined,
  namespaced: boolean,
  path = "metadata",
  nameFn: NameValidator = nameIsDNSSubdomain,
): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) for (const msg of nameFn(m.generateName, true)) errs.push(invalid(child(path, "generateName"), m.generateName, msg));
  if (!m.name) {
    if (!m.generateName) errs.push(required(child(path, "name"), "name or generateName is required"));
  } else {
    for (const msg of nameFn(m.name, false)) errs.push(invalid(child(path, "name"), m.name, msg));
  }
  if (namespaced) {
    if (!m.namespace) errs.push(required(child(path, "namespace"), ""));
    else for (const msg of nameIsDNSLabel(m.namespace, false)) errs.push(invalid(child(path, "namespace"), m.namespace, msg));
  } else if (m.namespace) {
    errs.push(forbidden(child(path, "namespace"), "not allowed on this type"));
  }
  if (typeof m.generation === "number" && m.generation < 0)
    errs.push(invalid(child(path, "generation"), m.generation, "must be greater than or equal to 0"));
  errs.push(...validateLabels(m.labels, child(path, "labels")));
  errs.push(...validateAnnotations(m.annotations, child(path, "annotations")));
  errs.push(...validateOwnerReferences(m.ownerReferences, child(path, "ownerReferences")));
  errs.push(...validateFinalizers(m.finalizers, child(path, "finalizers")));
  return errs;
}

/** `Invalid value: <new>: field is immutable` when `a` and `b` differ (ValidateImmutableField). */
export function validateImmutableField(a: unknown, b: unknown, path: string): FieldError[] {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null) ? [] : [invalid(path, a ?? null, "field is immutable")];
}

/** ValidateObjectMetaUpdate: name, namespace, uid, creationTimestamp and deletion fields may not change. */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, path = "metadata"): FieldError[] {
  const m = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  for (const f of ["name", "namespace", "uid", "creationTimestamp"] as const)
    if (o[f] !== undefined) errs.push(...validateImmutableField(m[f], o[f], child(path, f)));
  if (o.deletionTimestamp && m.deletionTimestamp !== o.deletionTimestamp)
    errs.push(...validateImmutableField(m.deletionTimestamp, o.deletionTimestamp, child(path, "deletionTimestamp")));
  if (typeof m.generation === "number" && m.generation < 0)
    errs.push(invalid(child(path, "generation"), m.generation, "must be greater than or equal to 0"));
  errs.push(...validateLabels(m.labels, child(path, "labels")));
  errs.push(...validateAnnotations(m.annotations, child(path, "annotations")));
  errs.push(...validateOwnerReferences(m.ownerReferences, child(path, "ownerReferences")));
  errs.push(...validateFinalizers(m.finalizers, child(path, "finalizers")));
  return errs;
}
