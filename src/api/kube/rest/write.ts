/**
 * @module
 * POST (create) and PUT (update, `/status` update) for every kind: decode, fill server-owned
 * fields, validate, commit with the resource version as precondition, then tell the controllers.
 */
import { ApiError } from "../../errors.ts";
import { background, type AppContext } from "../../context.ts";
import { jsonEqual, prepareMetaForCreate, prepareMetaForUpdate } from "../../../resources/meta.ts";
import { resources } from "../../../resources/registry.ts";
import type { KubeObject, ObjectMeta } from "../../../resources/types.ts";
import { getObject } from "../../../store/objects.ts";
import { commit, NameTaken, PreconditionFailed } from "../../../store/writes.ts";
import { strategyFor } from "../kinds/index.ts";
import { isDryRun, readJsonBody, sendJson } from "../request.ts";
import type { KindStrategy } from "../strategy.ts";
import type { Target } from "../target.ts";
import { decodeBody } from "./decode.ts";
import { loadOr404 } from "./read.ts";

/** A namespaced object may only be created in a namespace that exists and is not terminating. */
export async function requireNamespace(c: AppContext, namespace: string): Promise<void> {
  const ns = await getObject(c.var.db, { kind: "Namespace", namespace: "", name: namespace });
  if (!ns) throw ApiError.notFound(resources.Namespace, namespace);
  if (ns.metadata.deletionTimestamp) {
    throw ApiError.forbidden(`unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}

/** The largest object stored, as JSON: etcd's default request limit (1.5 MiB), above a full 1 MiB ConfigMap. */
export const maxObjectBytes = 1536 * 1024;

/** 413 before a write of an object past `maxObjectBytes` (JSON as UTF-8; only long strings make it big). */
function checkObjectSize(object: KubeObject): void {
  const text = JSON.stringify(object);
  if (text.length <= maxObjectBytes / 3) return;
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > maxObjectBytes) throw ApiError.tooLarge(`Request entity too large: the object is ${bytes} bytes; limit is ${maxObjectBytes}`);
}

/** Creates `object` (already decoded) in `target`; shared by POST and server-side apply. */
export async function createObject<T extends KubeObject>(c: AppContext, target: Target, strategy: KindStrategy<T>, decoded: T): Promise<T> {
  const object: T = { ...decoded, metadata: { ...decoded.metadata } };
  if (target.info.namespaced) {
    const namespace = target.namespace ?? "";
    if (object.metadata.namespace && object.metadata.namespace !== namespace) {
      throw ApiError.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    object.metadata.namespace = namespace;
    await requireNamespace(c, namespace);
  } else {
    delete object.metadata.namespace;
  }
  if (!object.metadata.name && !object.metadata.generateName) {
    throw ApiError.invalid(target.info, "", [{ type: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" }]);
  }
  const prepared = strategy.prepareForCreate({ ...object, metadata: prepareMetaForCreate(object.metadata, crypto.randomUUID(), c.var.now) }, c.var.now);
  const errors = strategy.validate(prepared);
  if (errors.length) throw ApiError.invalid(target.info, prepared.metadata.name ?? "", errors);
  checkObjectSize(prepared);
  if (isDryRun(c)) return prepared;
  try {
    const expiresAt = strategy.ttlMs ? c.var.now + strategy.ttlMs : undefined;
    const { versions } = await commit(c.var.db, [{ op: "create", object: prepared, expiresAt }], c.var.now);
    prepared.metadata.resourceVersion = String(versions[0]);
  } catch (error) {
    if (error instanceof NameTaken) throw ApiError.alreadyExists(target.info, prepared.metadata.name ?? "");
    throw error;
  }
  if (strategy.afterChange) background(c, Promise.resolve(strategy.afterChange(c, { type: "created", object: prepared })));
  return prepared;
}

export async function handleCreate(c: AppContext, target: Target): Promise<Response> {
  if (target.name) throw ApiError.methodNotAllowed();
  const strategy = strategyFor(target.info);
  const decoded = decodeBody(c, target, strategy, await readJsonBody(c));
  const created = await createObject(c, target, strategy, decoded);
  return sendJson(c, strategy.encode(created, target.groupVersion), 201);
}

/**
 * The managedFields an update stores (fieldmanager): a body without them (or with `[]`) keeps the
 * stored ones, so clients unaware of the field never strip it; `[{}]` clears them.
 */
function keptManagedFields(next: KubeObject, old: KubeObject): ObjectMeta["managedFields"] {
  const sent = next.metadata.managedFields;
  if (!sent || sent.length === 0) return old.metadata.managedFields;
  if (sent.length === 1 && typeof sent[0] === "object" && sent[0] !== null && Object.keys(sent[0]).length === 0) return undefined;
  return sent;
}

/**
 * Writes `next` over `old` (both internal form) after the kind's update rules; used by PUT and
 * PATCH. Throws PreconditionFailed when `old` is no longer current (the caller retries or 409s).
 */
export async function updateObject<T extends KubeObject>(c: AppContext, target: Target, strategy: KindStrategy<T>, next: T, old: T): Promise<T> {
  const now = c.var.now;
  if (next.metadata.name !== old.metadata.name) {
    throw ApiError.badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${old.metadata.name})`);
  }
  if (target.info.namespaced && next.metadata.namespace && next.metadata.namespace !== old.metadata.namespace) {
    throw ApiError.badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  if (next.metadata.uid && next.metadata.uid !== old.metadata.uid) {
    throw ApiError.conflict(target.info, old.metadata.name ?? "", `Precondition failed: UID in precondition: ${next.metadata.uid}, UID in object meta: ${old.metadata.uid}`);
  }
  const merged = { ...next, metadata: prepareMetaForUpdate({ ...next.metadata, namespace: old.metadata.namespace, managedFields: keptManagedFields(next, old) }, old.metadata) } as T;
  if (!merged.metadata.managedFields) delete merged.metadata.managedFields;
  const status = target.subresource === "status";
  const prepared = status && strategy.prepareForStatusUpdate ? strategy.prepareForStatusUpdate(merged, old, now) : strategy.prepareForUpdate(merged, old, now);
  const errors = status && strategy.validateStatusUpdate ? strategy.validateStatusUpdate(prepared, old) : strategy.validateUpdate(prepared, old);
  if (errors.length) throw ApiError.invalid(target.info, old.metadata.name ?? "", errors);
  const { resourceVersion: oldVersion, ...oldMeta } = old.metadata;
  const { resourceVersion: _ignored, ...newMeta } = prepared.metadata;
  if (jsonEqual({ ...prepared, metadata: newMeta }, { ...old, metadata: oldMeta })) return old;
  checkObjectSize(prepared);
  if (isDryRun(c)) return { ...prepared, metadata: { ...prepared.metadata, resourceVersion: oldVersion } };
  const { versions } = await commit(c.var.db, [{ op: "replace", object: prepared, expectedVersion: Number(oldVersion) }], now);
  prepared.metadata.resourceVersion = String(versions[0]);
  if (strategy.afterChange) background(c, Promise.resolve(strategy.afterChange(c, { type: "updated", object: prepared, old })));
  return prepared;
}

export async function handleUpdate(c: AppContext, target: Target): Promise<Response> {
  if (!target.name) throw ApiError.methodNotAllowed();
  const strategy = strategyFor(target.info);
  const next = decodeBody(c, target, strategy, await readJsonBody(c));
  const old = await loadOr404(c, target);
  const wanted = next.metadata.resourceVersion;
  if (wanted && wanted !== old.metadata.resourceVersion) throw ApiError.conflict(target.info, target.name);
  try {
    const updated = await updateObject(c, target, strategy, next, old);
    return sendJson(c, strategy.encode(updated, target.groupVersion));
  } catch (error) {
    if (error instanceof PreconditionFailed) throw ApiError.conflict(target.info, target.name);
    throw error;
  }
}
