/**
 * @module
 * Label selectors as apimachinery has them (`pkg/labels/selector.go`, metav1 `helpers.go` and
 * `validation.go`): the string grammar of `?labelSelector=` and `kubectl get -l`, the structured
 * `LabelSelector` of `spec.selector`, matching, formatting and field validation. The string
 * grammar's parser is `label-selector-parse.ts`, which builds on this module.
 *
 * @example
 * const sel = parseLabelSelector("app=web,tier in (edge,core),!canary"); // label-selector-parse.ts
 * matchesLabels(sel, { app: "web", tier: "edge" });                                 // true
 * formatLabelSelector({ matchLabels: { app: "x" }, matchExpressions: [{ key: "tier", operator: "In", values: ["b", "a"] }] });
 * // "app=x,tier in (a,b)"
 */

import { child, forbidden, invalid, required, typeInvalid, type FieldError } from "./field-errors.ts";
import { isQualifiedName, isValidLabelValue } from "../protocol/names.ts";
import type { LabelSelector, Labels } from "./types.ts";

/** selection.Operator. `gt`/`lt` come from the string grammar (`x>1`) and from node affinity. */
export type Operator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export type Selector =
  | { kind: "everything" }
  | { kind: "nothing" }
  | { kind: "requirements"; requirements: Requirement[] };

/** A selector that cannot be parsed or built; `message` is the one Kubernetes gives. */
export class SelectorError extends Error {
  override name = "SelectorError";
}

export const everything = (): Selector => ({ kind: "everything" });
export const nothing = (): Selector => ({ kind: "nothing" });

// ---- Go-style rendering of field errors inside selector messages (field.Error.Error()) ----

const quote = (s: string): string => JSON.stringify(s);
const goStrings = (vals: readonly string[]): string => `[]string{${vals.map(quote).join(", ")}}`;
/** utilerrors.NewAggregate(...).Error(): duplicates dropped, one message bare, several in brackets. */
export const aggregateMessage = (msgs: readonly string[]): string => {
  const unique = [...new Set(msgs)];
  return unique.length === 1 ? unique[0] : `[${unique.join(", ")}]`;
};
/** field.Path joining with Go's rendering of a nil root path as "<nil>". */
const at = (path: string, name: string): string => (path ? `${path}.${name}` : name);

const binaryOperators = ["in", "notin", "=", "==", "!=", "gt", "lt"] as const;
const validRequirementOperators = [...binaryOperators, "exists", "!"];

/** Strict base-10 int64, as strconv.ParseInt(s, 10, 64). */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

/** labels.NewRequirement's checks, as Go-formatted messages under `path` ("" = no path). */
export function requirementErrors(key: string, operator: string, values: readonly string[], path = ""): string[] {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(`${at(path, "key")}: Invalid value: ${quote(key)}: ${keyErrs.join("; ")}`);
  const valuePath = at(path, "values");
  switch (operator) {
    case "in":
    case "notin":
      if (values.length === 0)
        errs.push(`${valuePath}: Invalid value: ${goStrings(values)}: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case "=":
    case "==":
    case "!=":
      if (values.length !== 1)
        errs.push(`${valuePath}: Invalid value: ${goStrings(values)}: exact-match compatibility requires one single value`);
      break;
    case "exists":
    case "!":
      if (values.length !== 0)
        errs.push(`${valuePath}: Invalid value: ${goStrings(values)}: values set must be empty for exists and does not exist`);
      break;
    case "gt":
    case "lt":
      if (values.length !== 1)
        errs.push(`${valuePath}: Invalid value: ${goStrings(values)}: for 'Gt', 'Lt' operators, exactly one value is required`);
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined)
          errs.push(`${valuePath}[${i}]: Invalid value: ${quote(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
    default:
      errs.push(
        `${at(path, "operator")}: Unsupported value: ${quote(operator)}: supported values: ${validRequirementOperators.map(quote).join(", ")}`,
      );
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length) errs.push(`${valuePath}[${i}][${key}]: Invalid value: ${quote(v)}: ${valueErrs.join("; ")}`);
  });
  return errs;
}

/** labels.NewRequirement: throws SelectorError with the aggregated message. */
export function newRequirement(key: string, operator: Operator, values: readonly string[], path = ""): Requirement {
  const errs = requirementErrors(key, operator, values, path);
  if (errs.length) throw new SelectorError(aggregateMessage(errs));
  return { key, operator, values: [...values] };
}

/** Sorted by key (stable), as internalSelector.Add does, so strings and matching are deterministic. */
export const selectorOf = (requirements: Requirement[]): Selector =>
  requirements.length === 0
    ? everything()
    : { kind: "requirements", requirements: [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };

// ---- Matching ----

/** Requirement.Matches. */
export function matchesRequirement(r: Requirement, labels: Labels | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case "in":
    case "=":
    case "==":
      return has && r.values.includes(value as string);
    case "notin":
    case "!=":
      return !has || !r.values.includes(value as string);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
    case "lt": {
      if (!has || r.values.length !== 1) return false;
      const actual = parseInt64(value as string);
      const bound = parseInt64(r.values[0]);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === "gt" ? actual > bound : actual < bound;
    }
  }
}

export function matchesLabels(sel: Selector, labels: Labels | undefined): boolean {
  if (sel.kind === "everything") return true;
  if (sel.kind === "nothing") return false;
  return sel.requirements.every((r) => matchesRequirement(r, labels));
}

// ---- Structured selectors ----

const structuredOperators: Record<string, Operator> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" };

/** metav1.LabelSelectorAsSelector: null matches nothing, `{}` matches everything. */
export function selectorFromLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return nothing();
  const matchLabels = Object.entries(ls.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const expressions = ls.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return everything();
  const reqs = matchLabels.map(([k, v]) => newRequirement(k, "=", [v]));
  for (const expr of expressions) {
    const op = Object.hasOwn(structuredOperators, expr.operator) ? structuredOperators[expr.operator] : undefined;
    if (!op) throw new SelectorError(`${quote(String(expr.operator))} is not a valid pod selector operator`);
    reqs.push(newRequirement(expr.key, op, expr.values ?? []));
  }
  return selectorOf(reqs);
}

export type LabelMatcher = (labels: Labels | undefined) => boolean;

/**
 * A structured selector as a matcher (what the DaemonSet controller claims pods and revisions
 * with): `selectorFromLabelSelector` then `matchesLabels`. Throws SelectorError where
 * LabelSelectorAsSelector fails.
 */
export function compileLabelSelector(ls: LabelSelector | null | undefined): LabelMatcher {
  const selector = selectorFromLabelSelector(ls);
  return (labels) => matchesLabels(selector, labels);
}

/** True for `{}` (and empty maps and lists): the selector that would select every pod. */
export function isEmptySelector(ls: LabelSelector | undefined | null): boolean {
  if (!ls) return false;
  return Object.keys(ls.matchLabels ?? {}).length === 0 && (ls.matchExpressions ?? []).length === 0;
}

/** labels.SelectorFromSet: every pair must be present; an empty set selects everything. */
export const selectorFromSet = (set: Labels | undefined): Selector =>
  selectorOf(Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: "=" as const, values: [v] })));

const operatorText: Partial<Record<Operator, string>> = { "=": "=", "==": "==", "!=": "!=", in: " in ", notin: " notin ", gt: ">", lt: "<" };

/** Requirement.String: `a=b`, `a in (x,y)` (values sorted), `a`, `!a`. */
export function formatRequirement(r: Requirement): string {
  const head = (r.operator === "!" ? "!" : "") + r.key;
  if (r.operator === "exists" || r.operator === "!") return head;
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(",");
  return r.operator === "in" || r.operator === "notin" ? `${head}${operatorText[r.operator]}(${values})` : `${head}${operatorText[r.operator]}${values}`;
}

/** Selector.String: "" for everything and nothing. */
export const formatSelector = (sel: Selector): string =>
  sel.kind === "requirements" ? sel.requirements.map(formatRequirement).join(",") : "";

/** metav1.FormatLabelSelector: what kubectl sends as `labelSelector` for a DaemonSet's `spec.selector`. */
export function formatLabelSelector(ls: LabelSelector | null | undefined): string {
  let sel: Selector;
  try {
    sel = selectorFromLabelSelector(ls);
  } catch {
    return "<error>";
  }
  return formatSelector(sel) || "<none>";
}

// ---- Validation (metav1validation) ----

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** ValidateLabelName: one error per reason the key is not a qualified name. */
export const validateLabelName = (name: string, path: string): FieldError[] =>
  isQualifiedName(name).map((m) => invalid(path, name, m));

/** ValidateLabels: errors carry the map's path, not the entry's, as Kubernetes reports them. */
export function validateLabels(labels: unknown, path: string): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (!isRecord(labels)) return [typeInvalid(path, labels, "must be an object of string keys and values")];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...validateLabelName(k, path));
    if (typeof v !== "string") errs.push(typeInvalid(path, v, "label values must be strings"));
    else errs.push(...isValidLabelValue(v).map((m) => invalid(path, v, m)));
  }
  return errs;
}

/** ValidateLabelSelector (label values inside expressions validated, as in current releases). */
export function validateLabelSelector(ls: unknown, path: string): FieldError[] {
  if (ls === undefined || ls === null) return [];
  if (!isRecord(ls)) return [typeInvalid(path, ls, "must be an object")];
  const errs = validateLabels(ls.matchLabels, child(path, "matchLabels"));
  const exprs = ls.matchExpressions;
  if (exprs === undefined || exprs === null) return errs;
  if (!Array.isArray(exprs)) return [...errs, typeInvalid(child(path, "matchExpressions"), exprs, "must be a list")];
  exprs.forEach((expr: unknown, i) => {
    const p = child(child(path, "matchExpressions"), i);
    if (!isRecord(expr)) {
      errs.push(typeInvalid(p, expr, "must be an object"));
      return;
    }
    const values = Array.isArray(expr.values) ? expr.values : [];
    if (expr.values !== undefined && expr.values !== null && !Array.isArray(expr.values))
      errs.push(typeInvalid(child(p, "values"), expr.values, "must be a list of strings"));
    switch (expr.operator) {
      case "In":
      case "NotIn":
        if (values.length === 0) errs.push(required(child(p, "values"), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case "Exists":
      case "DoesNotExist":
        if (values.length > 0) errs.push(forbidden(child(p, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(child(p, "operator"), expr.operator ?? "", "not a valid selector operator"));
    }
    errs.push(...validateLabelName(typeof expr.key === "string" ? expr.key : "", child(p, "key")));
    values.forEach((v: unknown, j) => {
      if (typeof v !== "string") errs.push(typeInvalid(child(child(p, "values"), j), v, "must be a string"));
      else errs.push(...isValidLabelValue(v).map((m) => invalid(child(child(p, "values"), j), v, m)));
    });
  });
  return errs;
}
