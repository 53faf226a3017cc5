/**
 * @module
 * DaemonSet validation (pkg/apis/apps/validation/validation.go: ValidateDaemonSet,
 * ValidateDaemonSetSpec, ValidateDaemonSetUpdateStrategy, ValidateRollingUpdateDaemonSet,
 * ValidateDaemonSetUpdate, ValidateDaemonSetStatusUpdate) on the internal form, plus the
 * selector immutability the registry strategy adds for the apps versions.
 *
 * @example
 * validateDaemonSet(ds) // [{ field: "spec.updateStrategy.rollingUpdate.maxUnavailable", message: "Required value: cannot be 0 when maxSurge is 0" }]
 */
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from "../core/object-meta.ts";
import { child, forbidden, invalid, notSupported, required, type FieldError } from "../field-errors.ts";
import { matchesLabels, selectorFromLabelSelector, validateLabelSelector } from "../label-selector.ts";
import { validatePodTemplateSpec } from "../pod/validate-pod-spec.ts";
import { wellKnown, type DaemonSet, type DaemonSetSpec, type DaemonSetStatus, type DaemonSetUpdateStrategy, type IntOrString } from "../types.ts";
import { templateGenerationOf } from "./conversion.ts";
import { deepEqual } from "./deep-equal.ts";
import { hasExtensionsShape } from "./versions.ts";
import { parseRolloutPolicy } from "./rollout-policy.ts";

const negative = "must be greater than or equal to 0";

const nonNegative = (value: number | undefined, path: string): FieldError[] =>
  typeof value === "number" && value < 0 ? [invalid(path, value, negative)] : [];

/** ValidatePositiveIntOrPercent. */
function validatePositiveIntOrPercent(v: IntOrString | undefined, path: string): FieldError[] {
  if (v === undefined) return [];
  if (typeof v === "string") {
    return /^[0-9]+%$/.test(v)
      ? []
      : [invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  }
  if (typeof v === "number" && Number.isInteger(v)) return nonNegative(v, path);
  return [invalid(path, v, "must be an integer or percentage (e.g '5%')")];
}

/** IsNotMoreThan100Percent. */
function notMoreThan100Percent(v: IntOrString | undefined, path: string): FieldError[] {
  if (typeof v !== "string" || !/^[0-9]+%$/.test(v)) return [];
  return Number(v.slice(0, -1)) > 100 ? [invalid(path, v, "must not be greater than 100%")] : [];
}

/** getIntOrPercentValue: the number, or the percentage without its `%`. */
const intOrPercentValue = (v: IntOrString | undefined): number =>
  typeof v === "number" ? v : typeof v === "string" && /^-?[0-9]+%?$/.test(v) ? Number(v.replace("%", "")) : 0;

/** ValidateDaemonSetUpdateStrategy and ValidateRollingUpdateDaemonSet. */
export function validateDaemonSetUpdateStrategy(strategy: DaemonSetUpdateStrategy | undefined, path: string): FieldError[] {
  const s = strategy ?? {};
  if (s.type === "OnDelete") return [];
  if (s.type !== "RollingUpdate") return [notSupported(path, s, ["RollingUpdate", "OnDelete"])];
  if (!s.rollingUpdate) return [required(child(path, "rollingUpdate"), "")];
  const p = child(path, "rollingUpdate");
  const { maxUnavailable, maxSurge } = s.rollingUpdate;
  const errs = [
    ...validatePositiveIntOrPercent(maxUnavailable, child(p, "maxUnavailable")),
    ...validatePositiveIntOrPercent(maxSurge, child(p, "maxSurge")),
    ...notMoreThan100Percent(maxUnavailable, child(p, "maxUnavailable")),
    ...notMoreThan100Percent(maxSurge, child(p, "maxSurge")),
  ];
  const hasUnavailable = intOrPercentValue(maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push(invalid(child(p, "maxSurge"), maxSurge, "may not be set when maxUnavailable is non-zero"));
  else if (!hasUnavailable && !hasSurge) errs.push(required(child(p, "maxUnavailable"), "cannot be 0 when maxSurge is 0"));
  return errs;
}

/** ValidateDaemonSetSpec. */
export function validateDaemonSetSpec(spec: DaemonSetSpec | undefined, path: string): FieldError[] {
  const s = spec ?? ({} as DaemonSetSpec);
  const errs: FieldError[] = [];
  if (!s.selector) errs.push(required(child(path, "selector"), ""));
  const selectorErrs = validateLabelSelector(s.selector, child(path, "selector"));
  errs.push(...selectorErrs);
  const templateLabels = s.template?.metadata?.labels ?? {};
  if (!selectorErrs.length && !matchesLabels(selectorFromLabelSelector(s.selector), templateLabels))
    errs.push(invalid(child(child(child(path, "template"), "metadata"), "labels"), templateLabels, "`selector` does not match template `labels`"));
  if (s.selector && Object.keys(s.selector.matchLabels ?? {}).length + (s.selector.matchExpressions?.length ?? 0) === 0)
    errs.push(invalid(child(path, "selector"), s.selector, "empty selector is invalid for daemonset"));
  errs.push(...validatePodTemplateSpec(s.template, child(path, "template")));
  const podSpec = child(child(path, "template"), "spec");
  const restartPolicy = s.template?.spec?.restartPolicy;
  if (restartPolicy !== "Always") errs.push(notSupported(child(podSpec, "restartPolicy"), restartPolicy ?? "", ["Always"]));
  if (s.template?.spec?.activeDeadlineSeconds !== undefined)
    errs.push(forbidden(child(podSpec, "activeDeadlineSeconds"), "activeDeadlineSeconds in DaemonSet is not Supported"));
  errs.push(...nonNegative(s.minReadySeconds, child(path, "minReadySeconds")));
  errs.push(...validateDaemonSetUpdateStrategy(s.updateStrategy, child(path, "updateStrategy")));
  errs.push(...nonNegative(s.revisionHistoryLimit, child(path, "revisionHistoryLimit")));
  return errs;
}

function validateTemplateGeneration(ds: DaemonSet): FieldError[] {
  const key = wellKnown.templateGenerationAnnotation;
  const value = ds.metadata?.annotations?.[key];
  if (value === undefined) return [];
  const path = `metadata.annotations[${key}]`;
  if (!/^-?\d+$/.test(value)) return [invalid(path, value, "must be an integer")];
  return nonNegative(Number(value), "spec.templateGeneration");
}

/** ValidateDaemonSet: metadata (namespaced, DNS-1123 subdomain name) and spec. */
export function validateDaemonSet(ds: DaemonSet): FieldError[] {
  return [...validateObjectMeta(ds.metadata, true, "metadata"), ...validateTemplateGeneration(ds), ...parseRolloutPolicy(ds.metadata?.annotations).errors, ...validateDaemonSetSpec(ds.spec, "spec")];
}

/**
 * ValidateDaemonSetUpdate: metadata update rules, template generation bookkeeping
 * (ValidateDaemonSetSpecUpdate) and the spec; the selector is immutable unless the request came
 * through extensions/v1beta1 (daemonset strategy.go ValidateUpdate).
 */
export function validateDaemonSetUpdate(ds: DaemonSet, old: DaemonSet, apiVersion = "apps/v1"): FieldError[] {
  const errs = validateObjectMetaUpdate(ds.metadata, old.metadata, "metadata");
  const gen = templateGenerationOf(ds);
  const oldGen = templateGenerationOf(old);
  const path = "spec.templateGeneration";
  if (gen < oldGen) errs.push(invalid(path, gen, "must not be decremented"));
  const templateUpdated = !deepEqual(ds.spec?.template, old.spec?.template);
  if (gen === oldGen && templateUpdated) errs.push(invalid(path, gen, "must be incremented upon template update"));
  else if (gen > oldGen && !templateUpdated) errs.push(invalid(path, gen, "must not be incremented without template update"));
  errs.push(...validateTemplateGeneration(ds), ...parseRolloutPolicy(ds.metadata?.annotations).errors, ...validateDaemonSetSpec(ds.spec, "spec"));
  if (!hasExtensionsShape(apiVersion)) errs.push(...validateImmutableField(ds.spec?.selector, old.spec?.selector, "spec.selector"));
  return errs;
}

function validateDaemonSetStatus(status: DaemonSetStatus | undefined, path: string): FieldError[] {
  const s = status ?? ({} as DaemonSetStatus);
  const fields = [
    "currentNumberScheduled",
    "numberMisscheduled",
    "desiredNumberScheduled",
    "numberReady",
    "observedGeneration",
    "updatedNumberScheduled",
    "numberAvailable",
    "numberUnavailable",
  ] as const;
  return fields.flatMap((f) => nonNegative(s[f], child(path, f)));
}

/** ValidateDaemonSetStatusUpdate: counts ≥ 0 and collisionCount never decremented. */
export function validateDaemonSetStatusUpdate(ds: DaemonSet, old: DaemonSet): FieldError[] {
  const errs = [...validateObjectMetaUpdate(ds.metadata, old.metadata, "metadata"), ...validateDaemonSetStatus(ds.status, "status")];
  const now = ds.status?.collisionCount;
  const before = old.status?.collisionCount;
  if (before !== undefined && (now === undefined || now < before)) errs.push(invalid("status.collisionCount", now ?? 0, "cannot be decremented"));
  return errs;
}
