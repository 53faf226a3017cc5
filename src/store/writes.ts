/**
 * @module
 * Atomic writes of Kubernetes objects. A list of writes becomes one D1 batch (one transaction):
 * each write bumps the resource version counter and uses the new value, so versions follow commit
 * order; a write whose precondition fails (object missing, resource version moved on) aborts the
 * whole batch through the write guard.
 *
 * Pod writes also bump the bound node's `pods_version`, which is the ETag the device sync compares:
 * nobody has to remember to do it. Status writes (`setStatus`: the agent's own reports, the node
 * lifecycle marking pods not ready) and mirror pods (the device's own static pods) do not.
 * Every statement that changes a node's agent row behind its sync returns the node's name
 * (`agentChanged`), and the commit hands those names to the handle's `agentsChanged` hook, which
 * invalidates them in their node shards.
 *
 * @example
 * await commit(db, [{ op: "create", object: pod }], now);
 */
import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { KubeObject } from "../resources/types.ts";
import { optionsOf, type Db } from "./db.ts";
import { indexColumns, refOf, serializeBody, type ObjectRef } from "./rows.ts";
import { podConfigReferences, type ConfigReference } from "../resources/config-refs.ts";
import type { Pod } from "../resources/types.ts";
import { chunkRows } from "./chunk.ts";
import { sealForStorage } from "./secrets.ts";
import { configRefs, counters, nodeAgents, objects, tombstones } from "./schema.ts";
import { agentChanged, changedAgentsOf } from "./node-agents.ts";

export type Write =
  /** Insert a new object (its uid must be set). Fails with `AlreadyExists` when the name is taken. */
  | { op: "create"; object: KubeObject; expiresAt?: number; fromDevice?: boolean }
  /** Replace the whole object, matched by name and uid; optionally only at `expectedVersion`. */
  | { op: "replace"; object: KubeObject; expectedVersion?: number; fromDevice?: boolean }
  /** Replace `status` only, leaving everything else as stored (safe against concurrent spec writes). */
  | { op: "setStatus"; ref: ObjectRef; status: unknown; uid?: string; expectedVersion?: number; mustExist?: boolean }
  /**
   * Set values at JSON paths inside the stored object (`["metadata", "labels", "kubernetes.io/os"]`),
   * and remove the `remove` paths, leaving the rest as stored (a concurrent change to another key
   * survives). Never used for fields the filter columns derive from, but ownerReferences.
   */
  | {
      op: "setFields";
      ref: ObjectRef;
      fields: [path: string[], value: unknown][];
      remove?: string[][];
      uid?: string;
      expectedVersion?: number;
      mustExist?: boolean;
      /** A pod's config references after the write, when it changes them (the upcoming-revision annotation). */
      configRefs?: { nodeName: string; refs: ConfigReference[] };
    }
  /** Delete the row and keep a tombstone for watchers. */
  | { op: "delete"; ref: ObjectRef; uid?: string; expectedVersion?: number; mustExist?: boolean; fromDevice?: boolean }
  /** A statement that belongs in the same transaction (node agent rows, tokens); `mustChange` guards it. */
  | { op: "statement"; statement: BatchItem<"sqlite">; mustChange?: boolean };

export class PreconditionFailed extends Error {
  constructor() {
    super("precondition failed");
  }
}

export class NameTaken extends Error {
  constructor() {
    super("name already taken");
  }
}

export interface CommitResult {
  /** The resource version each write got (0 for raw statements). */
  versions: number[];
}

const currentVersion = sql`(SELECT ${counters.value} FROM ${counters} WHERE ${counters.name} = 'resourceVersion')`;

const matches = (ref: ObjectRef, uid?: string, expectedVersion?: number) =>
  and(
    eq(objects.kind, ref.kind),
    eq(objects.namespace, ref.namespace),
    eq(objects.name, ref.name),
    uid ? eq(objects.uid, uid) : undefined,
    expectedVersion !== undefined ? eq(objects.resourceVersion, expectedVersion) : undefined,
  );

const mirrorAnnotation = `$.metadata.annotations."kubernetes.io/config.mirror"`;
const isMirror = (object: KubeObject) => object.kind === "Pod" && "kubernetes.io/config.mirror" in (object.metadata.annotations ?? {});
const storedPod = (ref: ObjectRef, mirror: boolean) =>
  sql`(SELECT ${objects.nodeName} FROM ${objects} WHERE ${matches(ref)} AND json_extract(${objects.body}, ${mirrorAnnotation}) IS ${sql.raw(mirror ? "NOT NULL" : "NULL")})`;

/** Bumps the assignments version of a node: the ETag its agent compares on every sync. */
const bumpPodsVersionOf = (db: Db, nodeName: string) =>
  db.update(nodeAgents).set({ podsVersion: sql`${nodeAgents.podsVersion} + 1` }).where(eq(nodeAgents.name, nodeName)).returning(agentChanged);

/** Bumps the assignments version of the node the stored (non-mirror) pod is bound to. */
const bumpPodsVersionOfStored = (db: Db, ref: ObjectRef) =>
  db
    .update(nodeAgents)
    .set({ podsVersion: sql`${nodeAgents.podsVersion} + 1` })
    .where(eq(nodeAgents.name, storedPod(ref, false)))
    .returning(agentChanged);

/**
 * Mirror pods are never assignments, so they bump no version. When someone other than the device
 * changes one (an operator deletes it), the node's last report is forgotten, so its next sync is
 * written through even if the device reports the same as before, and the mirror comes back.
 */
const forgetReportOf = (db: Db, nodeName: string) => db.update(nodeAgents).set({ statusDigest: "" }).where(eq(nodeAgents.name, nodeName)).returning(agentChanged);
const forgetReportOfStoredMirror = (db: Db, ref: ObjectRef) =>
  db.update(nodeAgents).set({ statusDigest: "" }).where(eq(nodeAgents.name, storedPod(ref, true))).returning(agentChanged);

/** The side effects of a pod write on its node's agent row, before (`stored`) and after it. */
function podSideEffects(db: Db, write: { fromDevice?: boolean }, stored: ObjectRef | undefined, object: KubeObject | undefined): BatchItem<"sqlite">[] {
  const items: BatchItem<"sqlite">[] = [];
  if (stored) {
    items.push(bumpPodsVersionOfStored(db, stored));
    if (!write.fromDevice) items.push(forgetReportOfStoredMirror(db, stored));
  }
  const nodeName = object?.kind === "Pod" ? indexColumns(object).nodeName : null;
  if (object && nodeName) {
    if (!isMirror(object)) items.push(bumpPodsVersionOf(db, nodeName));
    else if (!write.fromDevice) items.push(forgetReportOf(db, nodeName));
  }
  return items;
}

/** Rewrites the config references of a pod (none unless it is bound to a node); `created`: it has none yet. */
function podConfigRefs(db: Db, pod: Pod, created = false): BatchItem<"sqlite">[] {
  const uid = pod.metadata.uid ?? "";
  const items: BatchItem<"sqlite">[] = created ? [] : [db.delete(configRefs).where(eq(configRefs.podUid, uid))];
  const nodeName = pod.spec?.nodeName;
  // Mirror pods never get configuration delivered (static pods may not reference any: NodeRestriction).
  if (!nodeName || isMirror(pod)) return items;
  return [...items, ...insertConfigRefs(db, uid, nodeName, pod.metadata.namespace ?? "", podConfigReferences(pod))];
}

function insertConfigRefs(db: Db, podUid: string, nodeName: string, namespace: string, refs: readonly ConfigReference[]): BatchItem<"sqlite">[] {
  const rows = refs.map((ref) => ({ podUid, nodeName, namespace, kind: ref.kind, name: ref.name }));
  return chunkRows(rows, 5).map((chunk) => db.insert(configRefs).values(chunk));
}

const forgetConfigRefsOfStored = (db: Db, ref: ObjectRef) =>
  db.delete(configRefs).where(sql`${configRefs.podUid} IN (SELECT ${objects.uid} FROM ${objects} WHERE ${matches(ref)})`);

const isConfig = (kind: string) => kind === "ConfigMap" || kind === "Secret";

/** A ConfigMap or Secret changed: every node with a pod that references it must download it again. */
const bumpPodsVersionOfReferrers = (db: Db, ref: ObjectRef) =>
  db
    .update(nodeAgents)
    .set({ podsVersion: sql`${nodeAgents.podsVersion} + 1` })
    .where(
      sql`${nodeAgents.name} IN (SELECT DISTINCT ${configRefs.nodeName} FROM ${configRefs} WHERE ${configRefs.namespace} = ${ref.namespace} AND ${configRefs.kind} = ${ref.kind} AND ${configRefs.name} = ${ref.name})`,
    )
    .returning(agentChanged);

/** Aborts the batch when the statement just before it changed no row. */
const guard = (db: Db) => db.run(sql`INSERT INTO write_guard (precondition) SELECT NULL WHERE changes() = 0`);

/** A SQLite JSON path with every segment quoted, so keys like `kubernetes.io/os` are safe. */
export const jsonPath = (path: string[]): string => `$${path.map((p) => `."${p.replace(/["\\]/g, "")}"`).join("")}`;


function statementsFor(db: Db, write: Write, now: number): { items: BatchItem<"sqlite">[]; versioned: boolean } {
  if (write.op === "statement") return { items: write.mustChange ? [write.statement, guard(db)] : [write.statement], versioned: false };
  const items: BatchItem<"sqlite">[] = [
    db.update(counters).set({ value: sql`${counters.value} + 1` }).where(eq(counters.name, "resourceVersion")).returning({ value: counters.value }),
  ];
  switch (write.op) {
    case "create": {
      const { object } = write;
      const columns = indexColumns(object);
      items.push(
        db.insert(objects).values({
          kind: object.kind,
          namespace: object.metadata.namespace ?? "",
          name: object.metadata.name ?? "",
          uid: object.metadata.uid ?? "",
          resourceVersion: currentVersion,
          createdVersion: currentVersion,
          ...columns,
          expiresAt: write.expiresAt ?? null,
          body: serializeBody(object),
        }),
      );
      // A new pod's uid is new: it has no config references to forget, only its own to insert.
      if (object.kind === "Pod") items.push(...podSideEffects(db, write, undefined, object), ...podConfigRefs(db, object as Pod, true));
      if (isConfig(object.kind)) items.push(bumpPodsVersionOfReferrers(db, refOf(object)));
      break;
    }
    case "replace": {
      const { object } = write;
      const ref = refOf(object);
      const columns = indexColumns(object);
      if (object.kind === "Pod") items.push(...podSideEffects(db, write, ref, undefined));
      items.push(
        db
          .update(objects)
          .set({ resourceVersion: currentVersion, ...columns, body: serializeBody(object) })
          .where(matches(ref, object.metadata.uid, write.expectedVersion)),
        guard(db),
      );
      if (object.kind === "Pod") items.push(...podConfigRefs(db, object as Pod), ...podSideEffects(db, write, undefined, object));
      if (isConfig(object.kind)) items.push(bumpPodsVersionOfReferrers(db, ref));
      break;
    }
    case "setStatus": {
      items.push(
        db
          .update(objects)
          .set({ resourceVersion: currentVersion, body: sql`json_set(${objects.body}, '$.status', json(${JSON.stringify(write.status ?? {})}))` })
          .where(matches(write.ref, write.uid, write.expectedVersion)),
      );
      if (write.mustExist !== false) items.push(guard(db));
      break;
    }
    case "setFields": {
      let body = sql`${objects.body}`;
      for (const [path, value] of write.fields) body = sql`json_set(${body}, ${jsonPath(path)}, json(${JSON.stringify(value ?? null)}))`;
      for (const path of write.remove ?? []) body = sql`json_remove(${body}, ${jsonPath(path)})`;
      // Keep the filter column in step when the controller reference changes (adopt, release).
      const owners = write.fields.find(([path]) => path.join(".") === "metadata.ownerReferences");
      const ownerColumn = owners
        ? { ownerUid: ((owners[1] as { uid: string; controller?: boolean }[] | null) ?? []).find((ref) => ref.controller)?.uid ?? null }
        : {};
      // Anything but a status report changes what the node's agent must see.
      if (write.ref.kind === "Pod") items.push(...podSideEffects(db, {}, write.ref, undefined));
      if (isConfig(write.ref.kind)) items.push(bumpPodsVersionOfReferrers(db, write.ref));
      items.push(db.update(objects).set({ resourceVersion: currentVersion, body, ...ownerColumn }).where(matches(write.ref, write.uid, write.expectedVersion)));
      if (write.mustExist !== false) items.push(guard(db));
      if (write.configRefs && write.uid) {
        const uid = write.uid;
        items.push(db.delete(configRefs).where(eq(configRefs.podUid, uid)));
        items.push(...insertConfigRefs(db, uid, write.configRefs.nodeName, write.ref.namespace, write.configRefs.refs));
        // A pod gone meanwhile (mustExist false) keeps no references.
        items.push(db.delete(configRefs).where(and(eq(configRefs.podUid, uid), sql`NOT EXISTS (SELECT 1 FROM ${objects} WHERE ${objects.kind} = 'Pod' AND ${objects.uid} = ${uid})`)));
      }
      break;
    }
    case "delete": {
      const where = matches(write.ref, write.uid, write.expectedVersion);
      if (write.ref.kind === "Pod") items.push(...podSideEffects(db, write, write.ref, undefined), forgetConfigRefsOfStored(db, write.ref));
      if (isConfig(write.ref.kind)) items.push(bumpPodsVersionOfReferrers(db, write.ref));
      items.push(
        db.insert(tombstones).select(
          db
            .select({
              resourceVersion: sql<number>`${currentVersion}`.as("resource_version"),
              kind: objects.kind,
              namespace: objects.namespace,
              name: objects.name,
              deletedAt: sql<number>`${now}`.as("deleted_at"),
              body: sql<string>`json_set(${objects.body}, '$.metadata.deletionTimestamp', coalesce(json_extract(${objects.body}, '$.metadata.deletionTimestamp'), ${new Date(now).toISOString().replace(/\.\d+Z$/, "Z")}))`.as("body"),
            })
            .from(objects)
            .where(where),
        ),
        db.delete(objects).where(where),
      );
      if (write.mustExist !== false) items.push(guard(db));
      break;
    }
  }
  return { items, versioned: true };
}

/**
 * The D1 statements `write` becomes in a commit (each one counts as a query against D1's limit per
 * invocation, whether sent alone or in a batch): what a write budget is counted in.
 */
export const statementCount = (db: Db, write: Write, now: number): number => statementsFor(db, write, now).items.length;

const isGuardFailure = (error: unknown) => error instanceof Error && /write_guard/.test(error.message + String((error as { cause?: unknown }).cause ?? ""));
const isNameTaken = (error: unknown) =>
  error instanceof Error && /UNIQUE constraint failed: objects\.(kind|uid)/.test(error.message + String((error as { cause?: unknown }).cause ?? ""));

/**
 * Commits `writes` atomically. Throws `PreconditionFailed` or `NameTaken` (nothing written) so
 * the caller can say NotFound, Conflict or AlreadyExists; other errors propagate.
 * Not retried: a batch whose answer was lost may have committed.
 */
export async function commit(db: Db, writes: readonly Write[], now: number): Promise<CommitResult> {
  if (writes.length === 0) return { versions: [] };
  const sealed = await Promise.all(
    writes.map(async (write) => (write.op === "create" || write.op === "replace" ? { ...write, object: await sealForStorage(db, write.object) } : write)),
  );
  const plan = sealed.map((write) => statementsFor(db, write, now));
  const items = plan.flatMap((p) => p.items);
  let results: unknown[];
  try {
    results = await db.batch(items as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (error) {
    if (isGuardFailure(error)) throw new PreconditionFailed();
    if (isNameTaken(error)) throw new NameTaken();
    throw error;
  }
  // The node shards hold these nodes' hot state: tell them, after the commit (db.ts `agentsChanged`).
  const changed = changedAgentsOf(results);
  if (changed.length) await optionsOf(db).agentsChanged?.(changed);
  const versions: number[] = [];
  let at = 0;
  for (const p of plan) {
    const first = results[at] as { value: number }[] | undefined;
    versions.push(p.versioned ? (first?.[0]?.value ?? 0) : 0);
    at += p.items.length;
  }
  return { versions };
}
