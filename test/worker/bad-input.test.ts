/**
 * Bad input never reaches storage and never causes a 500: the answer is a 4xx Kubernetes Status
 * naming the field.
 */
import { describe, expect, it } from "vitest";
import { daemonSet } from "../support/manifests.ts";
import { bootstrapToken, call, enroll, json, sync, unique } from "./helpers.ts";

const collection = "/apis/apps/v1/namespaces/default/daemonsets";

async function expectNothingStored(name: string) {
  expect((await call("GET", `${collection}/${name}`)).status).toBe(404);
}

describe("bad DaemonSet input", () => {
  it("malformed JSON is 400 BadRequest", async () => {
    const res = await call("POST", collection, '{"apiVersion": "apps/v1", "kind": ');
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ kind: "Status", reason: "BadRequest", code: 400 });
  });

  it.each([
    ["a wrong type", (m: any) => (m.spec.minReadySeconds = "soon"), "spec.minReadySeconds"],
    ["a missing selector", (m: any) => delete m.spec.selector, "spec.selector"],
    ["a selector that does not match the template", (m: any) => (m.spec.selector.matchLabels = { app: "other" }), "spec.template.metadata.labels"],
    ["no containers", (m: any) => (m.spec.template.spec.containers = []), "spec.template.spec.containers"],
    ["an invalid name", (m: any) => (m.metadata.name = "Not_A_Name"), "metadata.name"],
    ["restartPolicy OnFailure", (m: any) => (m.spec.template.spec.restartPolicy = "OnFailure"), "spec.template.spec.restartPolicy"],
    ["maxUnavailable and maxSurge both 0", (m: any) => (m.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }), "spec.updateStrategy.rollingUpdate.maxUnavailable"],
  ])("%s is 422 Invalid naming the field", async (_what, mutate, field) => {
    const name = unique("bad");
    const manifest = daemonSet({ name });
    mutate(manifest);
    const res = await call("POST", collection, manifest);
    expect(res.status).toBe(422);
    const status = await json(res);
    expect(status).toMatchObject({ kind: "Status", reason: "Invalid", code: 422 });
    expect(status.details.causes.map((c: any) => c.field)).toContain(field);
    if (manifest.metadata.name === name) await expectNothingStored(name);
  });

  it("an unknown namespace is 404 naming the namespace", async () => {
    const res = await call("POST", "/apis/apps/v1/namespaces/nowhere/daemonsets", daemonSet({ name: unique("lost") }));
    expect(res.status).toBe(404);
    expect((await json(res)).message).toBe('namespaces "nowhere" not found');
  });

  it("an unknown field is rejected under fieldValidation=Strict and stored without it otherwise", async () => {
    const strict = daemonSet({ name: unique("strict") }) as any;
    strict.spec.colour = "blue";
    const res = await call("POST", `${collection}?fieldValidation=Strict`, strict);
    expect(res.status).toBe(400);
    expect((await json(res)).message).toContain('unknown field "spec.colour"');
    const warn = await call("POST", `${collection}?fieldValidation=Warn`, strict);
    expect(warn.status).toBe(201);
    expect(warn.headers.get("Warning")).toContain('unknown field \\"spec.colour\\"');
    expect((await json(warn)).spec.colour).toBeUndefined();
  });

  it("a key given twice is refused under fieldValidation=Strict and warned about otherwise, the last value kept", async () => {
    const name = unique("twice");
    const withDuplicate = JSON.stringify(daemonSet({ name })).replace('"spec":{', '"spec":{"minReadySeconds":7,"minReadySeconds":3,');
    const strict = await call("POST", `${collection}?fieldValidation=Strict`, withDuplicate);
    expect(strict.status).toBe(400);
    expect((await json(strict)).message).toBe('DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: duplicate field "spec.minReadySeconds"');
    await expectNothingStored(name);
    const warn = await call("POST", collection, withDuplicate);
    expect(warn.status).toBe(201);
    expect(warn.headers.get("Warning")).toBe('299 - "duplicate field \\"spec.minReadySeconds\\""');
    expect((await json(warn)).spec.minReadySeconds).toBe(3);
  });

  it("a key given twice in a merge or strategic patch is refused under fieldValidation=Strict and warned about otherwise", async () => {
    const name = unique("patch-twice");
    expect((await call("POST", collection, daemonSet({ name }))).status).toBe(201);
    const before = await json(await call("GET", `${collection}/${name}`));
    const patch = '{"spec":{"minReadySeconds":7,"minReadySeconds":3}}';
    for (const contentType of ["application/merge-patch+json", "application/strategic-merge-patch+json"]) {
      const strict = await call("PATCH", `${collection}/${name}?fieldValidation=Strict`, patch, { contentType });
      expect(strict.status).toBe(400);
      expect((await json(strict)).message).toContain('duplicate field "spec.minReadySeconds"');
      expect((await json(await call("GET", `${collection}/${name}`))).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    }
    const warn = await call("PATCH", `${collection}/${name}`, patch, { contentType: "application/merge-patch+json" });
    expect(warn.status).toBe(200);
    expect(warn.headers.get("Warning")).toBe('299 - "duplicate field \\"spec.minReadySeconds\\""');
    expect((await json(warn)).spec.minReadySeconds).toBe(3);
  });

  it("a stale resourceVersion on update is 409 Conflict and changes nothing", async () => {
    const name = unique("stale");
    const created = await json(await call("POST", collection, daemonSet({ name })));
    const fresh = { ...created, metadata: { ...created.metadata, labels: { a: "1" } } };
    expect((await call("PUT", `${collection}/${name}`, fresh)).status).toBe(200);
    const stale = { ...created, metadata: { ...created.metadata, labels: { a: "2" } } };
    const res = await call("PUT", `${collection}/${name}`, stale);
    expect(res.status).toBe(409);
    expect((await json(res)).reason).toBe("Conflict");
    expect((await json(await call("GET", `${collection}/${name}`))).metadata.labels).toEqual({ a: "1" });
  });

  it("an unknown patch content type is 415", async () => {
    const name = unique("patched");
    await call("POST", collection, daemonSet({ name }));
    const res = await call("PATCH", `${collection}/${name}`, { spec: {} }, { contentType: "text/plain" });
    expect(res.status).toBe(415);
  });
});

describe("bad agent input", () => {
  it("an enrolment with an invalid node name is 422 naming nodeName", async () => {
    const token = (await json(await call("POST", "/edgeset/v1/bootstraptokens", {}))).token;
    const res = await call("POST", "/agent/v1/enroll", { nodeName: "Bad Name!" }, { token });
    expect(res.status).toBe(422);
    expect((await json(res)).details.causes[0].field).toBe("nodeName");
  });

  it("a sync with malformed pods is 422 and writes nothing", async () => {
    const token = (await json(await call("POST", "/edgeset/v1/bootstraptokens", {}))).token;
    const name = unique("sloppy");
    const credential = (await json(await call("POST", "/agent/v1/enroll", { nodeName: name }, { token }))).credential;
    const res = await call("POST", "/agent/v1/sync", { node: { labels: { "bad key!": "x" } }, pods: [{ name: 3 }] }, { token: credential });
    expect(res.status).toBe(422);
    const fields = (await json(res)).details.causes.map((c: any) => c.field);
    expect(fields).toEqual(expect.arrayContaining(["pods[0]"]));
  });
});

describe("a device that sends too much or the wrong shapes", () => {
  it.each([
    ["a runtime name that is no label", { runtimes: ["Docker Desktop"] }, "node.runtimes"],
    ["too many runtimes", { runtimes: Array.from({ length: 60 }, (_, i) => `rt${i}`) }, "node.runtimes"],
    ["a huge nodeInfo", { nodeInfo: { osImage: "x".repeat(10_000) } }, "node.nodeInfo"],
    ["too many addresses", { addresses: Array.from({ length: 100 }, () => ({ type: "InternalIP", address: "10.0.0.1" })) }, "node.addresses"],
  ])("rejects %s with 422 and writes nothing", async (_what, node, field) => {
    const token = (await json(await call("POST", "/edgeset/v1/bootstraptokens", {}))).token;
    const name = unique("greedy");
    const credential = (await json(await call("POST", "/agent/v1/enroll", { nodeName: name }, { token }))).credential;
    const res = await call("POST", "/agent/v1/sync", { node, pods: [] }, { token: credential });
    expect(res.status).toBe(422);
    expect((await json(res)).details.causes.map((c: any) => c.field)).toContain(field);
    const stored = await json(await call("GET", `/api/v1/nodes/${name}`));
    expect(JSON.stringify(stored.metadata.labels)).not.toContain("Docker Desktop");
  });

  it("answers 422, not 500, to a static pod without metadata", async () => {
    const token = (await json(await call("POST", "/edgeset/v1/bootstraptokens", {}))).token;
    const credential = (await json(await call("POST", "/agent/v1/enroll", { nodeName: unique("nometa") }, { token }))).credential;
    const res = await call("POST", "/agent/v1/sync", { node: {}, pods: [], staticPods: [{ metadata: null, spec: {} }] }, { token: credential });
    expect(res.status).toBeLessThan(500);
  });
});

describe("device bodies are depth-checked before anything walks them", () => {
  const deep = (n: number) => "[".repeat(n) + "1" + "]".repeat(n);

  it.each([
    ["a node condition", (n: number) => `{"node":{"conditions":[{"type":"A","status":${deep(n)}}]},"pods":[]}`],
    ["a static pod", (n: number) => `{"node":{},"pods":[],"staticPods":[{"metadata":{"name":"s"},"spec":${deep(n)}}]}`],
    ["a field the protocol does not know", (n: number) => `{"node":{},"pods":[],"extra":${deep(n)}}`],
  ])("a sync nested past 100 levels in %s is 400 naming the path, and writes nothing", async (_where, body) => {
    const name = unique("deep");
    const credential = await enroll(name);
    const before = (await json(await call("GET", `/api/v1/nodes/${name}`))).metadata.resourceVersion;
    const res = await sync(credential, body(1_000_000));
    expect(res.status).toBe(400);
    expect((await json(res)).message).toMatch(/^the sync body is nested more than 100 levels deep at /);
    expect((await json(await call("GET", `/api/v1/nodes/${name}`))).metadata.resourceVersion).toBe(before);
    // A sync of ordinary depth still goes through.
    expect((await sync(credential, body(3))).status).toBeLessThan(500);
  });

  it("an enrolment nested past 100 levels is 400, and enrols nothing", async () => {
    const name = unique("deep-enrol");
    const res = await call("POST", "/agent/v1/enroll", `{"nodeName":"${name}","labels":{"a":${deep(100_000)}}}`, { token: await bootstrapToken() });
    expect(res.status).toBe(400);
    expect((await json(res)).message).toMatch(/^the enrolment body is nested more than 100 levels deep at labels\.a/);
    expect((await call("GET", `/api/v1/nodes/${name}`)).status).toBe(404);
  });
});

describe("pod template fields Kubernetes bounds", () => {
  const collection = "/apis/apps/v1/namespaces/default/daemonsets";
  it.each([
    ["a negative runAsUser", (m: any) => (m.spec.template.spec.securityContext = { runAsUser: -1 }), "spec.template.spec.securityContext.runAsUser"],
    ["a container runAsGroup past int32", (m: any) => (m.spec.template.spec.containers[0].securityContext = { runAsGroup: 2 ** 31 }), "spec.template.spec.containers[0].securityContext.runAsGroup"],
    ["a subPathExpr that climbs out", (m: any) => {
      m.spec.template.spec.volumes = [{ name: "v", emptyDir: {} }];
      m.spec.template.spec.containers[0].volumeMounts = [{ name: "v", mountPath: "/x", subPathExpr: "$(HOME)/../.." }];
    }, "spec.template.spec.containers[0].volumeMounts[0].subPathExpr"],
  ])("%s is 422 naming the field, and nothing is stored", async (_what, mutate, field) => {
    const name = unique("bounded");
    const manifest = daemonSet({ name });
    mutate(manifest);
    const res = await call("POST", collection, manifest);
    expect(res.status).toBe(422);
    expect((await json(res)).details.causes.map((c: any) => c.field)).toContain(field);
    expect((await call("GET", `${collection}/${name}`)).status).toBe(404);
  });
});
