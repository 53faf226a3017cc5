/**
 * @module
 * From a request body to a decoded object: checks the kind, hands the body to the kind's strategy
 * in the version the body names, and applies `fieldValidation` to what it reports.
 */
import { ApiError } from "../../errors.ts";
import type { AppContext } from "../../context.ts";
import type { KubeObject } from "../../../resources/types.ts";
import { applyFieldValidation, fieldValidationOf } from "../request.ts";
import type { KindStrategy } from "../strategy.ts";
import type { Target } from "../target.ts";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function decodeBody<T extends KubeObject>(c: AppContext, target: Target, strategy: KindStrategy<T>, body: unknown): T {
  if (!isObject(body)) throw ApiError.badRequest("the request body must be a JSON object");
  const kind = body.kind ?? target.info.kind;
  const apiVersion = body.apiVersion ?? target.groupVersion;
  if (kind !== target.info.kind) {
    throw ApiError.badRequest(`the kind in the request body (${String(kind)}) does not match the resource kind (${target.info.kind})`);
  }
  if (typeof apiVersion !== "string") throw ApiError.badRequest("apiVersion must be a string");
  if (!isObject(body.metadata ?? {})) throw ApiError.badRequest("metadata must be a JSON object");
  const decoded = strategy.decode({ ...body, kind, apiVersion, metadata: body.metadata ?? {} }, apiVersion);
  applyFieldValidation(c, fieldValidationOf(c), decoded.unknownFields, target.info.kind, apiVersion);
  if (decoded.errors.length) throw ApiError.invalid(target.info, String((body.metadata as { name?: unknown })?.name ?? ""), decoded.errors);
  return decoded.object;
}
