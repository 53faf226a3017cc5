/**
 * @module
 * GET of one object and of collections: label and field selectors, paging with `limit` and
 * `continue`, and Table output for kubectl's human-readable `get`.
 */
import { ApiError } from "../../errors.ts";
import type { AppContext } from "../../context.ts";
import { matchesFields, parseFieldSelector, type FieldRequirement } from "../../../resources/field-selector.ts";
import { matchesLabels, type Selector } from "../../../resources/label-selector.ts";
import { parseLabelSelector } from "../../../resources/label-selector-parse.ts";
import type { KubeObject } from "../../../resources/types.ts";
import { getObject, listObjects, type ListOptions } from "../../../store/objects.ts";
import { strategyFor } from "../kinds/index.ts";
import { checkListVersion, exactVersionGone, parseResourceVersion } from "../list-options.ts";
import { queryInteger, sendJson, wantsTable } from "../request.ts";
import type { KindStrategy } from "../strategy.ts";
import type { Target } from "../target.ts";
import type { Table } from "../table/types.ts";

export async function loadOr404<T extends KubeObject>(c: AppContext, target: Target, name = target.name ?? ""): Promise<T> {
  const object = await getObject<T>(c.var.db, { kind: target.info.kind, namespace: target.namespace ?? "", name });
  if (!object) throw ApiError.notFound(target.info, name);
  return object;
}

/** The PartialObjectMetadata kubectl reads namespace, labels and age from in a Table row. */
const partialMetadata = (object: KubeObject) => ({
  kind: "PartialObjectMetadata",
  apiVersion: "meta.k8s.io/v1",
  metadata: {
    name: object.metadata.name,
    namespace: object.metadata.namespace,
    uid: object.metadata.uid,
    resourceVersion: object.metadata.resourceVersion,
    creationTimestamp: object.metadata.creationTimestamp,
    labels: object.metadata.labels,
    annotations: object.metadata.annotations,
  },
});

/** `includeObject`: what each Table row carries (metav1.IncludeObjectPolicy; Metadata by default). */
export type IncludeObject = "None" | "Metadata" | "Object";

export function includeObjectOf(c: AppContext): IncludeObject {
  const value = c.req.query("includeObject") ?? "";
  if (value === "") return "Metadata";
  if (value === "None" || value === "Metadata" || value === "Object") return value;
  throw ApiError.badRequest(`includeObject must be one of None, Metadata, Object (got ${JSON.stringify(value)})`);
}

/**
 * The Table of `items`; each row carries its object as `include` asks: `--sort-by` sends
 * `includeObject=Object` and sorts on the full objects, `-A` and `--show-labels` read metadata.
 */
export function toTable<T extends KubeObject>(
  strategy: KindStrategy<T>,
  items: readonly T[],
  now: number,
  metadata: Table["metadata"],
  include: IncludeObject = "Metadata",
  groupVersion?: string,
): Table {
  const table = strategy.table(items, now);
  const rowObject = (item: T) => (include === "Object" ? strategy.encode(item, groupVersion ?? item.apiVersion) : partialMetadata(item));
  return {
    ...table,
    metadata,
    rows: table.rows.map((row, i) => (include === "None" ? row : { ...row, object: rowObject(items[i]!) })),
  };
}

export async function handleGet(c: AppContext, target: Target): Promise<Response> {
  const strategy = strategyFor(target.info);
  // GetOptions.resourceVersion: any version is served the latest state, but it must be one.
  parseResourceVersion(c.req.query("resourceVersion") ?? "");
  const object = await loadOr404(c, target);
  if (wantsTable(c) && !target.subresource) {
    return sendJson(c, toTable(strategy, [object], c.var.now, { resourceVersion: object.metadata.resourceVersion }, includeObjectOf(c), target.groupVersion));
  }
  return sendJson(c, strategy.encode(object, target.groupVersion));
}

export interface Filters {
  labels: Selector;
  fields: FieldRequirement[];
}

export function parseFilters(c: AppContext): Filters {
  // A SelectorError is a 400 (translateError).
  return {
    labels: parseLabelSelector(c.req.query("labelSelector") ?? ""),
    fields: parseFieldSelector(c.req.query("fieldSelector") ?? ""),
  };
}

const baseFields = ["metadata.name", "metadata.namespace"];

export function fieldsOf<T extends KubeObject>(strategy: KindStrategy<T>, object: T): Record<string, string> {
  return {
    "metadata.name": object.metadata.name ?? "",
    "metadata.namespace": object.metadata.namespace ?? "",
    ...strategy.selectableFields?.(object),
  };
}

/** Rejects field selectors on fields the kind does not index, as the apiserver does. */
export function checkFieldLabels<T extends KubeObject>(strategy: KindStrategy<T>, fields: FieldRequirement[], sample: T | undefined): void {
  const known = new Set([...baseFields, ...Object.keys(sample ? (strategy.selectableFields?.(sample) ?? {}) : {}), ...(strategyFields.get(strategy.info.kind) ?? [])]);
  for (const f of fields) {
    if (!known.has(f.field)) throw ApiError.badRequest(`field label not supported: ${f.field}`);
  }
}

/** Field labels each kind supports beyond metadata (kept in step with selectableFields). */
const strategyFields = new Map<string, string[]>([
  ["Pod", ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"]],
  ["Node", ["spec.unschedulable"]],
  ["Event", ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"]],
  ["Secret", ["type"]],
  ["Namespace", ["status.phase"]],
]);

export const matchesFilters = <T extends KubeObject>(strategy: KindStrategy<T>, filters: Filters, object: T): boolean =>
  matchesLabels(filters.labels, object.metadata.labels) && matchesFields(filters.fields, fieldsOf(strategy, object));

/** The store options a field selector lets us push down to SQL. */
function pushDown(target: Target, filters: Filters): ListOptions {
  const options: ListOptions = { namespace: target.info.namespaced ? target.namespace : "" };
  for (const f of filters.fields) {
    if (f.operator === "!=") continue;
    if (f.field === "spec.nodeName" && target.info.kind === "Pod" && f.value) options.nodeName = f.value;
    if (f.field === "metadata.namespace" && target.info.namespaced && options.namespace === undefined) options.namespace = f.value;
  }
  return options;
}

interface ContinueToken {
  namespace: string;
  name: string;
}

const encodeContinue = (key: ContinueToken) => btoa(JSON.stringify(key));

function decodeContinue(token: string | undefined): ContinueToken | undefined {
  if (!token) return undefined;
  try {
    const key = JSON.parse(atob(token)) as ContinueToken;
    if (typeof key.namespace === "string" && typeof key.name === "string") return key;
  } catch {
    // fall through
  }
  throw ApiError.badRequest("the provided continue parameter is not valid");
}

/** Lists matching objects, reading pages until `limit` matches are found or the rows run out. */
export async function listMatching<T extends KubeObject>(c: AppContext, target: Target, filters: Filters, limit?: number, after?: ContinueToken) {
  const strategy = strategyFor(target.info) as KindStrategy<T>;
  const options = pushDown(target, filters);
  const items: T[] = [];
  let resourceVersion = "";
  let cursor = after;
  for (;;) {
    const page = await listObjects<T>(c.var.db, target.info.kind, { ...options, limit: limit ? Math.max(limit, 100) : undefined, after: cursor });
    resourceVersion ||= page.resourceVersion;
    for (const item of page.items) {
      if (limit && items.length === limit) return { items, resourceVersion, next: lastKey(items) };
      if (matchesFilters(strategy, filters, item)) items.push(item);
    }
    if (!page.next) return { items, resourceVersion, next: undefined };
    if (limit && items.length === limit) return { items, resourceVersion, next: lastKey(items) };
    cursor = page.next;
  }
}

const lastKey = (items: KubeObject[]): ContinueToken | undefined => {
  const last = items[items.length - 1];
  return last ? { namespace: last.metadata.namespace ?? "", name: last.metadata.name ?? "" } : undefined;
};

export async function handleList(c: AppContext, target: Target): Promise<Response> {
  const strategy = strategyFor(target.info);
  const filters = parseFilters(c);
  checkFieldLabels(strategy, filters.fields, undefined);
  // Kubernetes reads limit <= 0 as "no limit".
  const limitParam = queryInteger(c, "limit") ?? 0;
  const limit = limitParam > 0 ? limitParam : undefined;
  const { options, requested } = checkListVersion(c);
  const { items, resourceVersion, next } = await listMatching(c, target, filters, limit, decodeContinue(options.continue));
  // The store serves the newest state only: good for any version but an exact older (or newer) one.
  if (options.resourceVersionMatch === "Exact" && requested !== Number(resourceVersion)) throw exactVersionGone(options.resourceVersion ?? "", resourceVersion);
  const listMeta = { resourceVersion, ...(next ? { continue: encodeContinue(next) } : {}) };
  if (wantsTable(c)) return sendJson(c, toTable(strategy, items, c.var.now, listMeta, includeObjectOf(c), target.groupVersion));
  return sendJson(c, {
    kind: `${target.info.kind}List`,
    apiVersion: target.groupVersion,
    metadata: listMeta,
    items: items.map((item) => strategy.encode(item, target.groupVersion)),
  });
}
