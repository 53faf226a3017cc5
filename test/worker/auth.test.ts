/**
 * Who may do what: no token or a wrong one is 401; the admin token reaches everything; a node
 * credential only syncs its own node (403 on the Kubernetes API) and cannot touch other nodes'
 * pods; bootstrap tokens enroll only while valid and never appear again.
 */
import { describe, expect, it } from "vitest";
import { daemonSet } from "../support/manifests.ts";
import { bootstrapToken, call, json, unique } from "./helpers.ts";
import { env } from "cloudflare:workers";

describe("authentication", () => {
  it.each([
    ["no token", null],
    ["a wrong token", "not-the-admin-token"],
    ["a well-formed but unknown node credential", `node.${"a".repeat(12)}.${"b".repeat(32)}`],
  ])("answers 401 Unauthorized to %s", async (_what, bad) => {
    const res = await call("GET", "/api/v1/nodes", undefined, { token: bad });
    expect(res.status).toBe(401);
    expect(await json(res)).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
  });

  it("lets a bootstrap token enroll only within its usages, and never shows it again", async () => {
    const created = await json(await call("POST", "/edgeset/v1/bootstraptokens", { ttlSeconds: 600, usages: 1 }));
    expect(created.token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    const first = await call("POST", "/agent/v1/enroll", { nodeName: unique("once") }, { token: created.token });
    expect(first.status).toBe(201);
    const second = await call("POST", "/agent/v1/enroll", { nodeName: unique("twice") }, { token: created.token });
    expect(second.status).toBe(401);
    const listed = JSON.stringify(await json(await call("GET", "/edgeset/v1/bootstraptokens")));
    expect(listed).not.toContain(created.token.split(".")[1]);
  });

  it("refuses labels a device may not give itself", async () => {
    const res = await call("POST", "/agent/v1/enroll", { nodeName: unique("claimer"), labels: { "node-restriction.kubernetes.io/pci": "true" } }, { token: await bootstrapToken() });
    expect(res.status).toBe(422);
    expect((await json(res)).details.causes[0].field).toBe("labels[node-restriction.kubernetes.io/pci]");
  });

  it("refuses an expired bootstrap token", async () => {
    const res = await call("POST", "/edgeset/v1/bootstraptokens", { ttlSeconds: -1 });
    expect(res.status).toBe(400);
  });

  it("re-enrolling a name re-keys the node: the old credential stops working, the node keeps its labels", async () => {
    const name = unique("rekey");
    const old = (await json(await call("POST", "/agent/v1/enroll", { nodeName: name, labels: { zone: "a" } }, { token: await bootstrapToken() }))).credential;
    await call("PATCH", `/api/v1/nodes/${name}`, { metadata: { labels: { zone: "b" } } }, { contentType: "application/merge-patch+json" });
    // A bootstrap token cannot take over a node that is syncing; the admin token can.
    const takeover = await call("POST", "/agent/v1/enroll", { nodeName: name, labels: { zone: "a" } }, { token: await bootstrapToken() });
    expect(takeover.status).toBe(409);
    expect((await json(takeover)).message).toContain("cannot take over a live node");
    const again = await call("POST", "/agent/v1/enroll", { nodeName: name, labels: { zone: "a" } });
    expect(again.status).toBe(200);
    expect((await call("POST", "/agent/v1/sync", { node: {}, pods: [] }, { token: old })).status).toBe(401);
    const node = await json(await call("GET", `/api/v1/nodes/${name}`));
    expect(node.metadata.labels.zone).toBe("b");
  });
});

describe("the node authorizer", () => {
  it("forbids a node credential the Kubernetes API", async () => {
    const credential = (await json(await call("POST", "/agent/v1/enroll", { nodeName: unique("curious") }, { token: await bootstrapToken() }))).credential;
    const res = await call("GET", "/api/v1/namespaces/default/pods", undefined, { token: credential });
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ reason: "Forbidden" });
  });

  it("ignores a node's report about a pod bound to another node", async () => {
    const site = unique("site");
    const victim = (await json(await call("POST", "/agent/v1/enroll", { nodeName: unique("victim"), labels: { site } }, { token: await bootstrapToken() }))).credential;
    const intruder = (await json(await call("POST", "/agent/v1/enroll", { nodeName: unique("intruder") }, { token: await bootstrapToken() }))).credential;
    const ds = unique("guarded");
    await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name: ds, nodeSelector: { site } }));
    await env.DAEMONSET_CONTROLLER.getByName(`default/${ds}`).reconcileNow({ namespace: "default", name: ds });
    const pod = (await json(await call("POST", "/agent/v1/sync", { node: {}, pods: [] }, { token: victim }))).pods[0];
    const forged = { namespace: "default", name: pod.metadata.name, uid: pod.metadata.uid, status: { phase: "Failed" } };
    await call("POST", "/agent/v1/sync", { node: {}, pods: [forged], terminated: [pod.metadata.uid] }, { token: intruder });
    const after = await json(await call("GET", `/api/v1/namespaces/default/pods/${pod.metadata.name}`));
    expect(after.status.phase).toBe("Pending");
    expect(after.metadata.deletionTimestamp).toBeUndefined();
  });
});

describe("public paths", () => {
  it.each(["/version", "/healthz", "/install.sh"])("serves %s without a token", async (path) => {
    expect((await call("GET", path, undefined, { token: null })).status).toBe(200);
  });

  it("serves the dashboard's static files without a token and guards /openapi/v3", async () => {
    expect((await call("GET", "/openapi/v3", undefined, { token: null })).status).toBe(401);
    expect((await call("GET", "/no-such-page", undefined, { token: null })).status).not.toBe(401);
  });
});
