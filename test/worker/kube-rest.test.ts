/**
 * The Kubernetes REST surface inside workerd, at the level of what kubectl reads: discovery
 * documents and their content types, watch streams (headers at once, never compressed), Tables,
 * field validation warnings, the node Lease, the Events queries of `describe node`, paging and
 * Status errors.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDb } from "../../src/store/db.ts";
import { compact } from "../../src/store/objects.ts";
import { daemonSet } from "../support/manifests.ts";
import { call, enroll, json, unique } from "./helpers.ts";

const aggregatedAccept =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
const tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

/** Reads newline-delimited watch events until `count` arrived (or the stream ends). */
async function readEvents(body: ReadableStream<Uint8Array>, count: number): Promise<any[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const events: any[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = text.indexOf("\n")) >= 0) {
      events.push(JSON.parse(text.slice(0, newline)));
      text = text.slice(newline + 1);
    }
  }
  await reader.cancel();
  return events;
}

describe("discovery", () => {
  it("answers the aggregated Accept with the exact aggregated content type", async () => {
    for (const path of ["/api", "/apis"]) {
      const res = await call("GET", path, undefined, { accept: aggregatedAccept });
      expect(res.headers.get("content-type")).toBe("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
      expect(res.headers.get("vary")).toBe("Accept");
      expect((await json(res)).kind).toBe("APIGroupDiscoveryList");
    }
  });

  it("lists DaemonSets with short name and category in apps only, and leases read-only", async () => {
    const groups = (await json(await call("GET", "/apis", undefined, { accept: aggregatedAccept }))).items;
    const resource = (group: string, version: string, plural: string) =>
      groups.find((g: any) => g.metadata.name === group)?.versions.find((v: any) => v.version === version)?.resources.find((r: any) => r.resource === plural);
    expect(resource("apps", "v1", "daemonsets")).toMatchObject({ shortNames: ["ds"], categories: ["all"], scope: "Namespaced", responseKind: { group: "apps", version: "v1", kind: "DaemonSet" } });
    expect(resource("apps", "v1beta2", "daemonsets")).toMatchObject({ shortNames: ["ds"] });
    expect(resource("extensions", "v1beta1", "daemonsets").shortNames).toBeUndefined();
    expect(resource("coordination.k8s.io", "v1", "leases")).toMatchObject({ verbs: ["get", "list"], scope: "Namespaced" });
  });

  it("serves the legacy documents to clients that do not ask for aggregated discovery", async () => {
    expect((await json(await call("GET", "/api"))).versions).toEqual(["v1"]);
    const apps = await json(await call("GET", "/apis/apps/v1"));
    expect(apps.resources.map((r: any) => r.name)).toEqual(expect.arrayContaining(["daemonsets", "daemonsets/status", "controllerrevisions"]));
    expect((await call("GET", "/apis/nope/v1")).status).toBe(404);
  });
});

describe("watch", () => {
  it("sends headers at once, uncompressed even when the client accepts gzip, then the changes", async () => {
    const name = unique("watched");
    const list = await json(await call("GET", "/apis/apps/v1/namespaces/default/daemonsets"));
    const res = await call("GET", `/apis/apps/v1/namespaces/default/daemonsets?watch=true&resourceVersion=${list.metadata.resourceVersion}&fieldSelector=metadata.name%3D${name}`, undefined, {
      headers: { "Accept-Encoding": "gzip" },
    });
    // The response exists before anything changed: kubectl can abandon a watch whose headers came.
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("content-encoding")).toBe("identity");
    expect(res.headers.get("cache-control")).toContain("no-transform");
    await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name }));
    const [added] = await readEvents(res.body!, 1);
    expect(added).toMatchObject({ type: "ADDED", object: { kind: "DaemonSet", apiVersion: "apps/v1", metadata: { name } } });
  });

  it("streams one-row Tables to get -w", async () => {
    const name = unique("tabled");
    await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name }));
    const res = await call("GET", `/apis/apps/v1/namespaces/default/daemonsets?watch=true&resourceVersion=0&fieldSelector=metadata.name%3D${name}`, undefined, { accept: tableAccept });
    const [event] = await readEvents(res.body!, 1);
    expect(event.type).toBe("ADDED");
    expect(event.object.kind).toBe("Table");
    expect(event.object.rows).toHaveLength(1);
    expect(event.object.rows[0].cells[0]).toBe(name);
    expect(event.object.rows[0].object.metadata).toMatchObject({ name, namespace: "default" });
  });

  it("answers a version older than the kept tombstones with 410 Expired, so clients relist", async () => {
    const name = unique("compacted");
    await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name }));
    await call("DELETE", `/apis/apps/v1/namespaces/default/daemonsets/${name}`);
    await compact(openDb(env.DB), Date.now() + 16 * 60_000, 15 * 60_000);
    const res = await call("GET", "/apis/apps/v1/namespaces/default/daemonsets?watch=true&resourceVersion=1");
    expect(res.status).toBe(410);
    expect(await json(res)).toMatchObject({ kind: "Status", reason: "Expired", code: 410, message: expect.stringMatching(/^too old resource version: 1 \(\d+\)$/) });
  });

  it("answers a malformed resourceVersion with 400", async () => {
    const res = await call("GET", "/api/v1/namespaces/default/pods?watch=true&resourceVersion=abc");
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ kind: "Status", reason: "BadRequest" });
  });
});

describe("lists", () => {
  it("returns Tables with a PartialObjectMetadata per row, carrying namespace and labels", async () => {
    const name = unique("rows");
    await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name }));
    const table = await json(await call("GET", `/apis/apps/v1/namespaces/default/daemonsets?fieldSelector=metadata.name%3D${name}`, undefined, { accept: tableAccept }));
    expect(table.kind).toBe("Table");
    expect(table.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0].object).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: { name, namespace: "default" } });
  });

  it("carries full objects in Table rows when includeObject=Object (get --sort-by), none for None", async () => {
    const name = unique("sorted");
    await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name }));
    const path = `/apis/apps/v1/namespaces/default/daemonsets?fieldSelector=metadata.name%3D${name}`;
    const full = await json(await call("GET", `${path}&includeObject=Object`, undefined, { accept: tableAccept }));
    expect(full.rows[0].object).toMatchObject({ kind: "DaemonSet", apiVersion: "apps/v1", spec: { selector: { matchLabels: { app: name } } } });
    const none = await json(await call("GET", `${path}&includeObject=None`, undefined, { accept: tableAccept }));
    expect(none.rows[0].object).toBeUndefined();
    expect((await call("GET", `${path}&includeObject=All`, undefined, { accept: tableAccept })).status).toBe(400);
  });

  it("pages with limit and continue, and rejects a forged continue token", async () => {
    const prefix = unique("page");
    for (const i of [1, 2, 3]) {
      const body = daemonSet({ name: `${prefix}-${i}` }) as any;
      body.metadata.labels = { page: prefix };
      await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", body);
    }
    const first = await json(await call("GET", `/apis/apps/v1/namespaces/default/daemonsets?labelSelector=page%3D${prefix}&limit=2`));
    expect(first.items.map((d: any) => d.metadata.name)).toEqual([`${prefix}-1`, `${prefix}-2`]);
    const second = await json(await call("GET", `/apis/apps/v1/namespaces/default/daemonsets?labelSelector=page%3D${prefix}&limit=2&continue=${encodeURIComponent(first.metadata.continue)}`));
    expect(second.items.map((d: any) => d.metadata.name)).toEqual([`${prefix}-3`]);
    expect(second.metadata.continue).toBeUndefined();
    const forged = await call("GET", "/apis/apps/v1/namespaces/default/daemonsets?limit=2&continue=%%%");
    expect(forged.status).toBe(400);
  });

  it("rejects a field selector on a field the kind does not index", async () => {
    const res = await call("GET", "/apis/apps/v1/namespaces/default/daemonsets?fieldSelector=spec.foo%3Dx");
    expect(res.status).toBe(400);
    expect((await json(res)).message).toBe("field label not supported: spec.foo");
  });
});

describe("field validation", () => {
  it("warns about unknown fields with a Warning header under Warn", async () => {
    const body = daemonSet({ name: unique("warned") }) as any;
    body.spec.foo = 1;
    const res = await call("POST", "/apis/apps/v1/namespaces/default/daemonsets?fieldValidation=Warn", body);
    expect(res.status).toBe(201);
    expect(res.headers.get("warning")).toBe('299 - "unknown field \\"spec.foo\\""');
  });

  it("names the bare version under Strict, as the apiserver does", async () => {
    const body = daemonSet({ name: unique("strict") }) as any;
    body.spec.foo = 1;
    const res = await call("POST", "/apis/apps/v1/namespaces/default/daemonsets?fieldValidation=Strict", body);
    expect(res.status).toBe(400);
    expect((await json(res)).message).toBe('DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "spec.foo"');
  });
});

describe("nodes for describe node", () => {
  it("serves the node's Lease in kube-node-lease, and 404 for other names", async () => {
    const nodeName = unique("lease-node");
    await enroll(nodeName);
    const node = await json(await call("GET", `/api/v1/nodes/${nodeName}`));
    const lease = await json(await call("GET", `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${nodeName}`));
    expect(lease).toMatchObject({
      kind: "Lease",
      metadata: { name: nodeName, namespace: "kube-node-lease", ownerReferences: [{ kind: "Node", name: nodeName, uid: node.metadata.uid }] },
      spec: { holderIdentity: nodeName, leaseDurationSeconds: 40 },
    });
    expect(lease.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const missing = await call("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/nope");
    expect(missing.status).toBe(404);
    expect((await json(missing)).message).toBe('leases.coordination.k8s.io "nope" not found');
    const listed = await json(await call("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases"));
    expect(listed.items.map((l: any) => l.metadata.name)).toContain(nodeName);
    expect((await json(await call("GET", "/apis/coordination.k8s.io/v1/namespaces/default/leases"))).items).toEqual([]);
    expect((await call("DELETE", `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${nodeName}`)).status).toBe(405);
  });

  it("answers both Events queries describe node sends (namespace empty, uid or name)", async () => {
    const nodeName = unique("evented");
    await enroll(nodeName);
    await env.NODE_LIFECYCLE.getByName("node-lifecycle").sweep(Date.now() + 60_000);
    const node = await json(await call("GET", `/api/v1/nodes/${nodeName}`));
    const byUid = `involvedObject.kind%3DNode,involvedObject.uid%3D${node.metadata.uid},involvedObject.name%3D${nodeName},involvedObject.namespace%3D`;
    const events = await json(await call("GET", `/api/v1/events?fieldSelector=${byUid}&limit=500`));
    expect(events.items.map((e: any) => e.reason)).toContain("NodeNotReady");
    const byName = `involvedObject.namespace%3D,involvedObject.kind%3DNode,involvedObject.uid%3D${nodeName},involvedObject.name%3D${nodeName}`;
    expect((await call("GET", `/api/v1/events?fieldSelector=${byName}&limit=500`)).status).toBe(200);
  });
});

describe("Status errors", () => {
  it.each<[string, string, string, unknown, string | undefined, number, string]>([
    ["an unknown patch content type", "PATCH", "/api/v1/nodes/x", {}, "text/plain", 415, "UnsupportedMediaType"],
    ["a missing object", "GET", "/apis/apps/v1/namespaces/default/daemonsets/nope", undefined, undefined, 404, "NotFound"],
    ["a path naming no resource", "GET", "/apis/apps/v1/namespaces/default/widgets", undefined, undefined, 404, "NotFound"],
    ["a subresource that is not served (kubectl logs)", "GET", "/api/v1/namespaces/default/pods/x/log", undefined, undefined, 404, "NotFound"],
    ["a verb the resource lacks", "OPTIONS", "/apis/apps/v1/namespaces/default/daemonsets", undefined, undefined, 405, "MethodNotAllowed"],
  ])("%s", async (_name, method, path, body, contentType, code, reason) => {
    const res = await call(method, path, body, { contentType });
    expect(res.status).toBe(code);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await json(res)).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason, code });
  });

  it("is 401 Unauthorized without a token", async () => {
    const res = await call("GET", "/api/v1/nodes", undefined, { token: null });
    expect(res.status).toBe(401);
    expect(await json(res)).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
  });
});
