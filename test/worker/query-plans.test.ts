/**
 * Every hot query uses an index: the statements the real code runs on each hot path (recorded
 * through a D1 binding that keeps their SQL and parameters) are run again under
 * `EXPLAIN QUERY PLAN` against the migrated schema. A plan fails when it reads a whole table
 * (`SCAN <table>`), or a whole kind of `objects` (a search on the primary key by `kind=?` alone,
 * which is every Pod or every Node), unless the query is one of the few listed below that lists a
 * small kind on purpose.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDb } from "../../src/store/db.ts";
import { listBoundPods } from "../../src/store/bound-pods.ts";
import { changesSince, listObjects } from "../../src/store/objects.ts";
import { finalizeNamespace } from "../../src/controller/namespace-deletion.ts";
import worker from "../../src/index.ts";
import { daemonSet } from "../support/manifests.ts";
import { adminToken, bootstrapToken, call, enroll, json, unique } from "./helpers.ts";

interface Recorded {
  sql: string;
  params: unknown[];
}

/** A D1 binding that records every statement it runs, with its parameters. */
function recordingD1(db: D1Database): { db: D1Database; statements: Recorded[] } {
  const statements: Recorded[] = [];
  const raw = new WeakMap<object, { stmt: D1PreparedStatement } & Recorded>();
  const wrap = (stmt: D1PreparedStatement, sql: string, params: unknown[]): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind") return (...args: unknown[]) => wrap(target.bind(...args), sql, args);
        if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
          return (...args: unknown[]) => {
            statements.push({ sql, params });
            return (target as any)[prop](...args);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    raw.set(proxy, { stmt, sql, params });
    return proxy;
  };
  const wrapped = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql, []);
      if (prop === "batch") {
        return (stmts: D1PreparedStatement[]) =>
          target.batch(
            stmts.map((s) => {
              const entry = raw.get(s);
              if (entry) statements.push({ sql: entry.sql, params: entry.params });
              return entry?.stmt ?? s;
            }),
          );
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: wrapped, statements };
}

/**
 * Kinds that some hot path lists whole on purpose, each with its reason: anything else that reads
 * a whole kind or table fails.
 */
const wholeKindAllowed: Record<string, string> = {
  // wake.ts and the node lifecycle: which DaemonSets a change concerns. A fleet has few DaemonSets.
  DaemonSet: "few per fleet",
  // Placement's namespace selectors and the namespace finalizer's sweep.
  Namespace: "few per fleet",
};

// Set to true to print every plan while working on a query.
const showPlans = false;

interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

async function planOf(statement: Recorded): Promise<PlanRow[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
    .bind(...statement.params)
    .all<PlanRow>();
  return results;
}

/**
 * The plan lines that read a whole table or a whole kind, or a whole namespace of a kind when the
 * query names a node or an owner (their index was there and not used).
 */
function fullScans(plan: readonly PlanRow[], sql = ""): string[] {
  const narrower = /"?(owner_uid|node_name)"? (=|is null)/i.test(sql);
  return plan
    .map((row) => row.detail)
    .filter(
      (detail) =>
        /^SCAN (?!CONSTANT ROW)\S+/.test(detail) ||
        /^SEARCH objects USING (COVERING )?INDEX \S+ \(kind=\?\)$/.test(detail) ||
        (narrower && /^SEARCH objects USING (COVERING )?INDEX \S+ \(kind=\? AND namespace=\?\)$/.test(detail)),
    );
}

/** Runs `flow` with a recording binding and returns every distinct statement it ran that reads a whole table or kind. */
async function scansIn(flow: (d1: D1Database) => Promise<void>): Promise<{ statements: number; scans: { sql: string; scans: string[] }[] }> {
  const recording = recordingD1(env.DB);
  await flow(recording.db);
  const distinct = new Map<string, Recorded>();
  for (const s of recording.statements) if (!distinct.has(s.sql)) distinct.set(s.sql, s);
  const scans: { sql: string; scans: string[] }[] = [];
  for (const statement of distinct.values()) {
    const plan = await planOf(statement);
    if (showPlans) console.log(statement.sql, "\n   ", plan.map((r) => r.detail).join("\n    "));
    const found = fullScans(plan, statement.sql);
    const kindOnly = found.every((line) => line.includes("(kind=?)"));
    const kind = /^select .* from "objects" where "objects"\."kind" = \? order by/i.test(statement.sql) ? String(statement.params[0]) : "";
    if (found.length && !(kindOnly && kind in wholeKindAllowed)) scans.push({ sql: statement.sql, scans: found });
  }
  return { statements: distinct.size, scans };
}

describe("hot queries use their indexes (EXPLAIN QUERY PLAN)", () => {
  it("the plan check itself catches a full scan and a whole-kind search", async () => {
    expect(fullScans(await planOf({ sql: `SELECT body FROM objects WHERE instr(body, 'x') > 0`, params: [] }))).toEqual([expect.stringMatching(/^SCAN objects/)]);
    expect(fullScans(await planOf({ sql: `SELECT body FROM objects WHERE kind = ? AND json_extract(body, '$.a') = 1 ORDER BY namespace, name`, params: ["Pod"] }))).toEqual([expect.stringContaining("(kind=?)")]);
    const byOwner = `SELECT body FROM objects WHERE kind = ? AND namespace = ? AND (owner_uid = ? OR owner_uid IS NULL) ORDER BY namespace, name`;
    expect(fullScans(await planOf({ sql: byOwner, params: ["Pod", "default", "u"] }), byOwner)).toEqual([expect.stringContaining("(kind=? AND namespace=?)")]);
    expect(fullScans(await planOf({ sql: `SELECT body FROM objects WHERE kind = ? AND node_name = ?`, params: ["Pod", "n"] }))).toEqual([]);
  });

  it("enrolment, the shard-miss sync and the assignments download", async () => {
    const node = unique("plan-node");
    const token = await bootstrapToken();
    const result = await scansIn(async (d1) => {
      const res = await appCall(d1, "POST", "/agent/v1/enroll", { nodeName: node, labels: { plan: "yes" } }, token);
      expect(res.status).toBe(201);
      const { credential } = await json(res);
      // No X-Edgeset-Node: the sync is checked against D1 (what a shard that lost its entry does too).
      const first = await appCall(d1, "POST", "/agent/v1/sync", { node: {}, pods: [] }, credential);
      expect(first.status).toBe(200);
      const again = await appCall(d1, "POST", "/agent/v1/sync", { node: {}, pods: [] }, credential);
      expect([200, 304]).toContain(again.status);
    });
    expect(result.statements).toBeGreaterThan(3);
    expect(result.scans).toEqual([]);
  });

  it("node lookup, pods by node (describe node), the node's Lease", async () => {
    const node = unique("plan-desc");
    await enroll(node);
    const result = await scansIn(async (d1) => {
      expect((await appCall(d1, "GET", `/api/v1/nodes/${node}`)).status).toBe(200);
      expect((await appCall(d1, "GET", `/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`)).status).toBe(200);
      expect((await appCall(d1, "GET", `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}`)).status).toBe(200);
    });
    expect(result.scans).toEqual([]);
  });

  it("a DaemonSet's pods and revisions by owner, placement's bound pods, watch polling", async () => {
    const ns = unique("plan-ns");
    expect((await call("POST", "/api/v1/namespaces", { metadata: { name: ns } })).status).toBe(201);
    const created = await json(await call("POST", `/apis/apps/v1/namespaces/${ns}/daemonsets`, daemonSet({ name: "owned" })));
    const result = await scansIn(async (d1) => {
      const db = openDb(d1);
      await listObjects(db, "Pod", { namespace: ns, ownerUid: created.metadata.uid, includeOrphans: true });
      await listObjects(db, "ControllerRevision", { namespace: ns, ownerUid: created.metadata.uid, includeOrphans: true });
      await listObjects(db, "Pod", { namespace: ns, ownerUid: created.metadata.uid });
      await listBoundPods(db, { requiredAntiAffinityOnly: true });
      await changesSince(db, "Pod", 1);
      await changesSince(db, "Pod", 1, ns);
    });
    expect(result.scans).toEqual([]);
  });

  it("namespace deletion", async () => {
    const ns = unique("plan-del");
    const node = unique("plan-del-node");
    await enroll(node);
    expect((await call("POST", "/api/v1/namespaces", { metadata: { name: ns } })).status).toBe(201);
    expect((await call("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: "conf" }, data: { a: "1" } })).status).toBe(201);
    const pod = { metadata: { name: "bound" }, spec: { nodeName: node, containers: [{ name: "c", image: "busybox" }] } };
    expect((await call("POST", `/api/v1/namespaces/${ns}/pods`, pod)).status).toBe(201);
    // Marks it; the finalizer's steps are then run with the recording binding.
    expect((await call("DELETE", `/api/v1/namespaces/${ns}`)).status).toBeLessThan(300);
    const result = await scansIn(async (d1) => {
      await finalizeNamespace(env, openDb(d1), ns, Date.now());
    });
    expect(result.statements).toBeGreaterThan(2);
    expect(result.scans).toEqual([]);
  });
});

/** One request through the real app with `d1` as its D1 (the request's own queries; Durable Objects use their own binding). */
async function appCall(d1: D1Database, method: string, path: string, body?: unknown, token = adminToken): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://edgeset.test${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), { ...env, DB: d1 }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
