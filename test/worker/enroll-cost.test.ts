/**
 * The cost rules of enrolment (a factory powers on thousands of devices at once): one D1 read
 * round trip (the token and the node, together), one commit, one call to the node's shard, and a
 * poke only for the DaemonSets the new node concerns, no other Durable Object call.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { adminToken, bootstrapToken, call, countingNamespace, daemonSetManifest, unique } from "./helpers.ts";

/** A D1 binding that counts round trips (a batch is one) and the statements in them. */
function roundTrips(db: D1Database) {
  const counts = { roundTrips: 0, statements: 0 };
  const wrapped = new Proxy(db, {
    get(target, prop) {
      if (prop === "batch") {
        return (stmts: D1PreparedStatement[]) => {
          counts.roundTrips++;
          counts.statements += stmts.length;
          return target.batch(stmts);
        };
      }
      if (prop === "prepare") {
        return (sql: string) => {
          const count = (stmt: D1PreparedStatement): D1PreparedStatement =>
            new Proxy(stmt, {
              get(s, p) {
                if (p === "bind") return (...args: unknown[]) => count(s.bind(...args));
                if (p === "first" || p === "all" || p === "run" || p === "raw")
                  return (...args: unknown[]) => {
                    counts.roundTrips++;
                    counts.statements++;
                    return (s as any)[p](...args);
                  };
                const value = Reflect.get(s, p, s);
                return typeof value === "function" ? value.bind(s) : value;
              },
            });
          return count(target.prepare(sql));
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: wrapped, counts };
}

async function countedEnroll(nodeName: string, token: string, labels: Record<string, string> = {}) {
  const d1 = roundTrips(env.DB);
  const controllers = countingNamespace(env.DAEMONSET_CONTROLLER);
  const lifecycle = countingNamespace(env.NODE_LIFECYCLE);
  const shards = countingNamespace(env.NODE_SHARD);
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request("http://edgeset.test/agent/v1/enroll", { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify({ nodeName, labels }) }),
    { ...env, DB: d1.db, DAEMONSET_CONTROLLER: controllers.ns, NODE_LIFECYCLE: lifecycle.ns, NODE_SHARD: shards.ns },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { res, d1: d1.counts, controllerCalls: controllers.calls, lifecycleCalls: lifecycle.calls, shardCalls: shards.calls };
}

describe("enrolment cost", () => {
  it("a new device: its token read, one commit, the audit line, one shard call, no other object", async () => {
    const token = await bootstrapToken();
    const enrolled = await countedEnroll(unique("cost-new"), token);
    expect(enrolled.res.status).toBe(201);
    // The token, the commit, the audit line; after the response, the DaemonSets it may concern.
    expect(enrolled.d1.roundTrips).toBe(4);
    expect(enrolled.shardCalls).toEqual(["enrolled"]);
    expect(enrolled.lifecycleCalls).toEqual([]);
    expect(enrolled.controllerCalls).toEqual([]);
  });

  it("pokes only the DaemonSets whose nodes it joins, once each", async () => {
    const role = unique("role");
    expect((await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSetManifest(unique("cost-ds"), { nodeSelector: { role } }))).status).toBe(201);
    expect((await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSetManifest(unique("cost-other"), { nodeSelector: { role: "elsewhere" } }))).status).toBe(201);
    const enrolled = await countedEnroll(unique("cost-match"), await bootstrapToken(), { role });
    expect(enrolled.res.status).toBe(201);
    expect(enrolled.controllerCalls).toEqual(["poke"]);
    expect(enrolled.shardCalls).toEqual(["enrolled"]);
  });

  it("an existing node is re-keyed: the create is refused, the Node read, the re-key committed", async () => {
    const node = unique("cost-rekey");
    expect((await countedEnroll(node, await bootstrapToken())).res.status).toBe(201);
    const again = await countedEnroll(node, adminToken);
    expect(again.res.status).toBe(200);
    expect(again.shardCalls).toEqual(["enrolled"]);
    expect(again.lifecycleCalls).toEqual([]);
    // A bootstrap token cannot take over the node while it is live.
    expect((await countedEnroll(node, await bootstrapToken())).res.status).toBe(409);
  });
});
