/**
 * Rate limits (the in-memory limiter, as Worker tests run it; wrangler.toml's per-minute vars):
 * past its budget a device's sync, an enrolment key or an API token gets 429 with Retry-After and
 * a TooManyRequests Status, reads nothing from D1 for it, and nobody else is slowed down.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { call, countingD1, enroll, json, sync, unique } from "./helpers.ts";

const limits = {
  api: Number(env.API_RATE_LIMIT_PER_MINUTE),
  sync: Number(env.SYNC_RATE_LIMIT_PER_MINUTE),
  enroll: Number(env.ENROLL_RATE_LIMIT_PER_MINUTE),
  enrollNode: Number(env.ENROLL_NODE_RATE_LIMIT_PER_MINUTE),
};

/**
 * Sends `request()` until it is refused; returns the refusal, and checks how many went through:
 * the per-minute budget, plus what the bucket refilled meanwhile.
 */
async function exhaust(request: () => Promise<Response>, perMinute: number, parallel = 1): Promise<Response> {
  const start = Date.now();
  let passed = 0;
  while (passed <= perMinute * 3) {
    const answers = await Promise.all(Array.from({ length: parallel }, request));
    const refused = answers.find((res) => res.status === 429);
    for (const res of answers) if (res !== refused) await res.body?.cancel();
    passed += answers.filter((res) => res.status !== 429).length;
    if (refused) {
      expect(passed).toBeGreaterThanOrEqual(perMinute);
      expect(passed).toBeLessThanOrEqual(perMinute + Math.ceil(((Date.now() - start) / 60_000) * perMinute));
      return refused;
    }
  }
  throw new Error(`no 429 after ${passed} requests`);
}

async function expectTooMany(res: Response) {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(await json(res)).toMatchObject({ kind: "Status", reason: "TooManyRequests", code: 429, details: { retryAfterSeconds: retryAfter } });
}

describe("rate limits", () => {
  it("limit one device's syncs, before any D1 read, and not another device's", async () => {
    const busy = await enroll(unique("busy"));
    const quiet = await enroll(unique("quiet"));
    await expectTooMany(await exhaust(() => sync(busy), limits.sync));
    const d1 = countingD1(env.DB);
    const ctx = createExecutionContext();
    const again = await worker.fetch(new Request("http://edgeset.test/agent/v1/sync", { method: "POST", headers: { Authorization: `Bearer ${busy}`, "Content-Type": "application/json" }, body: "{}" }), { ...env, DB: d1.db }, ctx);
    await waitOnExecutionContext(ctx);
    expect(again.status).toBe(429);
    expect(d1.counts.reads + d1.counts.writes).toBe(0);
    expect((await sync(quiet)).status).toBe(200);
  });

  it("limit enrolments per bootstrap token", async () => {
    const token = (await json(await call("POST", "/edgeset/v1/bootstraptokens", { ttlSeconds: 600 }))).token;
    await expectTooMany(await exhaust(() => call("POST", "/agent/v1/enroll", {}, { token }), limits.enroll));
    expect((await call("POST", "/agent/v1/enroll", { nodeName: unique("admin-enrolled") })).status).toBe(201);
  });

  it("limit enrolments per client address, whatever token is guessed", async () => {
    const address = `192.0.2.${Math.floor(Math.random() * 250)}`;
    let n = 0;
    const guess = () => call("POST", "/agent/v1/enroll", {}, { token: `${(n++).toString(36).padStart(6, "0")}.${"x".repeat(16)}`, headers: { "CF-Connecting-IP": address } });
    await expectTooMany(await exhaust(guess, limits.enroll));
  });

  it("limit enrolments per device name, whatever token and address, before anything is written", async () => {
    const node = unique("rekeyed");
    const tokens: string[] = await Promise.all(Array.from({ length: 3 }, async () => (await json(await call("POST", "/edgeset/v1/bootstraptokens", { ttlSeconds: 600, usages: 100 }))).token));
    const usagesLeft = async () => (await env.DB.prepare("SELECT id, usages_left FROM bootstrap_tokens WHERE id IN (?, ?, ?) ORDER BY id").bind(...tokens.map((t) => t.split(".")[0])).all()).results;
    let n = 0;
    // Another token from another address each time: only the device name is shared. The node is
    // deleted first (admin, not limited), so every attempt that goes through creates it again.
    const enrol = async () => {
      await call("DELETE", `/api/v1/nodes/${node}`);
      return call("POST", "/agent/v1/enroll", { nodeName: node }, { token: tokens[n % 3], headers: { "CF-Connecting-IP": `198.51.100.${n++ % 250}` } });
    };
    const refused = await exhaust(enrol, limits.enrollNode);
    expect((await json(refused.clone())).message).toContain(`node ${node}`);
    await expectTooMany(refused);

    // The refused attempt stored nothing: no Node, no credential, no token use spent.
    expect((await call("GET", `/api/v1/nodes/${node}`)).status).toBe(404);
    expect(await env.DB.prepare("SELECT name FROM node_agents WHERE name = ?").bind(node).first()).toBeNull();
    const left = await usagesLeft();
    expect((await call("POST", "/agent/v1/enroll", { nodeName: node }, { token: tokens[0] })).status).toBe(429);
    expect(await usagesLeft()).toEqual(left);

    // Another device name with the same token goes ahead; so does the admin token for this one.
    expect((await call("POST", "/agent/v1/enroll", { nodeName: unique("neighbour") }, { token: tokens[0] })).status).toBe(201);
    expect((await call("POST", "/agent/v1/enroll", { nodeName: node })).status).toBe(201);
  });

  it("limit an API token, not the admin token", async () => {
    const { token } = await json(await call("POST", "/edgeset/v1/apitokens", { role: "viewer" }));
    await expectTooMany(await exhaust(() => call("GET", "/api", undefined, { token }), limits.api, 20));
    expect((await call("GET", "/api")).status).toBe(200);
  });
});
