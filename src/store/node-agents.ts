/**
 * @module
 * The per-device rows beside each Node object (`node_agents`) and bootstrap tokens. The sync hot
 * path reads none of them when nothing changed (the node shards answer it, src/controller/node-shard.ts);
 * a sync the shard cannot answer reads one `node_agents` row, by credential id.
 * `leaseRenewedAt` here is the time of the last write-through or enrolment: the live lease is the shard's.
 */
import type { ReportSequence } from "../protocol/agent.ts";
import { and, asc, eq, gt, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { KubeObject, Node, Pod } from "../resources/types.ts";
import { withRetry, type Db } from "./db.ts";
import { rowToObject } from "./rows.ts";
import { openFromStorage } from "./secrets.ts";
import { bootstrapTokens, configRefs, nodeAgents, objects } from "./schema.ts";

export type NodeAgentRow = typeof nodeAgents.$inferSelect;

/**
 * The `returning` of every statement that changes an agent row behind its node's sync: the
 * commit collects these names and tells the node shards (writes.ts). A sync's own lease renewal
 * does not return it: the sync updates its shard itself.
 */
export const agentChanged = { agentName: nodeAgents.name };

/** The node names `agentChanged` statements returned in a batch's results. */
export function changedAgentsOf(results: readonly unknown[]): string[] {
  const names = new Set<string>();
  for (const result of results) {
    if (!Array.isArray(result)) continue;
    for (const row of result) if (row && typeof row === "object" && typeof (row as { agentName?: unknown }).agentName === "string") names.add((row as { agentName: string }).agentName);
  }
  return [...names];
}
export type BootstrapTokenRow = typeof bootstrapTokens.$inferSelect;

export const findNodeAgentByCredential = (db: Db, credentialId: string): Promise<NodeAgentRow | undefined> =>
  withRetry(() => db.select().from(nodeAgents).where(eq(nodeAgents.credentialId, credentialId)).get());

export const findNodeAgent = (db: Db, name: string): Promise<NodeAgentRow | undefined> =>
  withRetry(() => db.select().from(nodeAgents).where(eq(nodeAgents.name, name)).get());

export const findBootstrapToken = (db: Db, id: string): Promise<BootstrapTokenRow | undefined> =>
  withRetry(() => db.select().from(bootstrapTokens).where(eq(bootstrapTokens.id, id)).get());

export const listBootstrapTokens = (db: Db): Promise<BootstrapTokenRow[]> => withRetry(() => db.select().from(bootstrapTokens).all());

/** Statement: use one enrolment of a token that is still valid at `now` (guard it: changes() = 0 means spent). */
export const spendBootstrapToken = (db: Db, id: string, now: number) =>
  db
    .update(bootstrapTokens)
    .set({ usagesLeft: sql`CASE WHEN ${bootstrapTokens.usagesLeft} IS NULL THEN NULL ELSE ${bootstrapTokens.usagesLeft} - 1 END` })
    .where(
      and(
        eq(bootstrapTokens.id, id),
        or(isNull(bootstrapTokens.expiresAt), gt(bootstrapTokens.expiresAt, now)),
        or(isNull(bootstrapTokens.usagesLeft), gt(bootstrapTokens.usagesLeft, 0)),
      ),
    );

export const insertBootstrapToken = (db: Db, row: BootstrapTokenRow) => db.insert(bootstrapTokens).values(row);

export const deleteBootstrapToken = (db: Db, id: string) => db.delete(bootstrapTokens).where(eq(bootstrapTokens.id, id));

/**
 * Statement: create the agent row, or re-key it (keeping its pods and lease history). It does not
 * return `agentChanged`: enrolment tells the node's shard itself (`NodeShard.enrolled`, which
 * supersedes an invalidation).
 */
export const upsertNodeAgent = (db: Db, row: NodeAgentRow) =>
  db
    .insert(nodeAgents)
    .values(row)
    .onConflictDoUpdate({
      target: nodeAgents.name,
      set: {
        credentialId: row.credentialId,
        credentialHash: row.credentialHash,
        leaseRenewedAt: row.leaseRenewedAt,
        ready: row.ready,
        statusDigest: "",
        reportBoot: "",
        reportSequence: 0,
        podsVersion: sql`${nodeAgents.podsVersion} + 1`,
        enrolledAt: row.enrolledAt,
      },
    });

/**
 * Statement: renew the lease and remember what was written through — only if the row is still as
 * the sync read it (`seen`). Guard it: if the node lifecycle marked the node Unknown meanwhile, or
 * an operator changed one of its mirror pods (both forget the last report), the sync's batch aborts
 * and the next sync writes everything through against the fresh state.
 */
export const renewLease = (db: Db, name: string, values: { now: number; statusDigest: string; sequence?: ReportSequence }, seen: Pick<NodeAgentRow, "ready" | "statusDigest">) =>
  db
    .update(nodeAgents)
    .set({ leaseRenewedAt: values.now, ready: "True", statusDigest: values.statusDigest, ...(values.sequence ? { reportBoot: values.sequence.boot, reportSequence: values.sequence.n } : {}) })
    .where(
      and(
        eq(nodeAgents.name, name),
        eq(nodeAgents.ready, seen.ready),
        eq(nodeAgents.statusDigest, seen.statusDigest),
        // A newer report of the same agent process won meanwhile: this one is not written.
        values.sequence ? sql`NOT (${nodeAgents.reportBoot} = ${values.sequence.boot} AND ${nodeAgents.reportSequence} >= ${values.sequence.n})` : undefined,
      ),
    );

/** Whether `sequence` is no newer than the last report written through for the node (a late or repeated delivery). */
export const isStaleReport = (agent: Pick<NodeAgentRow, "reportBoot" | "reportSequence">, sequence: ReportSequence | undefined): boolean =>
  !!sequence && agent.reportBoot === sequence.boot && sequence.n <= agent.reportSequence;

/**
 * Statement: the node went silent; the next sync must write through whatever it reports. Changes
 * nothing if a sync renewed the lease meanwhile (guard it: that sync wins).
 */
export const markNodeAgentUnknown = (db: Db, name: string, leaseBefore: number) =>
  db
    .update(nodeAgents)
    .set({ ready: "Unknown", statusDigest: "" })
    .where(and(eq(nodeAgents.name, name), eq(nodeAgents.ready, "True"), lt(nodeAgents.leaseRenewedAt, leaseBefore)))
    .returning(agentChanged);

export const deleteNodeAgent = (db: Db, name: string) => db.delete(nodeAgents).where(eq(nodeAgents.name, name)).returning(agentChanged);

/** Ready nodes' names and D1 leases, by name after `after`: the node shards are seeded from them once. */
export const listReadyLeases = (db: Db, after: string, limit: number): Promise<{ name: string; leaseRenewedAt: number }[]> =>
  withRetry(() =>
    db
      .select({ name: nodeAgents.name, leaseRenewedAt: nodeAgents.leaseRenewedAt })
      .from(nodeAgents)
      .where(and(eq(nodeAgents.ready, "True"), gt(nodeAgents.name, after)))
      .orderBy(asc(nodeAgents.name))
      .limit(limit)
      .all(),
  );

/**
 * The node's assignments, the ConfigMaps and Secrets they reference, and their version, read in
 * one transaction (the ETag matches what is returned).
 */
export async function readAssignments(db: Db, nodeName: string): Promise<{ version: number; pods: Pod[]; configs: KubeObject[] } | undefined> {
  const [agent, rows, configs] = await withRetry(() =>
    db.batch([
      db.select({ podsVersion: nodeAgents.podsVersion }).from(nodeAgents).where(eq(nodeAgents.name, nodeName)),
      db
        .select({ body: objects.body, resourceVersion: objects.resourceVersion })
        .from(objects)
        .where(and(eq(objects.kind, "Pod"), eq(objects.nodeName, nodeName)))
        .orderBy(asc(objects.namespace), asc(objects.name)),
      db
        .select({ body: objects.body, resourceVersion: objects.resourceVersion })
        .from(objects)
        .where(
          sql`(${objects.kind}, ${objects.namespace}, ${objects.name}) IN (SELECT DISTINCT ${configRefs.kind}, ${configRefs.namespace}, ${configRefs.name} FROM ${configRefs} WHERE ${configRefs.nodeName} = ${nodeName})`,
        )
        .orderBy(asc(objects.kind), asc(objects.namespace), asc(objects.name)),
    ]),
  );
  if (!agent[0]) return undefined;
  return { version: agent[0].podsVersion, pods: rows.map((row) => rowToObject<Pod>(row)), configs: await openFromStorage(db, configs.map((row) => rowToObject(row)), { skipUnreadable: true }) };
}

/** The Node object and the pods bound to it, in one transaction. */
export async function readNodeWithPods(db: Db, nodeName: string): Promise<{ node?: Node; pods: Pod[] }> {
  const [nodeRows, podRows] = await withRetry(() =>
    db.batch([
      db
        .select({ body: objects.body, resourceVersion: objects.resourceVersion })
        .from(objects)
        .where(and(eq(objects.kind, "Node"), eq(objects.namespace, ""), eq(objects.name, nodeName))),
      db
        .select({ body: objects.body, resourceVersion: objects.resourceVersion })
        .from(objects)
        .where(and(eq(objects.kind, "Pod"), eq(objects.nodeName, nodeName))),
    ]),
  );
  return { node: nodeRows[0] ? rowToObject<Node>(nodeRows[0]) : undefined, pods: podRows.map((row) => rowToObject<Pod>(row)) };
}

/**
 * Which of `names` are existing Namespaces, in one statement: the namespaces a device's static
 * pods name (at most `reportLimits.mirrorPods`, so the statement stays within D1's 100 bound
 * parameters).
 */
export async function existingNamespaces(db: Db, names: readonly string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  if (names.length > 90) throw new Error(`existingNamespaces: ${names.length} names exceed one statement's parameters`);
  const rows = await withRetry(() =>
    db
      .select({ name: objects.name })
      .from(objects)
      // A terminating namespace takes no new content (mirror pods included), as the API refuses it.
      .where(and(eq(objects.kind, "Namespace"), eq(objects.namespace, ""), inArray(objects.name, [...names]), sql`json_extract(${objects.body}, '$.metadata.deletionTimestamp') IS NULL`))
      .all(),
  );
  return new Set(rows.map((row) => row.name));
}
