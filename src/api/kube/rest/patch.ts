/**
 * @module
 * PATCH in the four flavours kubectl sends (kubectl-wire.md §3): strategic merge (apply, cordon,
 * taint, rollout undo/restart), JSON merge (label, annotate), JSON patch, and server-side apply.
 * The patch is applied to the object as served in the request's version, then decoded like any
 * body; a concurrent write makes it start over from a fresh read, as the apiserver's
 * GuaranteedUpdate does.
 */
import { ApiError } from "../../errors.ts";
import type { AppContext } from "../../context.ts";
import {
  ApplyConflictError,
  applyJsonMergePatch,
  applyJsonPatch,
  applyServerSide,
  applyStrategicMergePatch,
} from "../../../resources/patch/index.ts";
import { rfc3339 } from "../../../resources/meta.ts";
import type { KubeObject } from "../../../resources/types.ts";
import { getObject } from "../../../store/objects.ts";
import { PreconditionFailed } from "../../../store/writes.ts";
import { strategyFor } from "../kinds/index.ts";
import { duplicateFieldsOf, readJsonBody, sendJson } from "../request.ts";
import type { Target } from "../target.ts";
import { decodeBody } from "./decode.ts";
import { createObject, updateObject } from "./write.ts";

type PatchType = "strategic" | "merge" | "json" | "apply";

function patchTypeOf(contentType: string): PatchType {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  switch (type) {
    case "application/strategic-merge-patch+json":
      return "strategic";
    case "application/merge-patch+json":
      return "merge";
    case "application/json-patch+json":
      return "json";
    case "application/apply-patch+yaml":
    case "application/apply-patch+json":
      return "apply";
    default:
      throw ApiError.unsupportedMediaType(contentType);
  }
}

const maxAttempts = 5;

export async function handlePatch(c: AppContext, target: Target): Promise<Response> {
  if (!target.name) throw ApiError.methodNotAllowed();
  const strategy = strategyFor(target.info);
  const type = patchTypeOf(c.req.header("content-type") ?? "");
  const patch = await readJsonBody(c);
  const isObject = typeof patch === "object" && patch !== null && !Array.isArray(patch);
  if (type === "json" ? !Array.isArray(patch) : !isObject) {
    throw ApiError.badRequest(type === "json" ? "a JSON patch must be a list of operations" : "the patch must be a JSON object");
  }
  // A merge, strategic or apply patch names fields by the object's paths, so a key it gives twice
  // is a duplicate field of the object (Strict: 400; otherwise a Warning, the last value kept).
  const duplicates = type === "json" ? [] : duplicateFieldsOf(patch);
  const manager = c.req.query("fieldManager") ?? "";
  checkFieldManager(manager);
  if (type === "apply" && !manager) throw ApiError.badRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
  const force = c.req.query("force") === "true";
  // ValidatePatchOptions.
  if (force && type !== "apply") throw invalidPatchOptions("force", "FieldValueForbidden", "Forbidden: may not be specified for non-apply patch");
  const ref = { kind: target.info.kind, namespace: target.namespace ?? "", name: target.name };

  for (let attempt = 1; ; attempt++) {
    const old = await getObject<KubeObject>(c.var.db, ref);
    if (!old) {
      if (type !== "apply" || target.subresource) throw ApiError.notFound(target.info, target.name);
      const applied = applyServerSide(undefined, patch as object, manager, target.info.kind, rfc3339(c.var.now), force) as Record<string, unknown>;
      const decoded = decodeBody(c, target, strategy, applied, duplicates);
      if (decoded.metadata.name !== target.name) throw ApiError.badRequest(`the name of the object (${decoded.metadata.name}) does not match the name on the URL (${target.name})`);
      const created = await createObject(c, target, strategy, decoded);
      return sendJson(c, strategy.encode(created, target.groupVersion), 201);
    }
    const served = strategy.encode(old, target.groupVersion) as unknown as Record<string, unknown>;
    let patched: unknown;
    try {
      patched = applyPatch(type, served, patch, target.info.kind, manager, rfc3339(c.var.now), force);
    } catch (error) {
      if (error instanceof ApplyConflictError) throw applyConflict(error);
      throw error;
    }
    const next = decodeBody(c, target, strategy, patched, attempt === 1 ? duplicates : []);
    const wanted = next.metadata.resourceVersion;
    if (wanted && wanted !== old.metadata.resourceVersion) throw ApiError.conflict(target.info, target.name);
    try {
      const updated = await updateObject(c, target, strategy, next, old);
      return sendJson(c, strategy.encode(updated, target.groupVersion));
    } catch (error) {
      if (!(error instanceof PreconditionFailed)) throw error;
      if (attempt >= maxAttempts) throw ApiError.conflict(target.info, target.name);
    }
  }
}

const invalidPatchOptions = (field: string, reason: string, message: string) =>
  new ApiError(422, "Invalid", `PatchOptions.meta.k8s.io "" is invalid: ${field}: ${message}`, { group: "meta.k8s.io", kind: "PatchOptions", causes: [{ reason, message, field }] });

/** ValidateFieldManager: at most 128 bytes, printable characters only (unicode.IsPrint). */
function checkFieldManager(manager: string): void {
  if (new TextEncoder().encode(manager).length > 128) throw invalidPatchOptions("fieldManager", "FieldValueTooLong", "Too long: may not be more than 128 bytes");
  if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u.test(manager)) throw invalidPatchOptions("fieldManager", "FieldValueInvalid", `Invalid value: ${JSON.stringify(manager)}: must only contain printable characters`);
}

/** errors.NewApplyConflict: 409 Conflict, one FieldManagerConflict cause per field. */
const applyConflict = (error: ApplyConflictError): ApiError =>
  new ApiError(409, "Conflict", error.message, {
    causes: error.conflicts.map((conflict) => ({ reason: "FieldManagerConflict", message: `conflict with ${conflict.manager}`, field: conflict.field })),
  });

function applyPatch(type: PatchType, served: Record<string, unknown>, patch: unknown, kind: string, manager: string, now: string, force: boolean): unknown {
  switch (type) {
    case "merge":
      return applyJsonMergePatch(served, patch);
    case "json":
      return applyJsonPatch(served, patch);
    case "strategic":
      return applyStrategicMergePatch(served, patch, kind);
    case "apply":
      return applyServerSide(served, patch as object, manager, kind, now, force);
  }
}
