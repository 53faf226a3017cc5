/**
 * @module
 * Field validation of pod `tolerations` and node `spec.taints`, as core validation
 * (`ValidateTolerations`, `validateNodeTaints`, `validateTaintEffect`) reports it.
 *
 * @example
 * validateTaints([{ key: "dedicated", effect: "NoSchedule" }, { key: "dedicated", value: "x", effect: "NoSchedule" }], "spec.taints")
 * // [{ type: "FieldValueDuplicate", field: "spec.taints[1]", message: "Duplicate value: ...: taints must be unique by key and effect pair" }]
 */

import { child, invalid, notSupported, required, typeInvalid, type FieldError } from "../field-errors.ts";
import { validateLabelName } from "../label-selector.ts";
import { isValidLabelValue } from "../../protocol/names.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

const taintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

/** validateTaintEffect: empty is allowed for tolerations (any effect), required for taints. */
function validateTaintEffect(effect: string, allowEmpty: boolean, path: string): FieldError[] {
  if (!allowEmpty && effect.length === 0) return [required(path)];
  return (taintEffects as readonly string[]).includes(effect) ? [] : [notSupported(path, effect, taintEffects)];
}

function listOf(v: unknown, path: string): { items: unknown[]; errs: FieldError[] } {
  if (v === undefined || v === null) return { items: [], errs: [] };
  if (!Array.isArray(v)) return { items: [], errs: [typeInvalid(path, v, "must be a list")] };
  return { items: v, errs: [] };
}

/** ValidateTolerations (`path` is the list's path, e.g. `spec.template.spec.tolerations`). */
export function validateTolerations(t: unknown, path: string): FieldError[] {
  const { items, errs } = listOf(t, path);
  items.forEach((item, i) => {
    const p = child(path, i);
    if (!isObj(item)) {
      errs.push(typeInvalid(p, item, "must be an object"));
      return;
    }
    const key = str(item.key);
    const operator = str(item.operator);
    const value = str(item.value);
    const effect = str(item.effect);
    if (key.length > 0) errs.push(...validateLabelName(key, child(p, "key")));
    // An empty key with Exists and no value matches every taint; any other operator is meaningless.
    if (key.length === 0 && operator !== "Exists") {
      errs.push(invalid(child(p, "operator"), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (item.tolerationSeconds !== undefined && item.tolerationSeconds !== null) {
      if (typeof item.tolerationSeconds !== "number" || !Number.isInteger(item.tolerationSeconds))
        errs.push(typeInvalid(child(p, "tolerationSeconds"), item.tolerationSeconds, "must be an integer"));
      if (effect !== "NoExecute") errs.push(invalid(child(p, "effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (operator) {
      case "":
      case "Equal": {
        // Kubernetes reports a bad value under "operator", joined with ";".
        const valueErrs = isValidLabelValue(value);
        if (valueErrs.length) errs.push(invalid(child(p, "operator"), value, valueErrs.join(";")));
        break;
      }
      case "Exists":
        if (value.length > 0) errs.push(invalid(child(p, "operator"), item, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(notSupported(child(p, "operator"), operator, ["Equal", "Exists"]));
    }
    if (effect.length > 0) errs.push(...validateTaintEffect(effect, true, child(p, "effect")));
  });
  return errs;
}

/** validateNodeTaints (`path` is `spec.taints`): key, value and effect valid; unique by key and effect. */
export function validateTaints(t: unknown, path: string): FieldError[] {
  const { items, errs } = listOf(t, path);
  const seen = new Map<string, Set<string>>();
  items.forEach((item, i) => {
    const p = child(path, i);
    if (!isObj(item)) {
      errs.push(typeInvalid(p, item, "must be an object"));
      return;
    }
    const key = str(item.key);
    const value = str(item.value);
    const effect = str(item.effect);
    errs.push(...validateLabelName(key, child(p, "key")));
    const valueErrs = isValidLabelValue(value);
    if (valueErrs.length) errs.push(invalid(child(p, "value"), value, valueErrs.join(";")));
    errs.push(...validateTaintEffect(effect, false, child(p, "effect")));
    const keys = seen.get(effect) ?? new Set<string>();
    if (keys.has(key)) {
      errs.push({
        type: "FieldValueDuplicate",
        field: p,
        message: `Duplicate value: ${JSON.stringify(item)}: taints must be unique by key and effect pair`,
      });
      return;
    }
    seen.set(effect, keys.add(key));
  });
  return errs;
}
