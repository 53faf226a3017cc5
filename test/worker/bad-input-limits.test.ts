/**
 * Bad input on the operator API, class by class (issue 10): nesting depth, numbers out of their
 * type's range, malformed paths and bodies, object keys that are also JavaScript names, sizes.
 * Every refusal is a 4xx Status naming the field, and nothing is stored.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { daemonSet } from "../support/manifests.ts";
import { call, json, unique } from "./helpers.ts";

const configMaps = "/api/v1/namespaces/default/configmaps";
const daemonSets = "/apis/apps/v1/namespaces/default/daemonsets";
const tokens = "/edgeset/v1/bootstraptokens";
const mergePatch = { contentType: "application/merge-patch+json" };

const nested = (depth: number, leaf = "1") => "[".repeat(depth) + leaf + "]".repeat(depth);

/** A ConfigMap's JSON text with `extra` spliced in as raw JSON members. */
const configMapText = (name: string, extra = "") => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"}${extra ? `,${extra}` : ""}}`;

async function createConfigMap(name: string, data: Record<string, string> = { a: "1" }) {
  const res = await call("POST", configMaps, { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data });
  expect(res.status).toBe(201);
  return json(res);
}

const stored = async (path: string) => {
  const res = await call("GET", path);
  return res.status === 404 ? undefined : json(res);
};

/** The Status of a refused request: its code is 4xx and some cause or the message names `field`. */
async function expectRefused(res: Response, code: number, field: string) {
  expect(res.status).toBe(code);
  const status = await json(res);
  expect(status).toMatchObject({ kind: "Status", status: "Failure", code });
  const named = [status.message, ...(status.details?.causes ?? []).map((c: { field?: string }) => c.field)].join("\n");
  expect(named).toContain(field);
  return status;
}

describe("nesting depth is checked before any recursive work", () => {
  it("refuses a body nested 2000 deep with 400 naming the path, and stores nothing", async () => {
    const name = unique("deep");
    const res = await call("POST", configMaps, configMapText(name, `"x":${nested(2000)}`));
    const status = await expectRefused(res, 400, "nested more than 100 levels deep at x");
    expect(status.message.length).toBeLessThan(2000);
    expect(await stored(`${configMaps}/${name}`)).toBeUndefined();
  });

  it.each([
    ["merge", "application/merge-patch+json", (d: number) => `{"data":{"a":${nested(d, '"x"')}}}`],
    ["strategic", "application/strategic-merge-patch+json", (d: number) => `{"data":{"a":${nested(d, '"x"')}}}`],
    ["json", "application/json-patch+json", (d: number) => `[{"op":"add","path":"/data/b","value":${nested(d)}}]`],
    ["apply", "application/apply-patch+yaml", (d: number) => `{"apiVersion":"v1","kind":"ConfigMap","data":{"a":${nested(d)}}}`],
  ])("refuses a %s patch nested 5000 deep with 400 and changes nothing", async (_type, contentType, patch) => {
    const name = unique("deeppatch");
    const before = await createConfigMap(name);
    const res = await call("PATCH", `${configMaps}/${name}?fieldManager=t`, patch(5000), { contentType });
    await expectRefused(res, 400, "nested more than 100 levels deep");
    expect((await stored(`${configMaps}/${name}`)).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it("refuses a patch whose result is nested too deep (each part shallow) with 422 naming the field", async () => {
    const name = unique("deepen");
    await createConfigMap(name);
    const jsonPatch = { contentType: "application/json-patch+json" };
    const first = `[{"op":"add","path":"/metadata/managedFields","value":[{"manager":"m","operation":"Update","fieldsV1":{"a":{}}}]}]`;
    expect((await call("PATCH", `${configMaps}/${name}`, first, jsonPatch)).status).toBe(200);
    const before = await stored(`${configMaps}/${name}`);
    // fieldsV1 keeps any JSON: a value 97 deep (99 in the patch body) lands 6 levels down.
    const deeper = `[{"op":"add","path":"/metadata/managedFields/0/fieldsV1/a/b","value":${'{"c":'.repeat(96)}{}${"}".repeat(96)}}]`;
    const res = await call("PATCH", `${configMaps}/${name}`, deeper, jsonPatch);
    await expectRefused(res, 422, "metadata.managedFields[0].fieldsV1.a.b.c");
    expect((await stored(`${configMaps}/${name}`)).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it("refuses a chain of moves that deepens an object past the limit (422, not a stack overflow)", async () => {
    const name = unique("moves");
    const before = await createConfigMap(name);
    // add /metadata/managedFields/0/fieldsV1/kN {} then move k(N-1) into it: one level deeper per pair.
    const ops: unknown[] = [{ op: "add", path: "/metadata/managedFields", value: [{ manager: "m", operation: "Update", fieldsV1: { k0: {} } }] }];
    for (let i = 1; i < 4000; i++) ops.push({ op: "add", path: `/metadata/managedFields/0/fieldsV1/k${i}`, value: {} }, { op: "move", from: `/metadata/managedFields/0/fieldsV1/k${i - 1}`, path: `/metadata/managedFields/0/fieldsV1/k${i}/k${i - 1}` });
    const res = await call("PATCH", `${configMaps}/${name}`, ops.slice(0, 9999), { contentType: "application/json-patch+json" });
    await expectRefused(res, 422, "nested more than 100 levels deep");
    expect((await stored(`${configMaps}/${name}`)).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it("accepts JSON with brackets inside strings, however many", async () => {
    const name = unique("brackets");
    const res = await call("POST", configMaps, configMapText(name, `"data":{"a":"${"[{".repeat(500)}"}`));
    expect(res.status).toBe(201);
    expect((await stored(`${configMaps}/${name}`)).data.a).toBe("[{".repeat(500));
  });
});

describe("numbers are checked against their type's range", () => {
  it.each([
    ["limit", "1e20"],
    ["limit", "9007199254740993"],
    ["limit", "ten"],
    ["limit", "1.5"],
    ["timeoutSeconds", "1e20"],
  ])("?%s=%s on a list is 400 naming the parameter", async (param, value) => {
    const watch = param === "timeoutSeconds" ? "watch=true&" : "";
    await expectRefused(await call("GET", `${configMaps}?${watch}${param}=${value}`), 400, param);
  });

  it("?limit=0 and ?limit=-1 mean no limit, as in Kubernetes", async () => {
    expect((await call("GET", `${configMaps}?limit=0`)).status).toBe(200);
    expect((await call("GET", `${configMaps}?limit=-1`)).status).toBe(200);
  });

  it.each([
    ["the query", "?gracePeriodSeconds=1e20", undefined],
    ["the query", "?gracePeriodSeconds=99999999999999", undefined],
    ["the query", "?gracePeriodSeconds=-1", undefined],
    ["the body", "", { gracePeriodSeconds: 1e20 }],
    ["the body", "", { gracePeriodSeconds: "soon" }],
    ["the body", "", { preconditions: { uid: 7 } }],
  ])("a gracePeriodSeconds or precondition out of range in %s is 400 and deletes nothing", async (_where, query, body) => {
    const name = unique("graceful");
    await createConfigMap(name);
    const res = await call("DELETE", `${configMaps}/${name}${query}`, body);
    expect(res.status).toBe(400);
    expect((await json(res)).message).toMatch(/gracePeriodSeconds|preconditions/);
    expect(await stored(`${configMaps}/${name}`)).toBeDefined();
  });

  it.each([
    ["an int32 past 2^31-1", (m: any) => (m.spec.minReadySeconds = 2 ** 31), "spec.minReadySeconds"],
    ["an int32 at 1e20", (m: any) => (m.spec.revisionHistoryLimit = 1e20), "spec.revisionHistoryLimit"],
    ["an int64 past the safe range", (m: any) => (m.spec.template.spec.terminationGracePeriodSeconds = 1e300), "spec.template.spec.terminationGracePeriodSeconds"],
    ["an int-or-string number past int32", (m: any) => (m.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1e10 } }), "spec.updateStrategy.rollingUpdate.maxUnavailable"],
    ["a negative int32 below -2^31", (m: any) => (m.spec.template.spec.containers[0].ports = [{ containerPort: -(2 ** 40) }]), "spec.template.spec.containers[0].ports[0].containerPort"],
  ])("%s is 422 naming the field, and nothing is stored", async (_what, mutate, field) => {
    const name = unique("numbers");
    const manifest = daemonSet({ name });
    mutate(manifest);
    await expectRefused(await call("POST", daemonSets, manifest), 422, field);
    expect(await stored(`${daemonSets}/${name}`)).toBeUndefined();
  });

  it("a number literal past float64 (1e400) is 422, not Infinity stored", async () => {
    const name = unique("infinite");
    const text = JSON.stringify(daemonSet({ name })).replace('"spec":{', '"spec":{"minReadySeconds":1e400,');
    await expectRefused(await call("POST", daemonSets, text), 422, "spec.minReadySeconds");
    expect(await stored(`${daemonSets}/${name}`)).toBeUndefined();
  });
});

describe("bootstrap token requests out of range", () => {
  const count = async () => (await json(await call("GET", tokens))).items.length;

  it.each([
    [{ ttlSeconds: 1e20 }, "ttlSeconds"],
    [{ ttlSeconds: 2 ** 53 }, "ttlSeconds"],
    [{ ttlSeconds: 1.5 }, "ttlSeconds"],
    [{ usages: 1e20 }, "usages"],
    [{ usages: 0 }, "usages"],
    [{ description: { text: "x" } }, "description"],
    [{ description: "x".repeat(2000) }, "description"],
  ])("%s is 400 naming the field and stores no token", async (body, field) => {
    const before = await count();
    await expectRefused(await call("POST", tokens, body), 400, field);
    expect(await count()).toBe(before);
  });

  it("token list survives any stored row, even one no date can show", async () => {
    await env.DB.prepare("INSERT INTO bootstrap_tokens (id, secret_hash, expires_at, usages_left, description, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(unique("broken").slice(0, 20), "x", 1e23, "many", null, 1e300)
      .run();
    const res = await call("GET", tokens);
    expect(res.status).toBe(200);
    expect((await json(res)).items).toContainEqual(expect.objectContaining({ expires: "invalid", created: "invalid", usagesLeft: null }));
  });
});

describe("malformed paths and bodies", () => {
  it.each([
    ["GET", "/api/v1/namespaces/%E0%A4%A/pods"],
    ["GET", "/api/v1/namespaces/default/configmaps/%ZZ"],
    ["POST", "/api/v1/namespaces/%E0%A4%A/configmaps"],
    ["PUT", "/apis/apps/v1/namespaces/default/daemonsets/%E0%A4%A"],
    ["PATCH", "/apis/apps/v1/namespaces/default/daemonsets/%"],
    ["DELETE", "/api/v1/namespaces/default/configmaps/%C0"],
    ["DELETE", "/edgeset/v1/bootstraptokens/%E0%A4%A"],
    ["DELETE", "/edgeset/v1/bootstraptokens/..%2F"],
  ])("%s %s (a bad percent-escape) is 4xx, never 500", async (method, path) => {
    const res = await call(method, path, method === "GET" || method === "DELETE" ? undefined : "{}", { contentType: method === "PATCH" ? "application/merge-patch+json" : "application/json" });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await json(res)).kind).toBe("Status");
  });

  it.each(["null", "[]", "[{}]", '"a string"', "42", "true"])("a %s body is 400 naming the body on every write", async (body) => {
    const name = unique("shape");
    await createConfigMap(name);
    const before = (await stored(`${configMaps}/${name}`)).metadata.resourceVersion;
    for (const [method, path, contentType] of [
      ["POST", configMaps, "application/json"],
      ["PUT", `${configMaps}/${name}`, "application/json"],
      ["PATCH", `${configMaps}/${name}`, "application/merge-patch+json"],
      ["PATCH", `${configMaps}/${name}`, "application/strategic-merge-patch+json"],
      ["DELETE", `${configMaps}/${name}`, "application/json"],
      ["POST", tokens, "application/json"],
      ["POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "application/json"],
    ] as const) {
      const res = await call(method, path, body, { contentType });
      expect(res.status, `${method} ${path} ${contentType}`).toBe(400);
      expect((await json(res)).message).toMatch(/body|patch|DeleteOptions|SelfSubjectAccessReview/);
    }
    expect((await stored(`${configMaps}/${name}`)).metadata.resourceVersion).toBe(before);
  });

  it("a JSON patch that is not a list of operations is 400", async () => {
    const name = unique("jsonpatch");
    await createConfigMap(name);
    for (const body of ["null", "{}", "[null]", '[{"op":7}]', '[{"op":"add","path":7}]']) {
      const res = await call("PATCH", `${configMaps}/${name}`, body, { contentType: "application/json-patch+json" });
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
    }
  });
});

describe("object keys are data", () => {
  const oddKeys = '{"__proto__":"p","constructor":"c","toString":"t","hasOwnProperty":"h"}';

  it("stores __proto__, constructor and toString as ConfigMap data keys and returns them exactly", async () => {
    const name = unique("proto");
    const res = await call("POST", configMaps, configMapText(name, `"data":${oddKeys}`));
    expect(res.status).toBe(201);
    const text = await (await call("GET", `${configMaps}/${name}`)).text();
    const data = JSON.parse(text).data;
    expect(Object.keys(data).sort()).toEqual(["__proto__", "constructor", "hasOwnProperty", "toString"]);
    expect(data.__proto__).toBe("p");
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });

  it("keeps them through every patch type", async () => {
    const name = unique("protopatch");
    await createConfigMap(name);
    const patches: [string, string][] = [
      ["application/merge-patch+json", '{"data":{"__proto__":"m"}}'],
      ["application/strategic-merge-patch+json", '{"data":{"constructor":"s"}}'],
      ["application/json-patch+json", '[{"op":"add","path":"/data/toString","value":"j"}]'],
    ];
    for (const [contentType, patch] of patches) expect((await call("PATCH", `${configMaps}/${name}`, patch, { contentType })).status).toBe(200);
    const data = JSON.parse(await (await call("GET", `${configMaps}/${name}`)).text()).data;
    expect(Object.entries(data).sort()).toEqual([["__proto__", "m"], ["a", "1"], ["constructor", "s"], ["toString", "j"]]);
  });

  it("stores them as Secret data and stringData keys", async () => {
    const name = unique("protosecret");
    const res = await call("POST", "/api/v1/namespaces/default/secrets", `{"metadata":{"name":"${name}"},"data":{"constructor":"Yw=="},"stringData":{"toString":"t","__proto__":"p"}}`);
    expect(res.status).toBe(201);
    const data = JSON.parse(await (await call("GET", `/api/v1/namespaces/default/secrets/${name}`)).text()).data;
    expect(Object.entries(data).sort()).toEqual([["__proto__", "cA=="], ["constructor", "Yw=="], ["toString", "dA=="]]);
  });

  it("stores constructor and toString as label and annotation keys, and refuses __proto__ as Kubernetes does", async () => {
    const name = unique("protolabel");
    const ok = await call("POST", configMaps, `{"metadata":{"name":"${name}","labels":{"constructor":"a","toString":"b"},"annotations":{"constructor":"c","valueOf":"d"}}}`);
    expect(ok.status).toBe(201);
    const meta = JSON.parse(await (await call("GET", `${configMaps}/${name}`)).text()).metadata;
    expect(meta.labels).toEqual({ constructor: "a", toString: "b" });
    expect(meta.annotations).toEqual({ constructor: "c", valueOf: "d" });
    for (const field of ["labels", "annotations"]) {
      const bad = unique("protobad");
      await expectRefused(await call("POST", configMaps, `{"metadata":{"name":"${bad}","${field}":{"__proto__":"x"}}}`), 422, `metadata.${field}`);
      expect(await stored(`${configMaps}/${bad}`)).toBeUndefined();
    }
  });
});

describe("limits as Kubernetes sets them", () => {
  it("a body over 3 MiB is 413 with the apiserver's words", async () => {
    const name = unique("huge");
    const res = await call("POST", configMaps, configMapText(name, `"data":{"a":"${"x".repeat(3 * 1024 * 1024)}"}`));
    await expectRefused(res, 413, "Request entity too large: limit is 3145728");
    expect(await stored(`${configMaps}/${name}`)).toBeUndefined();
  });

  it("an object over 1.5 MiB is 413 and not stored", async () => {
    const name = unique("fat");
    const manifest = daemonSet({ name });
    manifest.spec.template.spec.containers[0]!.command = Array.from({ length: 17 }, () => "x".repeat(100_000));
    await expectRefused(await call("POST", daemonSets, manifest), 413, "limit is 1572864");
    expect(await stored(`${daemonSets}/${name}`)).toBeUndefined();
  });

  it("annotations over 256 KiB in total are 422 naming metadata.annotations", async () => {
    const name = unique("annotated");
    const annotations = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, "x".repeat(60_000)]));
    const res = await call("POST", configMaps, { metadata: { name, annotations } });
    await expectRefused(res, 422, "metadata.annotations");
    expect(await stored(`${configMaps}/${name}`)).toBeUndefined();
  });

  it.each([
    ["a null container", (m: any) => (m.spec.template.spec.containers = [null]), "spec.template.spec.containers[0]"],
    ["a null command argument", (m: any) => (m.spec.template.spec.containers[0].command = ["sleep", null]), "spec.template.spec.containers[0].command[1]"],
    ["a null toleration", (m: any) => (m.spec.template.spec.tolerations = [null]), "spec.template.spec.tolerations[0]"],
    ["a null finalizer", (m: any) => (m.metadata.finalizers = [null]), "metadata.finalizers[0]"],
    ["a null label value", (m: any) => (m.metadata.labels = { a: null }), "metadata.labels[a]"],
    ["a null nodeSelector value", (m: any) => (m.spec.template.spec.nodeSelector = { zone: null }), "spec.template.spec.nodeSelector[zone]"],
  ])("%s is 422 naming the element, and nothing is stored", async (_what, mutate, field) => {
    const name = unique("nulls");
    const manifest = daemonSet({ name });
    mutate(manifest);
    await expectRefused(await call("POST", daemonSets, manifest), 422, field);
    expect(await stored(`${daemonSets}/${name}`)).toBeUndefined();
  });

  it("a null ConfigMap value is 422 naming data[a] (a device would otherwise get it)", async () => {
    const name = unique("nullvalue");
    await expectRefused(await call("POST", configMaps, { metadata: { name }, data: { a: null } }), 422, "data[a]");
    expect(await stored(`${configMaps}/${name}`)).toBeUndefined();
  });
});

describe("JSON patch limits, as the apiserver's", () => {
  it("copies that double the object are refused once they add 3 MiB", async () => {
    const name = unique("copies");
    const before = await createConfigMap(name, { a: "x".repeat(1000) });
    const doubling = Array.from({ length: 40 }, (_, i) => ({ op: "copy", from: "/metadata/annotations", path: `/metadata/annotations/d${i}` }));
    const res = await call("PATCH", `${configMaps}/${name}`, [{ op: "add", path: "/metadata/annotations", value: { a: "x".repeat(1000) } }, ...doubling], { contentType: "application/json-patch+json" });
    await expectRefused(res, 422, "the accumulated size increase of copy");
    expect((await stored(`${configMaps}/${name}`)).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it.each([
    ["m".repeat(129), "Too long: may not be more than 128 bytes"],
    ["bad\u0001manager", "must only contain printable characters"],
  ])("a fieldManager %# that Kubernetes refuses is 422 naming fieldManager", async (manager, message) => {
    const name = unique("manager");
    const before = await createConfigMap(name);
    const res = await call("PATCH", `${configMaps}/${name}?fieldManager=${encodeURIComponent(manager)}`, { data: { b: "2" } }, mergePatch);
    const status = await expectRefused(res, 422, "fieldManager");
    expect(status.message).toContain(message);
    expect((await stored(`${configMaps}/${name}`)).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it("more than 10000 operations is 413", async () => {
    const name = unique("manyops");
    await createConfigMap(name);
    const ops = Array.from({ length: 10_001 }, () => ({ op: "test", path: "/data/a", value: "1" }));
    await expectRefused(await call("PATCH", `${configMaps}/${name}`, ops, { contentType: "application/json-patch+json" }), 413, "The allowed maximum operations in a JSON patch is 10000, got 10001");
  });
});

describe("warnings", () => {
  it("an unknown field with a non-ASCII or control character name is a printable ASCII Warning", async () => {
    const name = unique("warned");
    const res = await call("POST", configMaps, configMapText(name, '"ünï\\u0001":1'));
    expect(res.status).toBe(201);
    expect(res.headers.get("Warning")).toBe('299 - "unknown field \\"\\u00fcn\\u00ef\\\\u0001\\""');
  });

  it("thousands of unknown fields give a bounded set of Warning headers, not thousands", async () => {
    const name = unique("chatty");
    const fields = Array.from({ length: 5000 }, (_, i) => `"f${i}${"x".repeat(300)}":1`).join(",");
    const res = await call("POST", configMaps, configMapText(name, fields));
    expect(res.status).toBe(201);
    expect((res.headers.get("Warning") ?? "").length).toBeLessThan(8 * 1024);
  });
});
