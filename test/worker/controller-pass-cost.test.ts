/**
 * The cost rule of the DaemonSet controller, measured: a pass triggered by one node's change (its
 * label removed, a node added) reads and writes what concerns that node, so it runs the same D1
 * statements and returns the same rows with 200 nodes as with 2,000.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { defaultPlannerDeps, newDaemonPod } from "../../src/controller/planner/index.ts";
import { rfc3339 } from "../../src/resources/meta.ts";
import type { ControllerRevision, DaemonSet, Node, Pod } from "../../src/resources/types.ts";
import { openDb } from "../../src/store/db.ts";
import { getObject, listObjects } from "../../src/store/objects.ts";
import { commit, type Write } from "../../src/store/writes.ts";
import { waitFor } from "../support/wait.ts";
import type { PlanningStats } from "../../src/controller/daemonset-controller.ts";
import { daemonSet } from "../support/manifests.ts";
import { call, unique } from "./helpers.ts";

const db = openDb(env.DB);

interface Cost {
  statements: string[];
  rows: number;
}

/** A D1 binding that records every statement the controller runs and the rows they return. */
function costOf(d1: D1Database): { db: D1Database; cost: Cost } {
  const cost: Cost = { statements: [], rows: 0 };
  const sqlOf = new WeakMap<object, string>();
  const rowsIn = (result: unknown) => {
    const rows = (result as { results?: unknown[] })?.results ?? (Array.isArray(result) ? result : []);
    cost.rows += rows.length;
  };
  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const proxy: D1PreparedStatement = new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind") return (...args: unknown[]) => wrap(target.bind(...args), sql);
        if (prop === "all" || prop === "run" || prop === "raw" || prop === "first") {
          return async (...args: unknown[]) => {
            cost.statements.push(sql);
            const result = await (target as any)[prop](...args);
            rowsIn(result);
            return result;
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    sqlOf.set(proxy, sql);
    return proxy;
  };
  const wrapped = new Proxy(d1, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === "batch") {
        return async (stmts: D1PreparedStatement[]) => {
          for (const s of stmts) cost.statements.push(sqlOf.get(s) ?? "<unknown>");
          const results = await target.batch(stmts.map((s) => (s as any)));
          for (const result of results) rowsIn(result);
          return results;
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: wrapped, cost };
}

const controllerOf = (name: string) => env.DAEMONSET_CONTROLLER.getByName(`default/${name}`);
/** The same stub, untyped, for looking inside the object. */
const objectOf = (name: string) => controllerOf(name) as unknown as DurableObjectStub;

/** The controller has nothing running, queued or recorded: its last pass is over. */
async function idle(name: string): Promise<boolean> {
  let settled = false;
  await runInDurableObject(objectOf(name), (instance: unknown): void => {
    const object = instance as { running?: unknown; changes: { empty: boolean }; outbox: { size: number } };
    settled = !object.running && object.changes.empty && object.outbox.size === 0;
  });
  return settled;
}

async function chunked(writes: Write[]): Promise<void> {
  for (let i = 0; i < writes.length; i += 50) await commit(db, writes.slice(i, i + 50), Date.now());
}

/** A DaemonSet running Ready on `size` nodes, its controller settled with a full view. */
async function fleetOf(size: number): Promise<{ name: string; site: string; nodes: string[] }> {
  const site = unique(`cost${size}`);
  const name = unique(`pass${size}`);
  expect((await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name, nodeSelector: { site } }))).status).toBe(201);
  const revision = await waitFor("the first revision", async () => {
    const ds = await getObject<DaemonSet>(db, { kind: "DaemonSet", namespace: "default", name });
    const { items } = await listObjects<ControllerRevision>(db, "ControllerRevision", { namespace: "default", ownerUid: ds?.metadata.uid });
    return ds && items[0] ? { ds, hash: items[0].metadata.labels?.["controller-revision-hash"] ?? "" } : undefined;
  });
  const nodes = Array.from({ length: size }, (_, i) => `${site}-${i}`);
  const now = Date.now();
  await chunked(nodes.map((node) => ({ op: "create", object: { apiVersion: "v1", kind: "Node", metadata: { name: node, uid: crypto.randomUUID(), labels: { site, "kubernetes.io/hostname": node } }, spec: {}, status: {} } as Node })));
  await chunked(
    nodes.map((node) => {
      const pod = newDaemonPod(revision.ds, node, revision.hash, defaultPlannerDeps);
      const ready = { type: "Ready", status: "True", lastTransitionTime: rfc3339(now) };
      return { op: "create", object: { ...pod, metadata: { ...pod.metadata, name: `${name}-${node}`, uid: crypto.randomUUID(), creationTimestamp: rfc3339(now) }, status: { phase: "Running", conditions: [ready] } } as Pod };
    }),
  );
  const summary = await controllerOf(name).reconcileNow({ namespace: "default", name });
  expect(summary?.status).toMatchObject({ desiredNumberScheduled: size, numberReady: size });
  await waitFor("the controller idle", () => idle(name));
  return { name, site, nodes };
}

/** Points the controller's store handle at `d1`. */
async function useD1(name: string, d1: D1Database): Promise<void> {
  const handle: unknown = openDb(d1);
  await runInDurableObject(objectOf(name), (instance: unknown): void => {
    (instance as { db: unknown }).db = handle;
  });
}

type Measured = Cost & { planning: PlanningStats };

/** Runs `change` with the controller's D1 counted, and returns what its passes cost until it is idle again. */
async function passCost(name: string, change: () => Promise<unknown>, done: () => Promise<boolean>): Promise<Measured> {
  const counted = costOf(env.DB);
  const before = await controllerOf(name).planningStats();
  await useD1(name, counted.db);
  try {
    await change();
    await waitFor("the change acted on", done, 60_000);
    await waitFor("the controller idle", () => idle(name), 60_000);
  } finally {
    await useD1(name, env.DB);
  }
  const after = await controllerOf(name).planningStats();
  const planning = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof PlanningStats]])) as unknown as PlanningStats;
  return { ...counted.cost, planning };
}

const podOn = async (name: string, node: string) => (await listObjects<Pod>(db, "Pod", { namespace: "default", nodeName: node })).items.find((p) => p.metadata.ownerReferences?.[0]?.name === name);

/** What is compared: the statements as a sorted list (their order varies with concurrency) and the rows they returned. */
const shape = (cost: Cost) => ({ statements: [...cost.statements].sort(), rows: cost.rows });

describe("the cost of a one-node pass", () => {
  it("is the same at 200 and at 2,000 nodes: a node losing its label, and a node joining", { timeout: 600_000 }, async () => {
    const costs: { removed: Measured; joined: Measured }[] = [];
    // Both fleets first: every pass reads the list of DaemonSets (whom its placed pods concern).
    const fleets = [await fleetOf(200), await fleetOf(2000)];
    for (const { name, site, nodes } of fleets) {
      const target = nodes[7]!;
      const removed = await passCost(
        name,
        () => call("PATCH", `/api/v1/nodes/${target}`, { metadata: { labels: { site: null } } }, { contentType: "application/merge-patch+json" }),
        async () => Boolean((await podOn(name, target))?.metadata.deletionTimestamp),
      );
      const joining = `${site}-new`;
      const joined = await passCost(
        name,
        () => call("POST", "/api/v1/nodes", { apiVersion: "v1", kind: "Node", metadata: { name: joining, labels: { site } } }),
        async () => Boolean(await podOn(name, joining)),
      );
      costs.push({ removed, joined });
    }
    const [small, large] = costs as [{ removed: Measured; joined: Measured }, { removed: Measured; joined: Measured }];
    expect(small.removed.statements.length).toBeGreaterThan(0);
    expect(shape(large.removed)).toEqual(shape(small.removed));
    expect(shape(large.joined)).toEqual(shape(small.joined));
    // The planner too: every pass planned the changed node alone (the first one after the full
    // pass counted the view once), so as many nodes were planned at 2,000 as at 200.
    for (const { removed, joined } of costs) {
      expect(removed.planning).toMatchObject({ fullPasses: 0, countsBuilt: 1 });
      expect(joined.planning).toMatchObject({ fullPasses: 0, countsBuilt: 0 });
      expect(removed.planning.localPasses).toBeGreaterThan(0);
    }
    expect(large.removed.planning).toEqual(small.removed.planning);
    expect(large.joined.planning).toEqual(small.joined.planning);
    // Nothing reads the fleet: far fewer rows than the 200 nodes of the smaller one.
    expect(small.removed.rows).toBeLessThan(50);
    expect(small.joined.rows).toBeLessThan(50);
  });

  it("a burst of pokes (twenty nodes reporting) is one pass, not twenty", { timeout: 300_000 }, async () => {
    const { name, nodes } = await fleetOf(30);
    const counted = costOf(env.DB);
    await useD1(name, counted.db);
    try {
      await runInDurableObject(objectOf(name), async (instance: unknown): Promise<void> => {
        const controller = instance as { poke(ref: { namespace: string; name: string }, changed: { nodes: string[] }): Promise<void> };
        for (const node of nodes.slice(0, 20)) await controller.poke({ namespace: "default", name }, { nodes: [node] });
      });
      await waitFor("a pass", () => counted.cost.statements.length > 0, 60_000);
      await waitFor("the controller idle", () => idle(name), 60_000);
    } finally {
      await useD1(name, env.DB);
    }
    // Each pass reads its DaemonSet once; one poke arriving while the first pass runs makes at most one more.
    const passes = counted.cost.statements.filter((sql) => /from "objects" where \("objects"."kind" = \? and "objects"."namespace" = \? and "objects"."name" = \?\)$/.test(sql)).length;
    expect(passes).toBeGreaterThanOrEqual(1);
    expect(passes).toBeLessThanOrEqual(2);
  });

  it("survives an eviction: the restarted object takes its view from its own storage, not from the fleet", { timeout: 300_000 }, async () => {
    const { name, nodes } = await fleetOf(100);
    await evictDurableObject(objectOf(name));
    const target = nodes[3]!;
    const cost = await passCost(
      name,
      () => call("PATCH", `/api/v1/nodes/${target}`, { metadata: { labels: { site: null } } }, { contentType: "application/merge-patch+json" }),
      async () => Boolean((await podOn(name, target))?.metadata.deletionTimestamp),
    );
    expect(cost.statements.some((sql) => sql.includes(`"node_name" in`))).toBe(true);
    expect(cost.statements.some((sql) => /where "objects"."kind" = \? order by/.test(sql))).toBe(false);
    expect(cost.rows).toBeLessThan(50);
  });
});
