/**
 * @module
 * Field validation of `spec.affinity` and `spec.nodeSelector`, as core validation
 * (`pkg/apis/core/validation`: validateAffinity, ValidateNodeSelector, ValidateNodeSelectorTerm,
 * ValidateNodeSelectorRequirement, ValidateNodeFieldSelectorRequirement,
 * ValidatePreferredSchedulingTerms, validatePodAffinityTerm, validateWeightedPodAffinityTerms,
 * ValidatePodSpecNodeSelector) reports it: same paths, same words.
 *
 * Like Kubernetes, `Gt`/`Lt` need exactly one value but the value is not checked to be an
 * integer here: a non-integer only makes the term unusable at match time.
 *
 * @example
 * validateAffinity({ nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }] } }, "spec.template.spec.affinity")
 * // [invalid("spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight", 0, "must be in the range 1-100")]
 */

import { child, forbidden, invalid, required, typeInvalid, type FieldError } from "../field-errors.ts";
import { validateLabelName, validateLabelSelector, validateLabels } from "../label-selector.ts";
import { isValidLabelValue, nameIsDNSSubdomain, validateNamespaceName } from "../../protocol/names.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** Walks an optional list, reporting a non-list as a type error. */
function eachOf(v: unknown, path: string, errs: FieldError[], visit: (item: unknown, p: string, i: number) => void): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) {
    errs.push(typeInvalid(path, v, "must be a list"));
    return;
  }
  v.forEach((item, i) => visit(item, child(path, i), i));
}

function objectAt(v: unknown, path: string, errs: FieldError[]): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) {
    errs.push(typeInvalid(path, v, "must be an object"));
    return undefined;
  }
  return v;
}

const valuesOf = (rq: Obj, path: string, errs: FieldError[]): string[] => {
  const values: string[] = [];
  eachOf(rq.values, child(path, "values"), errs, (v, p) => {
    if (typeof v === "string") values.push(v);
    else errs.push(typeInvalid(p, v, "must be a string"));
  });
  return values;
};

/** ValidateNodeSelectorRequirement; label values are only checked for required terms. */
function validateNodeSelectorRequirement(rq: Obj, checkValues: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = valuesOf(rq, path, errs);
  switch (rq.operator) {
    case "In":
    case "NotIn":
      if (values.length === 0) errs.push(required(child(path, "values"), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case "Exists":
    case "DoesNotExist":
      if (values.length > 0) errs.push(forbidden(child(path, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case "Gt":
    case "Lt":
      if (values.length !== 1) errs.push(required(child(path, "values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(invalid(child(path, "operator"), rq.operator ?? "", "not a valid selector operator"));
  }
  errs.push(...validateLabelName(str(rq.key), child(path, "key")));
  if (checkValues) {
    values.forEach((v, i) => errs.push(...isValidLabelValue(v).map((m) => invalid(child(child(path, "values"), i), v, m))));
  }
  return errs;
}

/** ValidateNodeFieldSelectorRequirement: only `metadata.name`, In/NotIn, one node name. */
function validateNodeFieldSelectorRequirement(rq: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = valuesOf(rq, path, errs);
  if (rq.operator === "In" || rq.operator === "NotIn") {
    if (values.length !== 1)
      errs.push(required(child(path, "values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else {
    errs.push(invalid(child(path, "operator"), rq.operator ?? "", "not a valid selector operator"));
  }
  if (rq.key !== "metadata.name") {
    errs.push(invalid(child(path, "key"), rq.key ?? "", "not a valid field selector key"));
  } else {
    values.forEach((v, i) => errs.push(...nameIsDNSSubdomain(v).map((m) => invalid(child(child(path, "values"), i), v, m))));
  }
  return errs;
}

function validateNodeSelectorTerm(term: unknown, checkValues: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const t = objectAt(term, path, errs);
  if (!t) return errs;
  eachOf(t.matchExpressions, child(path, "matchExpressions"), errs, (rq, p) => {
    const o = objectAt(rq, p, errs);
    if (o) errs.push(...validateNodeSelectorRequirement(o, checkValues, p));
  });
  eachOf(t.matchFields, child(path, "matchFields"), errs, (rq, p) => {
    const o = objectAt(rq, p, errs);
    if (o) errs.push(...validateNodeFieldSelectorRequirement(o, p));
  });
  return errs;
}

/** Weights of preferred terms: an integer in 1..100 (0 is the default and is rejected). */
function validateWeight(weight: unknown, path: string): FieldError[] {
  if (weight === undefined || weight === null) return [invalid(path, 0, "must be in the range 1-100")];
  if (typeof weight !== "number" || !Number.isInteger(weight)) return [typeInvalid(path, weight, "must be an integer")];
  const w = weight;
  return w <= 0 || w > 100 ? [invalid(path, w, "must be in the range 1-100")] : [];
}

function validateNodeAffinity(na: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const reqPath = child(path, "requiredDuringSchedulingIgnoredDuringExecution");
  const req = objectAt(na.requiredDuringSchedulingIgnoredDuringExecution, reqPath, errs);
  if (req) {
    const termsPath = child(reqPath, "nodeSelectorTerms");
    if (!Array.isArray(req.nodeSelectorTerms) || req.nodeSelectorTerms.length === 0) {
      if (req.nodeSelectorTerms !== undefined && req.nodeSelectorTerms !== null && !Array.isArray(req.nodeSelectorTerms))
        errs.push(typeInvalid(termsPath, req.nodeSelectorTerms, "must be a list"));
      else errs.push(required(termsPath, "must have at least one node selector term"));
    } else {
      req.nodeSelectorTerms.forEach((term: unknown, i) => errs.push(...validateNodeSelectorTerm(term, true, child(termsPath, i))));
    }
  }
  eachOf(na.preferredDuringSchedulingIgnoredDuringExecution, child(path, "preferredDuringSchedulingIgnoredDuringExecution"), errs, (term, p) => {
    const o = objectAt(term, p, errs);
    if (!o) return;
    errs.push(...validateWeight(o.weight, child(p, "weight")));
    errs.push(...validateNodeSelectorTerm(o.preference ?? {}, false, child(p, "preference")));
  });
  return errs;
}

function validatePodAffinityTerm(term: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const t = objectAt(term, path, errs);
  if (!t) return errs;
  errs.push(...validateLabelSelector(t.labelSelector, child(path, "labelSelector")));
  errs.push(...validateLabelSelector(t.namespaceSelector, child(path, "namespaceSelector")));
  eachOf(t.namespaces, child(path, "namespaces"), errs, (name) => {
    // Kubernetes reports these under "namespace" (sic).
    errs.push(...validateNamespaceName(str(name)).map((m) => invalid(child(path, "namespace"), name, m)));
  });
  const topologyKey = str(t.topologyKey);
  if (topologyKey.length === 0) errs.push(required(child(path, "topologyKey"), "can not be empty"));
  errs.push(...validateLabelName(topologyKey, child(path, "topologyKey")));
  return errs;
}

function validatePodAffinityKind(pa: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  eachOf(pa.requiredDuringSchedulingIgnoredDuringExecution, child(path, "requiredDuringSchedulingIgnoredDuringExecution"), errs, (term, p) =>
    errs.push(...validatePodAffinityTerm(term, p)),
  );
  eachOf(pa.preferredDuringSchedulingIgnoredDuringExecution, child(path, "preferredDuringSchedulingIgnoredDuringExecution"), errs, (term, p) => {
    const o = objectAt(term, p, errs);
    if (!o) return;
    errs.push(...validateWeight(o.weight, child(p, "weight")));
    errs.push(...validatePodAffinityTerm(o.podAffinityTerm ?? {}, child(p, "podAffinityTerm")));
  });
  return errs;
}

/** validateAffinity: `path` is the affinity's own path, e.g. `spec.template.spec.affinity`. */
export function validateAffinity(a: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const affinity = objectAt(a, path, errs);
  if (!affinity) return errs;
  const na = objectAt(affinity.nodeAffinity, child(path, "nodeAffinity"), errs);
  if (na) errs.push(...validateNodeAffinity(na, child(path, "nodeAffinity")));
  const pa = objectAt(affinity.podAffinity, child(path, "podAffinity"), errs);
  if (pa) errs.push(...validatePodAffinityKind(pa, child(path, "podAffinity")));
  const paa = objectAt(affinity.podAntiAffinity, child(path, "podAntiAffinity"), errs);
  if (paa) errs.push(...validatePodAffinityKind(paa, child(path, "podAntiAffinity")));
  return errs;
}

/** ValidatePodSpecNodeSelector: keys qualified names, values label values; errors name the map. */
export const validateNodeSelector = (m: unknown, path: string): FieldError[] => validateLabels(m, path);
