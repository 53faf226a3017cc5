/**
 * @module
 * ConfigMap validation (validation.go ValidateConfigMap / ValidateConfigMapUpdate): keys are
 * config keys, `data` and `binaryData` keys are disjoint, 1 MiB in total, and an immutable
 * ConfigMap keeps its data and its `immutable: true`.
 *
 * @example
 * validateConfigMap({ metadata: { name: "c", namespace: "d" }, data: { "a b": "x" } }) // [data[a b]: Invalid value ...]
 */
import { forbidden, invalid, key, tooLong, type FieldError } from "../field-errors.ts";
import { isConfigMapKey } from "../../protocol/names.ts";
import type { ConfigMap } from "../types.ts";
import { validateObjectMeta, validateObjectMetaUpdate } from "./object-meta.ts";

/** MaxSecretSize, also the ConfigMap limit. */
export const maxDataSize = 1024 * 1024;

const base64Length = (s: string): number => Math.floor((s.replace(/=+$/, "").length * 3) / 4);

/** Key checks and total size shared by ConfigMap and Secret; `decoded` sizes base64 values. */
export function validateDataKeys(data: Record<string, string> | undefined, path: string, decoded: boolean): { errs: FieldError[]; size: number } {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(data ?? {})) {
    for (const msg of isConfigMapKey(k)) errs.push(invalid(key(path, k), k, msg));
    size += decoded ? base64Length(String(v)) : new TextEncoder().encode(String(v)).length;
  }
  return { errs, size };
}

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs = validateObjectMeta(cm.metadata, true, "metadata");
  const data = validateDataKeys(cm.data, "data", false);
  const binary = validateDataKeys(cm.binaryData, "binaryData", true);
  errs.push(...data.errs, ...binary.errs);
  for (const k of Object.keys(cm.data ?? {})) if (cm.binaryData && k in cm.binaryData) errs.push(invalid(key("data", k), k, "duplicate of key present in binaryData"));
  for (const k of Object.keys(cm.binaryData ?? {})) if (cm.data && k in cm.data) errs.push(invalid(key("binaryData", k), k, "duplicate of key present in data"));
  if (data.size + binary.size > maxDataSize) errs.push(tooLong("", maxDataSize));
  return errs;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The immutable-ConfigMap/Secret rules: `immutable` cannot be unset, data cannot change. */
export function validateImmutableData(
  obj: { immutable?: boolean; data?: unknown; binaryData?: unknown },
  old: { immutable?: boolean; data?: unknown; binaryData?: unknown },
  fields: ("data" | "binaryData")[],
): FieldError[] {
  if (!old.immutable) return [];
  const errs: FieldError[] = [];
  if (!obj.immutable) errs.push(forbidden("immutable", "field is immutable when `immutable` is set"));
  for (const f of fields) if (!sameJson(obj[f], old[f])) errs.push(forbidden(f, "field is immutable when `immutable` is set"));
  return errs;
}

export function validateConfigMapUpdate(cm: ConfigMap, old: ConfigMap): FieldError[] {
  return [...validateObjectMetaUpdate(cm.metadata, old.metadata, "metadata"), ...validateImmutableData(cm, old, ["data", "binaryData"]), ...validateConfigMap(cm)];
}
