/**
 * The audit log: every write through the API, every token change and every enrolment, with who,
 * what and the answer, refusals included; readable by admins only, in pages; pruned past its
 * retention.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { bootstrapToken, call, json, unique } from "./helpers.ts";

interface AuditItem {
  id: number;
  time: string;
  user: string;
  role: string;
  verb: string;
  apiGroup: string;
  resource: string;
  namespace: string;
  name: string;
  code: number;
}

async function auditSince(since: string, query = ""): Promise<AuditItem[]> {
  const res = await call("GET", `/edgeset/v1/audit?since=${encodeURIComponent(since)}&limit=1000${query}`);
  expect(res.status).toBe(200);
  return (await json(res)).items;
}

const configMap = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { a: "1" } });

describe("the audit log", () => {
  it("records writes with who, what and the answer, and leaves reads out", async () => {
    const start = new Date().toISOString();
    const name = unique("cm");
    expect((await call("POST", "/api/v1/namespaces/default/configmaps", configMap(name))).status).toBe(201);
    await call("GET", `/api/v1/namespaces/default/configmaps/${name}`);
    await call("PATCH", `/api/v1/namespaces/default/configmaps/${name}`, { data: { a: "2" } }, { contentType: "application/merge-patch+json" });
    await call("DELETE", `/api/v1/namespaces/default/configmaps/${name}`);
    const mine = (await auditSince(start)).filter((e) => e.name === name);
    expect(mine.map((e) => [e.verb, e.code])).toEqual([
      ["create", 201],
      ["patch", 200],
      ["delete", 200],
    ]);
    expect(mine[0]).toMatchObject({ user: "admin", role: "admin", apiGroup: "", resource: "configmaps", namespace: "default" });
    expect(Date.parse(mine[0]!.time)).toBeGreaterThanOrEqual(Date.parse(start) - 1000);
  });

  it("records refused writes with their code, and the token that made them", async () => {
    const start = new Date().toISOString();
    const viewer = await json(await call("POST", "/edgeset/v1/apitokens", { role: "viewer" }));
    const name = unique("refused");
    expect((await call("DELETE", `/apis/apps/v1/namespaces/default/daemonsets/${name}`, undefined, { token: viewer.token })).status).toBe(403);
    expect((await call("DELETE", `/apis/apps/v1/namespaces/default/daemonsets/${name}`)).status).toBe(404);
    const mine = (await auditSince(start)).filter((e) => e.name === name);
    expect(mine).toMatchObject([
      { user: `token:${viewer.id}`, role: "viewer", verb: "delete", apiGroup: "apps", resource: "daemonsets", namespace: "default", code: 403 },
      { user: "admin", code: 404 },
    ]);
  });

  it("records token changes and enrolments", async () => {
    const start = new Date().toISOString();
    const created = await json(await call("POST", "/edgeset/v1/apitokens", { role: "viewer" }));
    await call("DELETE", `/edgeset/v1/apitokens/${created.id}`);
    const token = await bootstrapToken();
    const node = unique("audited");
    expect((await call("POST", "/agent/v1/enroll", { nodeName: node }, { token })).status).toBe(201);
    const events = await auditSince(start);
    expect(events.filter((e) => e.name === created.id).map((e) => [e.verb, e.resource, e.code])).toEqual([
      ["create", "apitokens", 201],
      ["delete", "apitokens", 204],
    ]);
    expect(events.find((e) => e.resource === "bootstraptokens" && e.name === token.split(".")[0])).toMatchObject({ verb: "create", code: 201 });
    expect(events.find((e) => e.name === node)).toMatchObject({ user: `system:bootstrap:${token.split(".")[0]}`, role: "bootstrap", verb: "create", resource: "nodes", code: 201 });
    expect(JSON.stringify(events)).not.toContain(created.token);
  });

  it("leaves out requests nobody authenticated", async () => {
    const start = new Date().toISOString();
    const name = unique("anon");
    expect((await call("POST", "/api/v1/namespaces/default/configmaps", configMap(name), { token: "wrong" })).status).toBe(401);
    expect((await call("POST", "/agent/v1/enroll", { nodeName: name }, { token: "abcdef.0123456789abcdef" })).status).toBe(401);
    expect((await auditSince(start)).filter((e) => e.name === name)).toEqual([]);
  });

  it("pages with limit and continue", async () => {
    const start = new Date().toISOString();
    const names = [unique("p"), unique("p"), unique("p")];
    for (const name of names) await call("POST", "/api/v1/namespaces/default/configmaps", configMap(name));
    const first = await json(await call("GET", `/edgeset/v1/audit?since=${start}&limit=2`));
    expect(first.items).toHaveLength(2);
    const second = await json(await call("GET", `/edgeset/v1/audit?since=${start}&limit=2&continue=${first.continue}`));
    const seen = [...first.items, ...second.items].map((e: AuditItem) => e.name);
    for (const name of names) expect(seen).toContain(name);
  });

  it.each([["since=yesterday"], ["limit=0"], ["limit=1e20"], ["limit=-1"], ["continue=abc"]])("answers 400 to %s", async (query) => {
    const res = await call("GET", `/edgeset/v1/audit?${query}`);
    expect(res.status).toBe(400);
    expect((await json(res)).message).toContain(query.split("=")[0]);
  });

  it("forgets events past the retention on the next write", async () => {
    const old = Date.now() - 31 * 24 * 60 * 60 * 1000;
    await env.DB.prepare("INSERT INTO audit_events (at, user, role, verb, api_group, resource, namespace, name, code) VALUES (?, 'admin', 'admin', 'create', '', 'pods', 'default', 'ancient', 201)").bind(old).run();
    expect((await auditSince(new Date(old - 1000).toISOString())).some((e) => e.name === "ancient")).toBe(true);
    await call("POST", "/api/v1/namespaces/default/configmaps", configMap(unique("prune")));
    expect((await auditSince(new Date(old - 1000).toISOString())).some((e) => e.name === "ancient")).toBe(false);
  });
});
