/**
 * What a device reports is validated like what an operator sends: a report the Kubernetes API
 * would refuse is a 422 naming the field, nothing of it is stored, and what operators see
 * (`GET pods`, `kubectl label node`) keeps working. The cost of one sync is bounded whatever
 * it carries.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { daemonSet, pod } from "../support/manifests.ts";
import { bootstrapToken, call, countedSync, enroll, json, sync, unique } from "./helpers.ts";

const reconcile = (name: string) => env.DAEMONSET_CONTROLLER.getByName(`default/${name}`).reconcileNow({ namespace: "default", name });

/** A node with one assigned DaemonSet pod; returns its credential, the pod and the ETag. */
async function nodeWithPod() {
  const site = unique("site");
  const node = unique("dev");
  const credential = await enroll(node, { site });
  const ds = unique("ds");
  await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name: ds, nodeSelector: { site } }));
  await reconcile(ds);
  const assigned = await json(await sync(credential));
  const pod = assigned.pods[0];
  return { node, credential, pod, version: assigned.version as string };
}

const causes = async (res: Response) => ((await json(res)).details?.causes ?? []).map((c: { field: string }) => c.field);

describe("pod statuses from a device", () => {
  it.each([
    ["podIPs: [null]", { phase: "Running", podIPs: [null] }, "pods[0].status.podIPs[0]"],
    ["initContainerStatuses: [null]", { phase: "Running", initContainerStatuses: [null] }, "pods[0].status.initContainerStatuses[0]"],
    ["containerStatuses: [null]", { phase: "Running", containerStatuses: [null] }, "pods[0].status.containerStatuses[0]"],
    ["conditions: [null]", { phase: "Running", conditions: [null] }, "pods[0].status.conditions[0]"],
    ["a podIP that is no IP", { phase: "Running", podIP: "not-an-ip" }, "pods[0].status.podIP"],
    ["a restartCount of the wrong type", { phase: "Running", containerStatuses: [{ name: "main", ready: true, restartCount: "many", image: "x", imageID: "" }] }, "pods[0].status.containerStatuses[0].restartCount"],
  ])("%s is 422 naming the field, stores nothing, and GET pods stays 200", async (_what, status, field) => {
    const { credential, pod } = await nodeWithPod();
    const before = await json(await call("GET", `/api/v1/namespaces/default/pods/${pod.metadata.name}`));
    const res = await sync(credential, { node: {}, pods: [{ namespace: "default", name: pod.metadata.name, uid: pod.metadata.uid, status }] });
    expect(res.status).toBe(422);
    expect(await causes(res)).toContain(field);
    const after = await json(await call("GET", `/api/v1/namespaces/default/pods/${pod.metadata.name}`));
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect((await call("GET", "/api/v1/pods")).status).toBe(200);
    expect((await call("GET", "/api/v1/pods", undefined, { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" })).status).toBe(200);
  });

  it("a pod status over the per-pod limit is 422 and stores nothing", async () => {
    const { credential, pod } = await nodeWithPod();
    const huge = { phase: "Running", message: "x".repeat(3 * 1024 * 1024) };
    const res = await sync(credential, { node: {}, pods: [{ namespace: "default", name: pod.metadata.name, uid: pod.metadata.uid, status: huge }] });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-length") === null || Number(res.headers.get("content-length")) < 4096).toBe(true);
    const after = await json(await call("GET", `/api/v1/namespaces/default/pods/${pod.metadata.name}`));
    expect(after.status.message).toBeUndefined();
  });

  it("a status just under the per-pod limit is stored", async () => {
    const { credential, pod } = await nodeWithPod();
    const status = { phase: "Running", message: "y".repeat(16 * 1024) };
    const res = await sync(credential, { node: {}, pods: [{ namespace: "default", name: pod.metadata.name, uid: pod.metadata.uid, status }] });
    expect(res.status).toBe(200);
    const after = await json(await call("GET", `/api/v1/namespaces/default/pods/${pod.metadata.name}`));
    expect(after.status.message).toHaveLength(16 * 1024);
  });
});

describe("node status from a device", () => {
  it.each([
    ["capacity: {cpu: lots}", { capacity: { cpu: "lots" } }, "node.capacity[cpu]"],
    ["allocatable: {memory: -1Gi}", { allocatable: { memory: "-1Gi" } }, "node.allocatable[memory]"],
    ["an address with no address", { addresses: [{ type: "InternalIP", address: "" }] }, "node.addresses[0].address"],
  ])("%s is 422 naming the field, and the node stays editable", async (_what, report, field) => {
    const node = unique("cap");
    const credential = await enroll(node);
    const res = await sync(credential, { node: report, pods: [] });
    expect(res.status).toBe(422);
    expect(await causes(res)).toContain(field);
    const label = await call("PATCH", `/api/v1/nodes/${node}`, { metadata: { labels: { edited: "yes" } } }, { contentType: "application/merge-patch+json" });
    expect(label.status).toBe(200);
    const cordon = await call("PATCH", `/api/v1/nodes/${node}`, { spec: { unschedulable: true } }, { contentType: "application/strategic-merge-patch+json" });
    expect(cordon.status).toBe(200);
  });

  it("an enrolment reporting capacity: {cpu: lots} is 422 and creates no node", async () => {
    const node = unique("cap-enroll");
    const res = await call("POST", "/agent/v1/enroll", { nodeName: node, node: { capacity: { cpu: "lots" } } }, { token: await bootstrapToken() });
    expect(res.status).toBe(422);
    expect(await causes(res)).toContain("node.capacity[cpu]");
    expect((await call("GET", `/api/v1/nodes/${node}`)).status).toBe(404);
  });

  it("valid capacity is stored and the node stays editable", async () => {
    const node = unique("cap-ok");
    const credential = await enroll(node);
    expect((await sync(credential, { node: { capacity: { cpu: "4", memory: "8Gi", pods: "110" } }, pods: [] })).status).toBe(200);
    const label = await call("PATCH", `/api/v1/nodes/${node}`, { metadata: { labels: { edited: "yes" } } }, { contentType: "application/merge-patch+json" });
    expect(label.status).toBe(200);
    expect((await json(label)).status.capacity).toEqual({ cpu: "4", memory: "8Gi", pods: "110" });
  });
});

describe("the cost of one sync", () => {
  it("thousands of static pods in distinct namespaces are refused before any per-pod work", async () => {
    const node = unique("flood");
    const credential = await enroll(node);
    const staticPods = Array.from({ length: 3000 }, (_, i) => pod({ name: `p${i}`, namespace: `ns-${i}`, annotations: { "kubernetes.io/config.hash": "h" }, containers: [{ name: "c", image: "busybox" }] }));
    const { res, d1, objectCalls } = await countedSync(credential, { node: {}, pods: [], staticPods }, undefined, node);
    expect(res.status).toBe(422);
    expect(await causes(res)).toContain("staticPods");
    // Refused on the report's size alone: at most the credential read, no write, no controller woken.
    expect(d1.reads).toBeLessThanOrEqual(1);
    expect(d1.writes).toBe(0);
    expect(objectCalls).toEqual([]);
  });

  it("too many pods in one report is 422 naming pods", async () => {
    const credential = await enroll(unique("many"));
    const pods = Array.from({ length: 1001 }, (_, i) => ({ namespace: "default", name: `p${i}`, uid: `u${i}`, status: {} }));
    const res = await sync(credential, { node: {}, pods });
    expect(res.status).toBe(422);
    expect(await causes(res)).toContain("pods");
  });
});

describe("a Node nested deeper than the store's JSON functions allow", () => {
  it("does not make the device's syncs fail", async () => {
    const node = unique("deep");
    const credential = await enroll(node);
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 1200; i++) deep = { [`f:x${i % 3}`]: deep };
    const patch = await call(
      "PATCH",
      `/api/v1/nodes/${node}`,
      { metadata: { managedFields: [{ manager: "deep", operation: "Update", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: deep }] } },
      { contentType: "application/merge-patch+json" },
    );
    expect(patch.status).toBeLessThan(500);
    const res = await sync(credential, { node: { nodeInfo: { osImage: "deep" } }, pods: [] });
    expect(res.status).toBeLessThan(500);
  });
});

describe("enrolment", () => {
  const megabyte = () => ({ nodeName: "x", labels: Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`Bad Key ${i}!`, "v".repeat(20)])) });

  it.each([
    ["an unknown bootstrap token", "abcdef.0123456789abcdef"],
    ["no token", null],
  ])("with %s, a 1 MB body gets a small 401 before the body is read", async (_what, token) => {
    const body = JSON.stringify(megabyte());
    expect(body.length).toBeGreaterThan(1_000_000);
    const res = await call("POST", "/agent/v1/enroll", body, { token });
    expect(res.status).toBe(401);
    expect((await res.text()).length).toBeLessThan(2048);
  });

  it("with a valid token, a body over the enrolment limit is a small 413 and spends nothing", async () => {
    const token = await bootstrapToken({ ttlSeconds: 600, usages: 1 });
    const res = await call("POST", "/agent/v1/enroll", JSON.stringify(megabyte()), { token });
    expect(res.status).toBe(413);
    expect((await res.text()).length).toBeLessThan(2048);
    const name = unique("after-413");
    expect((await call("POST", "/agent/v1/enroll", { nodeName: name }, { token })).status).toBe(201);
  });

  it("too many labels is one 422 naming labels, not one cause per label", async () => {
    const labels = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`Bad Key ${i}!`, "v"]));
    const res = await call("POST", "/agent/v1/enroll", { nodeName: unique("labelled"), labels }, { token: await bootstrapToken() });
    expect(res.status).toBe(422);
    expect(await causes(res)).toEqual(["labels"]);
  });
});

describe("an operator's status write meets the rules a device report meets", () => {
  it("refuses podIPs [null] and a capacity that is no quantity through PUT .../status, and stores nothing", async () => {
    const nodeName = unique("status-put");
    await enroll(nodeName);
    const node = await json(await call("GET", `/api/v1/nodes/${nodeName}`));
    const badNode = await call("PUT", `/api/v1/nodes/${nodeName}/status`, { ...node, status: { ...node.status, capacity: { cpu: "lots" } } });
    expect(badNode.status).toBe(422);
    expect(JSON.stringify(await json(badNode))).toContain("status.capacity[cpu]");
    const pod = { metadata: { name: unique("p") }, spec: { nodeName, containers: [{ name: "main", image: "busybox:1.36" }] } };
    const created = await json(await call("POST", "/api/v1/namespaces/default/pods", pod));
    const badPod = await call("PUT", `/api/v1/namespaces/default/pods/${pod.metadata.name}/status`, { ...created, status: { phase: "Running", podIP: "10.0.0.1", podIPs: [{ ip: "10.0.0.1" }, { ip: "not an ip" }] } });
    expect(badPod.status).toBe(422);
    expect(JSON.stringify(await json(badPod))).toContain("status.podIPs[1]");
    const stored = await json(await call("GET", `/api/v1/namespaces/default/pods/${pod.metadata.name}`));
    expect(stored.status.podIPs).toBeUndefined();
    expect((await call("GET", "/api/v1/pods")).status).toBe(200);
  });
});
