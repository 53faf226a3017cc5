/**
 * @module
 * Reads of Kubernetes objects. Lists and watches read the resource version counter in the same
 * batch (one D1 transaction), so a list's `resourceVersion` is exactly the state it shows.
 */
import { and, asc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { chunkRows, maxBoundParameters } from "./chunk.ts";
import type { KubeObject } from "../resources/types.ts";
import { withRetry, type Db } from "./db.ts";
import { rowToObject, type ObjectRef } from "./rows.ts";
import { openFromStorage } from "./secrets.ts";
import { counters, objects, tombstones } from "./schema.ts";

export interface ListOptions {
  namespace?: string;
  nodeName?: string;
  ownerUid?: string;
  /** Only rows with no controller (orphans), combined with ownerUid as OR. */
  includeOrphans?: boolean;
  /** Page size; rows after `after` in (namespace, name) order. */
  limit?: number;
  after?: { namespace: string; name: string };
}

export interface ObjectPage<T> {
  items: T[];
  resourceVersion: string;
  /** Present when `limit` cut the list short: the key to continue after. */
  next?: { namespace: string; name: string };
}

const counterValue = (db: Db, name: string) => db.select({ value: counters.value }).from(counters).where(eq(counters.name, name));

export async function getObject<T extends KubeObject>(db: Db, ref: ObjectRef): Promise<T | undefined> {
  const row = await withRetry(() =>
    db
      .select({ body: objects.body, resourceVersion: objects.resourceVersion })
      .from(objects)
      .where(and(eq(objects.kind, ref.kind), eq(objects.namespace, ref.namespace), eq(objects.name, ref.name)))
      .get(),
  );
  return row ? (await openFromStorage(db, [rowToObject<T>(row)]))[0] : undefined;
}

/** The rows of one list query; `owner` narrows it to a controller's objects (a uid) or to orphans (null). */
function listWhere(kind: string, options: ListOptions, owner?: string | null): SQL | undefined {
  const after = options.after
    ? or(
        gt(objects.namespace, options.after.namespace),
        and(eq(objects.namespace, options.after.namespace), gt(objects.name, options.after.name)),
      )
    : undefined;
  return and(
    eq(objects.kind, kind),
    options.namespace !== undefined ? eq(objects.namespace, options.namespace) : undefined,
    options.nodeName !== undefined ? eq(objects.nodeName, options.nodeName) : undefined,
    owner === undefined ? undefined : owner === null ? isNull(objects.ownerUid) : eq(objects.ownerUid, owner),
    after,
  );
}

const byKey = (a: { namespace: string; name: string }, b: { namespace: string; name: string }) =>
  a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

export async function listObjects<T extends KubeObject>(db: Db, kind: string, options: ListOptions = {}): Promise<ObjectPage<T>> {
  const limit = options.limit && options.limit > 0 ? options.limit : undefined;
  const rows = (owner?: string | null) =>
    db
      .select({ body: objects.body, resourceVersion: objects.resourceVersion, namespace: objects.namespace, name: objects.name })
      .from(objects)
      .where(listWhere(kind, options, owner))
      .orderBy(asc(objects.namespace), asc(objects.name))
      .limit(limit ? limit + 1 : -1);
  // A controller's objects and the orphans beside them are two searches of the owner index
  // (SQLite cannot use an index for `owner_uid = ? OR owner_uid IS NULL`), merged in key order.
  type Row = { body: string; resourceVersion: number; namespace: string; name: string };
  const [version, found, orphans] = await withRetry<[{ value: number }[], Row[], Row[]?]>(() =>
    options.ownerUid && options.includeOrphans
      ? db.batch([counterValue(db, "resourceVersion"), rows(options.ownerUid), rows(null)])
      : db.batch([counterValue(db, "resourceVersion"), rows(options.ownerUid || undefined)]),
  );
  const merged = orphans ? [...found, ...orphans].sort(byKey) : found;
  const page = limit ? merged.slice(0, limit) : merged;
  const last = page[page.length - 1];
  return {
    items: await openFromStorage(db, page.map((row) => rowToObject<T>(row))),
    resourceVersion: String(version[0]?.value ?? 0),
    ...(limit && merged.length > limit && last ? { next: { namespace: last.namespace, name: last.name } } : {}),
  };
}

/**
 * Which of `names` exist as cluster-scoped objects of `kind` (e.g. the nodes some pods are bound
 * to): primary key lookups, in one batch of statements within D1's bound parameters.
 */
export async function existingNames(db: Db, kind: string, names: Iterable<string>): Promise<Set<string>> {
  const unique = [...new Set(names)];
  if (unique.length === 0) return new Set();
  const lookups = chunkRows(unique, 1, maxBoundParameters - 2).map((chunk) =>
    db
      .select({ name: objects.name })
      .from(objects)
      .where(and(eq(objects.kind, kind), eq(objects.namespace, ""), inArray(objects.name, chunk))),
  );
  const found = await withRetry(() => db.batch(lookups as [(typeof lookups)[number], ...(typeof lookups)[number][]]));
  return new Set(found.flat().map((row) => row.name));
}

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";

export interface Change<T> {
  type: ChangeType;
  object: T;
  resourceVersion: number;
}

export interface ChangeSet<T> {
  /** The counter when read: a watcher continues from here. */
  resourceVersion: number;
  /** True when `since` is older than the oldest change still kept: the watcher must relist (410). */
  expired: boolean;
  compactedVersion: number;
  changes: Change<T>[];
}

/**
 * Every change to objects of `kind` after `since`, in commit order. Several writes to one object
 * between two reads come back as its latest state (a watch may coalesce; it never reorders).
 */
export async function changesSince<T extends KubeObject>(db: Db, kind: string, since: number, namespace?: string): Promise<ChangeSet<T>> {
  const live = db
    .select({ body: objects.body, resourceVersion: objects.resourceVersion, createdVersion: objects.createdVersion })
    .from(objects)
    .where(and(eq(objects.kind, kind), gt(objects.resourceVersion, since), namespace !== undefined ? eq(objects.namespace, namespace) : undefined))
    .orderBy(asc(objects.resourceVersion));
  const gone = db
    .select({ body: tombstones.body, resourceVersion: tombstones.resourceVersion })
    .from(tombstones)
    .where(and(eq(tombstones.kind, kind), gt(tombstones.resourceVersion, since), namespace !== undefined ? eq(tombstones.namespace, namespace) : undefined))
    .orderBy(asc(tombstones.resourceVersion));
  const [version, compacted, liveRows, goneRows] = await withRetry(() =>
    db.batch([counterValue(db, "resourceVersion"), counterValue(db, "compactedVersion"), live, gone]),
  );
  const compactedVersion = compacted[0]?.value ?? 0;
  const changes: Change<T>[] = [
    ...liveRows.map((row) => ({
      type: (row.createdVersion > since ? "ADDED" : "MODIFIED") as ChangeType,
      object: rowToObject<T>(row),
      resourceVersion: row.resourceVersion,
    })),
    ...goneRows.map((row) => ({ type: "DELETED" as const, object: rowToObject<T>(row), resourceVersion: row.resourceVersion })),
  ].sort((a, b) => a.resourceVersion - b.resourceVersion);
  const opened = await openFromStorage(db, changes.map((c) => c.object));
  changes.forEach((c, i) => (c.object = opened[i]!));
  return { resourceVersion: version[0]?.value ?? 0, compactedVersion, expired: since < compactedVersion, changes };
}

/** The current value of the resource version counter. */
export async function currentResourceVersion(db: Db): Promise<number> {
  const row = await withRetry(() => counterValue(db, "resourceVersion").get());
  return row?.value ?? 0;
}

/** Deletes tombstones older than `before` and expired objects (Events), advancing the compaction mark. */
export async function compact(db: Db, now: number, tombstoneTtlMs: number): Promise<void> {
  const before = now - tombstoneTtlMs;
  await withRetry(() =>
    db.batch([
      db
        .update(counters)
        .set({
          value: sql`max(${counters.value}, coalesce((SELECT max(${tombstones.resourceVersion}) FROM ${tombstones} WHERE ${tombstones.deletedAt} < ${before}), 0))`,
        })
        .where(eq(counters.name, "compactedVersion")),
      // The same comparison as the mark above: every tombstone deleted is one the mark covers.
      db.delete(tombstones).where(lt(tombstones.deletedAt, before)),
      db.delete(objects).where(and(sql`${objects.expiresAt} IS NOT NULL`, gt(sql`${now}`, objects.expiresAt))),
    ]),
  );
}
