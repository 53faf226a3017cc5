/**
 * Roles beside the admin token: a viewer reads everything but Secrets and writes nothing; an
 * operator works in its namespaces and only labels nodes; neither reaches the admin API; tokens
 * are shown once, listed without their secret, expire and can be revoked; `kubectl auth can-i`
 * and `whoami` tell each the truth.
 */
import { describe, expect, it } from "vitest";
import { daemonSet } from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";
import { call, enroll, json, unique } from "./helpers.ts";

async function apiToken(body: Record<string, unknown>): Promise<{ token: string; id: string; expires: string | null }> {
  const res = await call("POST", "/edgeset/v1/apitokens", body);
  if (res.status !== 201) throw new Error(`apitoken create: ${res.status} ${await res.text()}`);
  return json(res);
}

async function namespace(): Promise<string> {
  const name = unique("team");
  expect((await call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } })).status).toBe(201);
  return name;
}

const configMap = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { a: "1" } });
const secret = (name: string) => ({ apiVersion: "v1", kind: "Secret", metadata: { name }, stringData: { password: "hunter2" } });

describe("API tokens", () => {
  it("are shown once, listed without their secret, and stop working when revoked", async () => {
    const created = await apiToken({ role: "viewer", description: "dashboard" });
    expect(created.token).toMatch(/^edgeset\.[a-z0-9]{12}\.[a-z0-9]{32}$/);
    expect((await call("GET", "/api/v1/nodes", undefined, { token: created.token })).status).toBe(200);
    const listed = await json(await call("GET", "/edgeset/v1/apitokens"));
    expect(JSON.stringify(listed)).not.toContain(created.token.split(".")[2]);
    expect(listed.items.find((t: { id: string }) => t.id === created.id)).toMatchObject({ role: "viewer", user: `token:${created.id}`, namespaces: null, description: "dashboard" });
    expect((await call("DELETE", `/edgeset/v1/apitokens/${created.id}`)).status).toBe(204);
    expect((await call("GET", "/api/v1/nodes", undefined, { token: created.token })).status).toBe(401);
    expect((await call("DELETE", `/edgeset/v1/apitokens/${created.id}`)).status).toBe(404);
  });

  it("expire", async () => {
    const created = await apiToken({ role: "viewer", ttlSeconds: 1 });
    // `expires` is RFC 3339 in whole seconds, rounded down: a second after it the token has expired.
    const expired = Date.parse(created.expires!) + 1000;
    await waitFor("the token's expiry", () => Date.now() >= expired, 10_000, 100);
    expect((await call("GET", "/api/v1/nodes", undefined, { token: created.token })).status).toBe(401);
  });

  it.each([
    [{ role: "root" }, "role"],
    [{}, "role"],
    [{ role: "operator" }, "namespaces"],
    [{ role: "operator", namespaces: [] }, "namespaces"],
    [{ role: "operator", namespaces: ["Bad_Name"] }, "namespaces[0]"],
    [{ role: "operator", namespaces: [null] }, "namespaces[0]"],
    [{ role: "viewer", namespaces: ["a"] }, "namespaces"],
    [{ role: "viewer", ttlSeconds: 1e20 }, "ttlSeconds"],
    [{ role: "viewer", ttlSeconds: -1 }, "ttlSeconds"],
    [{ role: "viewer", description: 5 }, "description"],
  ])("refuses %j naming %s, and stores nothing", async (body, field) => {
    const before = (await json(await call("GET", "/edgeset/v1/apitokens"))).items.length;
    const res = await call("POST", "/edgeset/v1/apitokens", body);
    expect(res.status).toBe(400);
    expect((await json(res)).details.causes[0].field).toBe(field);
    expect((await json(await call("GET", "/edgeset/v1/apitokens"))).items.length).toBe(before);
  });

  it("never reach the admin API", async () => {
    for (const role of [{ role: "viewer" }, { role: "operator", namespaces: ["default"] }]) {
      const { token } = await apiToken(role);
      for (const [method, path] of [
        ["GET", "/edgeset/v1/apitokens"],
        ["POST", "/edgeset/v1/apitokens"],
        ["POST", "/edgeset/v1/bootstraptokens"],
        ["GET", "/edgeset/v1/audit"],
      ] as const) {
        const res = await call(method, path, method === "POST" ? { role: "viewer" } : undefined, { token });
        expect(res.status, `${role.role} ${method} ${path}`).toBe(403);
        expect((await json(res)).reason).toBe("Forbidden");
      }
    }
  });
});

describe("a viewer", () => {
  it("reads every namespace and the nodes, and writes nothing", async () => {
    const ns = await namespace();
    await call("POST", `/api/v1/namespaces/${ns}/configmaps`, configMap("c"));
    const { token, id } = await apiToken({ role: "viewer" });
    expect((await call("GET", `/api/v1/namespaces/${ns}/configmaps/c`, undefined, { token })).status).toBe(200);
    expect((await call("GET", "/apis/apps/v1/daemonsets", undefined, { token })).status).toBe(200);
    expect((await call("GET", "/api/v1/nodes", undefined, { token })).status).toBe(200);
    const refused = await call("DELETE", `/api/v1/namespaces/${ns}/configmaps/c`, undefined, { token });
    expect(refused.status).toBe(403);
    expect(await json(refused)).toMatchObject({
      reason: "Forbidden",
      message: `configmaps "c" is forbidden: User "token:${id}" cannot delete resource "configmaps" in API group "" in the namespace "${ns}"`,
      details: { name: "c", group: "", kind: "configmaps" },
    });
    expect((await call("GET", `/api/v1/namespaces/${ns}/configmaps/c`)).status).toBe(200);
    expect((await call("POST", `/apis/apps/v1/namespaces/${ns}/daemonsets`, daemonSet({ name: unique("ds") }), { token })).status).toBe(403);
  });

  it("never sees a Secret", async () => {
    const ns = await namespace();
    await call("POST", `/api/v1/namespaces/${ns}/secrets`, secret("s"));
    const { token } = await apiToken({ role: "viewer" });
    for (const path of [`/api/v1/namespaces/${ns}/secrets`, `/api/v1/namespaces/${ns}/secrets/s`, "/api/v1/secrets", "/api/v1/secrets?watch=true"]) {
      const res = await call("GET", path, undefined, { token });
      expect(res.status, path).toBe(403);
      expect(await res.text()).not.toContain("aHVudGVyMg");
    }
  });
});

describe("an operator", () => {
  it("manages workloads, ConfigMaps and Secrets in its namespaces only", async () => {
    const mine = await namespace();
    const other = await namespace();
    const { token, id } = await apiToken({ role: "operator", namespaces: [mine] });
    const ds = unique("ds");
    expect((await call("POST", `/apis/apps/v1/namespaces/${mine}/daemonsets`, daemonSet({ name: ds }), { token })).status).toBe(201);
    expect((await call("POST", `/api/v1/namespaces/${mine}/configmaps`, configMap("c"), { token })).status).toBe(201);
    expect((await call("POST", `/api/v1/namespaces/${mine}/secrets`, secret("s"), { token })).status).toBe(201);
    expect((await call("GET", `/api/v1/namespaces/${mine}/secrets/s`, undefined, { token })).status).toBe(200);
    expect((await call("DELETE", `/apis/apps/v1/namespaces/${mine}/daemonsets/${ds}`, undefined, { token })).status).toBe(200);
    const elsewhere = await call("POST", `/apis/apps/v1/namespaces/${other}/daemonsets`, daemonSet({ name: ds }), { token });
    expect(elsewhere.status).toBe(403);
    expect((await json(elsewhere)).message).toBe(`daemonsets.apps is forbidden: User "token:${id}" cannot create resource "daemonsets" in API group "apps" in the namespace "${other}"`);
    expect((await call("GET", "/api/v1/pods", undefined, { token })).status).toBe(403);
    expect((await call("DELETE", `/api/v1/namespaces/${mine}`, undefined, { token })).status).toBe(403);
    expect((await call("GET", `/apis/apps/v1/namespaces/${other}/daemonsets/${ds}`)).status).toBe(404);
  });

  it("labels and annotates nodes but changes nothing else about them", async () => {
    const node = unique("node");
    await enroll(node);
    const { token } = await apiToken({ role: "operator", namespaces: ["default"] });
    const merge = { contentType: "application/merge-patch+json", token };
    expect((await call("GET", `/api/v1/nodes/${node}`, undefined, { token })).status).toBe(200);
    expect((await call("PATCH", `/api/v1/nodes/${node}`, { metadata: { labels: { zone: "b" }, annotations: { note: "x" } } }, merge)).status).toBe(200);
    const cordon = await call("PATCH", `/api/v1/nodes/${node}`, { spec: { unschedulable: true } }, { ...merge, contentType: "application/strategic-merge-patch+json" });
    expect(cordon.status).toBe(403);
    expect((await json(cordon)).message).toContain("may patch only metadata.labels and metadata.annotations");
    expect((await call("PATCH", `/api/v1/nodes/${node}`, [{ op: "add", path: "/spec/taints", value: [] }], { ...merge, contentType: "application/json-patch+json" })).status).toBe(403);
    expect((await call("DELETE", `/api/v1/nodes/${node}`, undefined, { token })).status).toBe(403);
    const stored = await json(await call("GET", `/api/v1/nodes/${node}`));
    expect(stored.metadata.labels.zone).toBe("b");
    expect(stored.spec.unschedulable).toBeUndefined();
  });

  it("has its node patch body read under the API's limits before the role looks into it", async () => {
    const node = unique("node");
    await enroll(node);
    const { token } = await apiToken({ role: "operator", namespaces: ["default"] });
    const merge = { contentType: "application/merge-patch+json", token };
    const deep = await call("PATCH", `/api/v1/nodes/${node}`, `{"metadata":{"labels":${"[".repeat(5000)}${"]".repeat(5000)}}}`, merge);
    expect(deep.status).toBe(400);
    expect((await json(deep)).message).toMatch(/^the request body is nested more than 100 levels deep at metadata\.labels/);
    const huge = await call("PATCH", `/api/v1/nodes/${node}`, JSON.stringify({ metadata: { labels: { a: "x".repeat(4 * 1024 * 1024) } } }), merge);
    expect(huge.status).toBe(413);
    expect((await json(await call("GET", `/api/v1/nodes/${node}`))).metadata.labels?.a).toBeUndefined();
  });
});

const canI = async (token: string, resourceAttributes: Record<string, string>) =>
  (await json(await call("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes } }, { token }))).status.allowed;

describe("kubectl auth", () => {
  it("can-i answers what the request would get, for each role", async () => {
    const viewer = (await apiToken({ role: "viewer" })).token;
    const operator = (await apiToken({ role: "operator", namespaces: ["team-x"] })).token;
    const cases: [string, Record<string, string>, boolean, boolean][] = [
      // token, attributes, viewer, operator
      ["list daemonsets", { verb: "list", group: "apps", resource: "daemonsets", namespace: "team-x" }, true, true],
      ["delete daemonsets", { verb: "delete", group: "apps", resource: "daemonsets", namespace: "team-x" }, false, true],
      ["delete daemonsets elsewhere", { verb: "delete", group: "apps", resource: "daemonsets", namespace: "default" }, false, false],
      ["get secrets", { verb: "get", resource: "secrets", namespace: "team-x" }, false, true],
      ["patch nodes", { verb: "patch", resource: "nodes" }, false, true],
      ["delete nodes", { verb: "delete", resource: "nodes" }, false, false],
      ["* pods", { verb: "*", resource: "pods", namespace: "team-x" }, false, true],
    ];
    for (const [what, attrs, forViewer, forOperator] of cases) {
      expect(await canI(viewer, attrs), `viewer ${what}`).toBe(forViewer);
      expect(await canI(operator, attrs), `operator ${what}`).toBe(forOperator);
    }
    expect(await canI(viewer, { verb: "delete", group: "apps", resource: "daemonsets" })).toBe(false);
  });

  it("can-i --list lists the rules authorize applies", async () => {
    const operator = (await apiToken({ role: "operator", namespaces: ["team-y"] })).token;
    const res = await call("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", { spec: { namespace: "team-y" } }, { token: operator });
    expect(res.status).toBe(201);
    const rules = (await json(res)).status.resourceRules as { verbs: string[]; apiGroups: string[]; resources: string[] }[];
    expect(rules.find((r) => r.resources[0] === "nodes")?.verbs.sort()).toEqual(["get", "list", "patch", "watch"]);
    expect(rules.find((r) => r.resources[0] === "secrets")?.verbs).toContain("delete");
    const elsewhere = (await json(await call("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", { spec: { namespace: "default" } }, { token: operator }))).status.resourceRules;
    expect(elsewhere.find((r: { resources: string[] }) => r.resources[0] === "secrets")).toBeUndefined();
  });

  it("whoami names the token and its role", async () => {
    const { token, id } = await apiToken({ role: "operator", namespaces: ["team-z"] });
    const res = await call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" }, { token });
    expect(res.status).toBe(201);
    expect((await json(res)).status.userInfo).toEqual({ username: `token:${id}`, groups: ["edgeset:operators", "system:authenticated"], extra: { "edgeset.dev/namespaces": ["team-z"] } });
    const admin = await json(await call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {}));
    expect(admin.status.userInfo.username).toBe("admin");
  });
});
