/**
 * @module
 * Pod status validation (pkg/apis/core/validation `ValidatePodStatusUpdate`): what a status must
 * hold whoever writes it, an operator through `PUT .../status` or a device through its sync. The
 * structural schema reads `null` as "unset", as Go's decoder does; Go then sees a `null` list item
 * as an empty struct that semantic validation refuses (an empty IP, an empty container name), so
 * here a `null` item is refused as Required wherever it is.
 *
 * @example
 * validatePodStatus({ phase: "Running", podIPs: [null] }, "status") // [{ field: "status.podIPs[0]", message: "Required value" }]
 */
import { child, duplicate, invalid, notSupported, required, type FieldError } from "../field-errors.ts";

const phases = ["Pending", "Running", "Succeeded", "Failed", "Unknown"] as const;
const conditionStatuses = ["True", "False", "Unknown"] as const;

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** netip.ParseAddr's grammar, as validation.IsValidIP checks it (no zone, no leading zeros in IPv4). */
export function isIP(value: string): boolean {
  if (ipv4.test(value)) return true;
  if (!value.includes(":") || !/^[0-9a-fA-F:.]+$/.test(value) || value.length > 45) return false;
  try {
    return new URL(`http://[${value}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every `null` list item under `value`, anywhere: Required. */
function nullItems(value: unknown, path: string, errs: FieldError[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => (item === null ? errs.push(required(child(path, i))) : nullItems(item, child(path, i), errs)));
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) nullItems(v, child(path, k), errs);
  }
}

function validateIPs(single: unknown, list: unknown, singlePath: string, listPath: string, errs: FieldError[]): void {
  if (typeof single === "string" && single !== "" && !isIP(single)) errs.push(invalid(singlePath, single, "must be a valid IP address"));
  if (!Array.isArray(list)) return;
  const seen = new Set<string>();
  list.forEach((item, i) => {
    if (!isObject(item)) return;
    const ip = item.ip;
    const at = child(child(listPath, i), "ip");
    if (typeof ip !== "string" || ip === "") errs.push(required(at));
    else if (!isIP(ip)) errs.push(invalid(at, ip, "must be a valid IP address"));
    else if (seen.has(ip)) errs.push(duplicate(at, ip));
    else seen.add(ip);
  });
}

function validateContainerStatuses(list: unknown, path: string, errs: FieldError[]): void {
  if (!Array.isArray(list)) return;
  const names = new Set<string>();
  list.forEach((status, i) => {
    if (!isObject(status)) return;
    const at = child(path, i);
    if (typeof status.name !== "string" || status.name === "") errs.push(required(child(at, "name")));
    else if (names.has(status.name)) errs.push(duplicate(child(at, "name"), status.name));
    else names.add(status.name);
    if (typeof status.restartCount === "number" && status.restartCount < 0) errs.push(invalid(child(at, "restartCount"), status.restartCount, "must be greater than or equal to 0"));
  });
}

/** ValidatePodStatusUpdate's rules on the status alone; `status` has passed the structural schema. */
export function validatePodStatus(status: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObject(status)) return errs;
  nullItems(status, path, errs);
  if (status.phase !== undefined && status.phase !== null && !(phases as readonly unknown[]).includes(status.phase)) errs.push(notSupported(child(path, "phase"), status.phase, phases));
  if (Array.isArray(status.conditions)) {
    status.conditions.forEach((condition, i) => {
      if (!isObject(condition)) return;
      const at = child(path, "conditions");
      if (typeof condition.type !== "string" || condition.type === "") errs.push(required(child(child(at, i), "type")));
      if (!(conditionStatuses as readonly unknown[]).includes(condition.status)) errs.push(notSupported(child(child(at, i), "status"), condition.status, conditionStatuses));
    });
  }
  for (const key of ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"]) validateContainerStatuses(status[key], child(path, key), errs);
  validateIPs(status.podIP, status.podIPs, child(path, "podIP"), child(path, "podIPs"), errs);
  validateIPs(status.hostIP, status.hostIPs, child(path, "hostIP"), child(path, "hostIPs"), errs);
  return errs;
}
