/**
 * D1 failing transiently in the middle of a multi-row change: the Worker's fetch handler runs with
 * `env.DB` wrapped so that its next write fails part-way. A batch really runs up to the chosen
 * statement (after the first, the middle or the last one) and then hits a statement that fails, so
 * D1 itself rolls the transaction back; the caller sees "Network connection lost", as on a real
 * transient failure. Each change must be all-or-nothing, answered with a 5xx `Status` that leaks
 * nothing, and the same request retried must then succeed.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { daemonSet } from "../support/manifests.ts";
import { adminToken, bootstrapToken, call, enroll, json, sync, unique } from "./helpers.ts";

type Where = "first" | "middle" | "last";

interface Fault {
  db: D1Database;
  /** Statements of each write batch seen, and whether the injected failure hit it. */
  batches: { size: number; failed: boolean }[];
}

const isWrite = (sql: string) => !/^\s*(select|with)\b/i.test(sql) || /\b(insert|update|delete)\b/i.test(sql);

/**
 * `db` whose first write fails: a write batch runs its statements up to `where` and then one that
 * cannot run (D1 aborts and rolls back the whole batch); a single write statement fails before it
 * runs. Reads and later writes pass through.
 */
function failFirstWrite(db: D1Database, where: Where): Fault {
  const fault: Fault = { db, batches: [] };
  const sqlOf = new WeakMap<object, { raw: D1PreparedStatement; sql: string }>();
  let armed = true;
  const transient = () => new Error("D1_ERROR: Network connection lost.");
  const wrap = (raw: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const proxy = new Proxy(raw, {
      get(target, prop) {
        if (prop === "bind") return (...args: unknown[]) => wrap(target.bind(...args), sql);
        const value = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (armed && isWrite(sql) && ["run", "all", "raw", "first"].includes(String(prop))) {
            armed = false;
            return Promise.reject(transient());
          }
          return Reflect.apply(value, target, args);
        };
      },
    });
    sqlOf.set(proxy, { raw, sql });
    return proxy;
  };
  fault.db = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          const entries = statements.map((s) => sqlOf.get(s) ?? { raw: s, sql: "" });
          const raws = entries.map((e) => e.raw);
          if (!armed || !entries.some((e) => isWrite(e.sql))) return target.batch(raws);
          armed = false;
          const at = where === "first" ? 1 : where === "middle" ? Math.floor(raws.length / 2) : raws.length;
          const poison = target.prepare("INSERT INTO edgeset_injected_fault (x) VALUES (1)");
          fault.batches.push({ size: raws.length, failed: true });
          try {
            await target.batch([...raws.slice(0, at), poison, ...raws.slice(at)]);
          } catch {
            throw transient();
          }
          throw new Error("the injected fault did not abort the batch");
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return fault;
}

/** One request through the real fetch handler, with a D1 whose first write fails at `where`. */
async function callFaulty(where: Where, method: string, path: string, body?: unknown, token: string = adminToken) {
  const fault = failFirstWrite(env.DB, where);
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`http://edgeset.test${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { ...env, DB: fault.db },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { res, fault };
}

/** A 5xx with a Status that names no SQL, table or stack. */
async function expectFailedCleanly(res: Response, fault: Fault) {
  expect(res.status).toBeGreaterThanOrEqual(500);
  const status = await json(res);
  expect(status).toMatchObject({ kind: "Status", status: "Failure", code: res.status });
  expect(JSON.stringify(status)).not.toMatch(/D1_ERROR|SQL|edgeset_injected_fault|\bat \w+ \(/);
  expect(fault.batches.some((b) => b.failed && b.size > 1)).toBe(true);
}

const wheres: Where[] = ["first", "middle", "last"];

describe.each(wheres)("D1 failing mid-change (after the %s statement of the batch)", (where) => {
  it("enrolment: no Node, no Event, the token not spent; the same enrolment retried succeeds", async () => {
    const nodeName = unique(`enroll-${where}`);
    const token = await bootstrapToken({ ttlSeconds: 600, usages: 1 });
    const request = { nodeName, labels: { site: "x" } };
    const { res, fault } = await callFaulty(where, "POST", "/agent/v1/enroll", request, token);
    await expectFailedCleanly(res, fault);
    expect((await call("GET", `/api/v1/nodes/${nodeName}`)).status).toBe(404);
    expect((await json(await call("GET", `/api/v1/events?fieldSelector=involvedObject.name%3D${nodeName}`))).items).toEqual([]);

    const retried = await call("POST", "/agent/v1/enroll", request, { token });
    expect(retried.status).toBe(201);
    const { credential } = await json(retried);
    expect((await sync(credential)).status).toBe(200);
    expect((await json(await call("GET", `/api/v1/nodes/${nodeName}`))).metadata.labels.site).toBe("x");
  });

  it("a device's report: neither node nor pod status written, the lease not recorded; the same sync retried is written through", async () => {
    const site = unique("site");
    const nodeName = unique(`report-${where}`);
    const credential = await enroll(nodeName, { site });
    const ds = unique("reported");
    await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name: ds, nodeSelector: { site } }));
    await env.DAEMONSET_CONTROLLER.getByName(`default/${ds}`).reconcileNow({ namespace: "default", name: ds });
    const assigned = await json(await sync(credential));
    const pod = assigned.pods[0];
    const podPath = `/api/v1/namespaces/default/pods/${pod.metadata.name}`;
    const before = { pod: await json(await call("GET", podPath)), node: await json(await call("GET", `/api/v1/nodes/${nodeName}`)) };
    const report = {
      node: { labels: { "kubernetes.io/hostname": nodeName }, capacity: { cpu: "4", memory: "1024Ki", pods: "110" } },
      pods: [{ namespace: "default", name: pod.metadata.name, uid: pod.metadata.uid, status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } }],
    };

    const { res, fault } = await callFaulty(where, "POST", "/agent/v1/sync", report, credential);
    await expectFailedCleanly(res, fault);
    expect((await json(await call("GET", podPath))).metadata.resourceVersion).toBe(before.pod.metadata.resourceVersion);
    expect((await json(await call("GET", `/api/v1/nodes/${nodeName}`))).metadata.resourceVersion).toBe(before.node.metadata.resourceVersion);

    // Had the digest been recorded without the report, this retry would be skipped as "unchanged".
    expect((await sync(credential, report, assigned.version)).status).toBe(304);
    const written = await json(await call("GET", podPath));
    expect(written.status.phase).toBe("Running");
    expect(written.status.conditions.find((c: any) => c.type === "Ready").status).toBe("True");
    expect((await json(await call("GET", `/api/v1/nodes/${nodeName}`))).status.capacity.cpu).toBe("4");
  });

  it("deleting a namespace: it and everything in it stay; the delete retried removes them all", async () => {
    const namespace = unique(`ns-${where}`);
    expect((await call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } })).status).toBe(201);
    const names = ["a", "b", "c"];
    for (const name of names) {
      const created = await call("POST", `/api/v1/namespaces/${namespace}/configmaps`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { k: name } });
      expect(created.status).toBe(201);
    }
    expect((await call("POST", `/api/v1/namespaces/${namespace}/secrets`, { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: { k: "v" } })).status).toBe(201);
    const configMaps = async () => (await json(await call("GET", `/api/v1/namespaces/${namespace}/configmaps`))).items.map((o: any) => o.metadata.name).sort();

    const { res, fault } = await callFaulty(where, "DELETE", `/api/v1/namespaces/${namespace}`);
    await expectFailedCleanly(res, fault);
    const ns = await call("GET", `/api/v1/namespaces/${namespace}`);
    expect(ns.status).toBe(200);
    expect((await json(ns)).metadata.deletionTimestamp).toBeUndefined();
    expect(await configMaps()).toEqual(names);
    expect((await call("GET", `/api/v1/namespaces/${namespace}/secrets/s`)).status).toBe(200);

    const retried = await call("DELETE", `/api/v1/namespaces/${namespace}`);
    expect(retried.status).toBeLessThan(300);
    // Terminating, then emptied and removed (in the background, and by the node lifecycle alarm).
    for (let i = 0; i < 20 && (await call("GET", `/api/v1/namespaces/${namespace}`)).status !== 404; i++) await env.NODE_LIFECYCLE.getByName("node-lifecycle").sweep();
    expect((await call("GET", `/api/v1/namespaces/${namespace}`)).status).toBe(404);
    expect(await configMaps()).toEqual([]);
    expect((await call("GET", `/api/v1/namespaces/${namespace}/secrets/s`)).status).toBe(404);
  });
});
