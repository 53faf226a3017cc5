/**
 * @module
 * The version options of a list or watch (`resourceVersion`, `resourceVersionMatch`,
 * `sendInitialEvents`, `continue`), checked as the apiserver checks them: apimachinery's
 * `ValidateListOptions` (a 422 `ListOptions.meta.k8s.io "" is invalid`, with the WatchList feature
 * gate off, so `sendInitialEvents` is refused), and the store's `ParseResourceVersion` (400
 * `invalid resource version: …` for anything but a decimal version).
 *
 * @example
 * validateListOptions({ watch: false, resourceVersionMatch: "Exact", resourceVersion: "0" })
 * // [forbidden("resourceVersionMatch", 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"')]
 */
import { ApiError } from "../errors.ts";
import type { AppContext } from "../context.ts";
import { forbidden, notSupported, type FieldError } from "../../resources/field-errors.ts";

export interface ListOptionsQuery {
  watch: boolean;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  continue?: string;
  /** Present at all (any value): the apiserver checks `SendInitialEvents != nil`. */
  sendInitialEvents?: string;
}

const match = "resourceVersionMatch";

/** The version options of a request's query (all but `watch`, which its route decides). */
export const versionQuery = (c: AppContext): Omit<ListOptionsQuery, "watch"> => ({
  resourceVersion: c.req.query("resourceVersion"),
  resourceVersionMatch: c.req.query("resourceVersionMatch"),
  continue: c.req.query("continue"),
  sendInitialEvents: c.req.query("sendInitialEvents"),
});

/** The field errors of apimachinery's ValidateListOptions (WatchList off); empty when the options are valid. */
export function validateListOptions(o: ListOptionsQuery): FieldError[] {
  const errors: FieldError[] = [];
  const rvMatch = o.resourceVersionMatch ?? "";
  if (o.watch) {
    if (o.sendInitialEvents !== undefined) {
      if (rvMatch !== "NotOlderThan") errors.push(forbidden(match, "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
      errors.push(forbidden("sendInitialEvents", "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"));
    }
    if (rvMatch) {
      if (o.sendInitialEvents === undefined) errors.push(forbidden(match, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
      if (rvMatch !== "NotOlderThan") errors.push(notSupported(match, rvMatch, ["NotOlderThan"]));
      if (o.continue) errors.push(forbidden(match, "resourceVersionMatch is forbidden when continue is provided"));
    }
    return errors;
  }
  if (rvMatch) {
    if (!o.resourceVersion) errors.push(forbidden(match, "resourceVersionMatch is forbidden unless resourceVersion is provided"));
    if (o.continue) errors.push(forbidden(match, "resourceVersionMatch is forbidden when continue is provided"));
    if (rvMatch !== "Exact" && rvMatch !== "NotOlderThan") errors.push(notSupported(match, rvMatch, ["Exact", "NotOlderThan", ""]));
    if (rvMatch === "Exact" && o.resourceVersion === "0") errors.push(forbidden(match, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (o.sendInitialEvents !== undefined) errors.push(forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
  return errors;
}

/** 422 as the list handler words it: `ListOptions.meta.k8s.io "" is invalid: …`, one cause per error. */
export function listOptionsInvalid(errors: readonly FieldError[]): ApiError {
  const list = errors.map((e) => `${e.field}: ${e.message}`);
  return new ApiError(422, "Invalid", `ListOptions.meta.k8s.io "" is invalid: ${list.length === 1 ? list[0] : `[${list.join(", ")}]`}`, {
    group: "meta.k8s.io",
    kind: "ListOptions",
    causes: errors.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  });
}

/** uint64's largest value, as strconv.ParseUint(s, 10, 64) bounds it. */
const maxUint64 = 18446744073709551615n;

/**
 * A resource version as the store parses it: "" and "0" are 0, otherwise an unsigned decimal
 * (strconv.ParseUint, base 10, 64 bits); 400 with the apiserver's message otherwise. Versions past
 * JavaScript's safe range are valid uint64s but newer than any this store hands out: they come back
 * as `Infinity`, which compares as newer than everything.
 */
export function parseResourceVersion(raw: string): number {
  if (raw === "" || raw === "0") return 0;
  const shown = JSON.stringify(raw.length > 64 ? `${raw.slice(0, 64)}…` : raw);
  const fail = (why: string) => ApiError.badRequest(`invalid resource version: resourceVersion: Invalid value: ${shown}: strconv.ParseUint: parsing ${shown}: ${why}`);
  if (!/^\d+$/.test(raw)) throw fail("invalid syntax");
  if (raw.length > 20 || BigInt(raw) > maxUint64) throw fail("value out of range");
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : Number.POSITIVE_INFINITY;
}

/**
 * 410 for `resourceVersionMatch=Exact` at a version this store cannot serve: it keeps the latest
 * state of each object, not past lists (the apiserver's wording for a compacted version), and a
 * version not yet handed out cannot be listed either.
 */
export function exactVersionGone(raw: string, current: string): ApiError {
  if (parseResourceVersion(raw) > Number(current)) return ApiError.expired(`Too large resource version: ${raw.slice(0, 64)}, current: ${current}`);
  return ApiError.expired("The resourceVersion for the provided list is too old.");
}

/**
 * The version options of a list request, checked as the apiserver checks them (422 for the
 * combinations ValidateListOptions refuses, 400 for a version that is no number or comes with
 * `continue`): the options, and the version asked for (0 for none).
 */
export function checkListVersion(c: AppContext): { options: Omit<ListOptionsQuery, "watch">; requested: number } {
  const options = versionQuery(c);
  const invalid = validateListOptions({ ...options, watch: false });
  if (invalid.length > 0) throw listOptionsInvalid(invalid);
  const requested = parseResourceVersion(options.resourceVersion ?? "");
  if (options.continue && requested !== 0) throw ApiError.badRequest("specifying resource version is not allowed when using continue");
  return { options, requested };
}
