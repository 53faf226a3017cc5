import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { adminToken } from "./helpers.ts";

const dashboard = "https://dash.example.test";
const app = createApp();

async function fetchWith(origins: string, path: string, init: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`http://edgeset.test${path}`, init), { ...env, CORS_ALLOWED_ORIGINS: origins }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const preflight = (origin: string) => ({
  method: "OPTIONS",
  headers: { Origin: origin, "Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "authorization,content-type" },
});

describe("CORS", () => {
  it("answers a preflight from an allowed origin without a token", async () => {
    const res = await fetchWith(`https://other.example, ${dashboard}`, "/apis/apps/v1/namespaces/default/daemonsets/web", preflight(dashboard));
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(dashboard);
    expect(res.headers.get("access-control-allow-methods")).toContain("PATCH");
    expect(res.headers.get("access-control-allow-headers")).toContain("Authorization");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("gives an allowed origin's real request the exposed headers", async () => {
    const res = await fetchWith(dashboard, "/api/v1/nodes", { headers: { Origin: dashboard, Authorization: `Bearer ${adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(dashboard);
    expect(res.headers.get("access-control-expose-headers")).toBe("ETag, Warning, Retry-After");
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("gives a refusal the headers too, so the page can read the Status", async () => {
    const res = await fetchWith(dashboard, "/api/v1/nodes", { headers: { Origin: dashboard } });
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBe(dashboard);
    expect((await res.json<{ reason: string }>()).reason).toBe("Unauthorized");
  });

  it("gives a disallowed origin no CORS headers, preflight or not", async () => {
    const pre = await fetchWith(dashboard, "/api/v1/nodes", preflight("https://evil.example.test"));
    expect(pre.status).toBe(403);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    expect((await pre.json<{ message: string }>()).message).toContain("CORS_ALLOWED_ORIGINS");
    const real = await fetchWith(dashboard, "/api/v1/nodes", { headers: { Origin: "https://evil.example.test", Authorization: `Bearer ${adminToken}` } });
    expect(real.status).toBe(200);
    expect([...real.headers.keys()].filter((h) => h.startsWith("access-control-"))).toEqual([]);
  });

  it.each([
    ["the opaque origin null", "null"],
    ["a prefix of the allowed origin", "https://dash.example"],
    ["the allowed origin with a path", `${dashboard}/x`],
    ["the allowed origin with a port", `${dashboard}:8443`],
    ["the allowed origin as a suffix", `https://evil${dashboard.slice("https://".length)}`],
    ["two origins in one header", `${dashboard} https://evil.example.test`],
    ["a huge origin", `https://${"a".repeat(100_000)}.test`],
    ["a wildcard", "*"],
  ])("refuses %s: a 403 preflight with no CORS headers", async (_name, origin) => {
    const res = await fetchWith(dashboard, "/api/v1/nodes", preflight(origin));
    expect(res.status).toBe(403);
    expect([...res.headers.keys()].filter((h) => h.startsWith("access-control-"))).toEqual([]);
  });

  it("allows no origin by default", async () => {
    expect(env.CORS_ALLOWED_ORIGINS).toBe("");
    const res = await fetchWith(env.CORS_ALLOWED_ORIGINS, "/api/v1/nodes", preflight(dashboard));
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("ETags on reads", () => {
  it("answers an unchanged list 304 to If-None-Match, and 200 once it changed", async () => {
    const get = (headers: Record<string, string> = {}) => fetchWith("", "/api/v1/namespaces", { headers: { Authorization: `Bearer ${adminToken}`, ...headers } });
    const first = await get();
    const tag = first.headers.get("etag");
    expect(tag).toMatch(/^"[0-9a-f]+"$/);
    expect((await get({ "If-None-Match": tag! })).status).toBe(304);
    const ns = `etag-${Date.now().toString(36)}`;
    const created = await fetchWith("", "/api/v1/namespaces", { method: "POST", headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" }, body: JSON.stringify({ metadata: { name: ns } }) });
    expect(created.status).toBe(201);
    const changed = await get({ "If-None-Match": tag! });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(tag);
  });
});
