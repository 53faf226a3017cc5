/**
 * @module
 * DELETE of one object and of a collection. Kinds with graceful deletion (pods bound to a node)
 * get a deletionTimestamp first and disappear when their node confirms; the rest go at once and
 * answer a `Success` Status, as the apiserver does.
 */
import { ApiError, successStatus } from "../../errors.ts";
import { background, type AppContext } from "../../context.ts";
import type { KubeObject } from "../../../resources/types.ts";
import { refOf } from "../../../store/rows.ts";
import { commit, PreconditionFailed } from "../../../store/writes.ts";
import { strategyFor } from "../kinds/index.ts";
import { isDryRun, queryInteger, readOptionalJsonObjectBody, sendJson } from "../request.ts";
import { maxGraceSeconds, type DeleteOptions, type KindStrategy } from "../strategy.ts";
import type { Target } from "../target.ts";
import { checkFieldLabels, listMatching, loadOr404, parseFilters } from "./read.ts";

const badOption = (field: string, message: string) =>
  new ApiError(400, "BadRequest", `DeleteOptions ${field}: ${message}`, { causes: [{ reason: "FieldValueInvalid", message, field }] });

const isGrace = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= maxGraceSeconds;

/** DeleteOptions from the body and the query, every field checked (the query wins, as in Kubernetes). */
async function deleteOptionsOf(c: AppContext): Promise<DeleteOptions> {
  const body = (await readOptionalJsonObjectBody(c, "DeleteOptions")) ?? {};
  const options: DeleteOptions = {};
  if (body.propagationPolicy !== undefined && body.propagationPolicy !== null) options.propagationPolicy = body.propagationPolicy as DeleteOptions["propagationPolicy"];
  if (body.orphanDependents === true) options.propagationPolicy = "Orphan";
  else if (body.orphanDependents !== undefined && body.orphanDependents !== null && typeof body.orphanDependents !== "boolean") throw badOption("orphanDependents", "must be a boolean");
  if (body.gracePeriodSeconds !== undefined && body.gracePeriodSeconds !== null) {
    if (!isGrace(body.gracePeriodSeconds)) throw badOption("gracePeriodSeconds", `must be an integer from 0 to ${maxGraceSeconds}`);
    options.gracePeriodSeconds = body.gracePeriodSeconds;
  }
  const pre = body.preconditions;
  if (pre !== undefined && pre !== null) {
    if (typeof pre !== "object" || Array.isArray(pre)) throw badOption("preconditions", "must be an object");
    const { uid, resourceVersion } = pre as Record<string, unknown>;
    if (uid !== undefined && uid !== null && typeof uid !== "string") throw badOption("preconditions.uid", "must be a string");
    if (resourceVersion !== undefined && resourceVersion !== null && typeof resourceVersion !== "string") throw badOption("preconditions.resourceVersion", "must be a string");
    options.preconditions = { ...(uid ? { uid: uid as string } : {}), ...(resourceVersion ? { resourceVersion: resourceVersion as string } : {}) };
  }
  const policy = c.req.query("propagationPolicy");
  if (policy) options.propagationPolicy = policy as DeleteOptions["propagationPolicy"];
  const grace = queryInteger(c, "gracePeriodSeconds", 0);
  if (grace !== undefined) {
    if (!isGrace(grace)) throw badOption("gracePeriodSeconds", `must be an integer from 0 to ${maxGraceSeconds}`);
    options.gracePeriodSeconds = grace;
  }
  if (c.req.query("orphanDependents") === "true") options.propagationPolicy = "Orphan";
  if (options.propagationPolicy !== undefined && !["Background", "Foreground", "Orphan"].includes(options.propagationPolicy)) {
    throw ApiError.badRequest(`propagationPolicy must be one of Background, Foreground, Orphan (got ${JSON.stringify(options.propagationPolicy)})`);
  }
  return options;
}

/** Deletes (or begins deleting) one loaded object; returns what the response shows. */
async function deleteLoaded<T extends KubeObject>(c: AppContext, target: Target, strategy: KindStrategy<T>, object: T, options: DeleteOptions): Promise<{ body: unknown }> {
  const name = object.metadata.name ?? "";
  const pre = options.preconditions;
  if (pre?.uid && pre.uid !== object.metadata.uid) {
    throw ApiError.conflict(target.info, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${object.metadata.uid}`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== object.metadata.resourceVersion) {
    throw ApiError.conflict(target.info, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${object.metadata.resourceVersion}`);
  }
  const graceful = await strategy.beginDelete?.(object, options, c.var.now, c);
  const dryRun = isDryRun(c);
  if (graceful) {
    if (dryRun) return { body: strategy.encode(graceful, target.groupVersion) };
    if (graceful !== object) {
      const { versions } = await commit(c.var.db, [{ op: "replace", object: graceful, expectedVersion: Number(object.metadata.resourceVersion) }], c.var.now);
      graceful.metadata.resourceVersion = String(versions[0]);
      if (strategy.afterChange) background(c, Promise.resolve(strategy.afterChange(c, { type: "updated", object: graceful, old: object }, options)));
    }
    return { body: strategy.encode(graceful, target.groupVersion) };
  }
  if (!dryRun) {
    await commit(
      c.var.db,
      [
        { op: "delete", ref: refOf(object), uid: object.metadata.uid, expectedVersion: Number(object.metadata.resourceVersion) },
        ...((await strategy.deleteWrites?.(object, c)) ?? []),
      ],
      c.var.now,
    );
    if (strategy.afterChange) background(c, Promise.resolve(strategy.afterChange(c, { type: "deleted", object }, options)));
  }
  // Pods answer with the object; other kinds with a Success Status naming the uid (kubectl waits on it).
  if (target.info.kind === "Pod") return { body: strategy.encode(object, target.groupVersion) };
  return { body: successStatus({ name, group: target.info.group, kind: target.info.plural, uid: object.metadata.uid }) };
}

/**
 * The garbage collection policy when the request names none: apps/v1 cascades in the background;
 * the older DaemonSet versions orphan, as their apiservers did (k8s-daemonset.md §4).
 */
function defaultPropagation(target: Target, options: DeleteOptions): DeleteOptions {
  if (options.propagationPolicy || target.info.kind !== "DaemonSet") return options;
  return { ...options, propagationPolicy: target.groupVersion === "apps/v1" ? "Background" : "Orphan" };
}

export async function handleDelete(c: AppContext, target: Target): Promise<Response> {
  if (!target.name || target.subresource) throw ApiError.methodNotAllowed();
  const strategy = strategyFor(target.info);
  const options = defaultPropagation(target, await deleteOptionsOf(c));
  for (let attempt = 1; ; attempt++) {
    const object = await loadOr404(c, target);
    try {
      const { body } = await deleteLoaded(c, target, strategy, object, options);
      return sendJson(c, body);
    } catch (error) {
      if (!(error instanceof PreconditionFailed)) throw error;
      if (attempt >= 5) throw ApiError.conflict(target.info, target.name);
    }
  }
}

export async function handleDeleteCollection(c: AppContext, target: Target): Promise<Response> {
  const strategy = strategyFor(target.info);
  const options = defaultPropagation(target, await deleteOptionsOf(c));
  const filters = parseFilters(c);
  checkFieldLabels(strategy, filters.fields, undefined);
  const { items, resourceVersion } = await listMatching(c, target, filters);
  const deleted: unknown[] = [];
  for (const object of items) {
    try {
      deleted.push((await deleteLoaded(c, target, strategy, object, options)).body);
    } catch (error) {
      // Changed or gone since the list: the apiserver skips it too.
      if (!(error instanceof PreconditionFailed)) throw error;
    }
  }
  return sendJson(c, {
    kind: `${target.info.kind}List`,
    apiVersion: target.groupVersion,
    metadata: { resourceVersion },
    items: items.map((item) => strategy.encode(item, target.groupVersion)),
  });
}
