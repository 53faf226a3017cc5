/**
 * @module
 * From a request body to a decoded object: checks the kind, hands the body to the kind's strategy
 * in the version the body names, and applies `fieldValidation` to what it reports.
 */
import { ApiError } from "../../errors.ts";
import type { AppContext } from "../../context.ts";
import type { KubeObject } from "../../../resources/types.ts";
import { invalid } from "../../../resources/field-errors.ts";
import { maxJsonDepth, tooDeepInValue } from "../json-depth.ts";
import { applyFieldValidation, duplicateFieldsOf, fieldValidationOf, jsonTypeOf } from "../request.ts";
import type { KindStrategy } from "../strategy.ts";
import type { Target } from "../target.ts";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The name a body gives itself, for error messages; "" unless it is a string (`String()` of `{"toString":1}` throws). */
const nameOf = (body: Record<string, unknown>): string => {
  const name = isObject(body.metadata) ? body.metadata.name : undefined;
  return typeof name === "string" ? name : "";
};

/** `duplicates`: the keys the request body gave twice (a patch's, when `body` is the patched object). */
export function decodeBody<T extends KubeObject>(c: AppContext, target: Target, strategy: KindStrategy<T>, body: unknown, duplicates: readonly string[] = duplicateFieldsOf(body)): T {
  if (!isObject(body)) throw ApiError.badRequest(`the request body must be a JSON object (got ${jsonTypeOf(body)})`);
  // A body is shallow (readJsonBody), but a patch can deepen what it patches, one request at a time.
  const deep = tooDeepInValue(body);
  if (deep !== undefined) throw ApiError.invalid(target.info, nameOf(body), [invalid(deep, "...", `nested more than ${maxJsonDepth} levels deep`)]);
  const kind = body.kind ?? target.info.kind;
  const apiVersion = body.apiVersion ?? target.groupVersion;
  if (kind !== target.info.kind) {
    throw ApiError.badRequest(`the kind in the request body (${typeof kind === "string" ? kind : JSON.stringify(kind)}) does not match the resource kind (${target.info.kind})`);
  }
  if (typeof apiVersion !== "string") throw ApiError.badRequest("apiVersion must be a string");
  if (!isObject(body.metadata ?? {})) throw ApiError.badRequest("metadata must be a JSON object");
  const decoded = strategy.decode({ ...body, kind, apiVersion, metadata: body.metadata ?? {} }, apiVersion);
  applyFieldValidation(c, fieldValidationOf(c), decoded.unknownFields, target.info.kind, apiVersion, duplicates);
  if (decoded.errors.length) throw ApiError.invalid(target.info, nameOf(body), decoded.errors);
  return decoded.object;
}
