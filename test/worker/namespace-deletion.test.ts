import { describe, expect, it } from "vitest";
import { daemonSet } from "../support/manifests.ts";
import { call, enroll, env, json, sync, unique } from "./helpers.ts";

const sweep = () => env.NODE_LIFECYCLE.getByName("node-lifecycle").sweep();

/** The namespace's state after background work settled: polls a few times, as kubectl --wait does. */
async function namespaceAfter(name: string, until: (status: number, body: any) => boolean): Promise<{ status: number; body: any }> {
  for (let i = 0; ; i++) {
    const res = await call("GET", `/api/v1/namespaces/${name}`);
    const result = { status: res.status, body: await res.json() };
    if (until(result.status, result.body) || i >= 50) return result;
    await sweep();
  }
}

describe("deleting a namespace", () => {
  it("stays Terminating while a pod runs on its device, refuses new content, and goes once the device confirms", async () => {
    const ns = unique("shop");
    const node = unique("dev");
    const credential = await enroll(node);
    expect((await call("POST", "/api/v1/namespaces", { metadata: { name: ns } })).status).toBe(201);
    expect((await call("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: "conf" }, data: { a: "1" } })).status).toBe(201);
    expect((await call("POST", `/apis/apps/v1/namespaces/${ns}/daemonsets`, daemonSet({ name: "agent-ds" }))).status).toBe(201);
    const bare = { metadata: { name: "bare" }, spec: { nodeName: node, containers: [{ name: "main", image: "busybox:1.36" }] } };
    expect((await call("POST", `/api/v1/namespaces/${ns}/pods`, bare)).status).toBe(201);
    const assigned = await json(await sync(credential));
    const pod = assigned.pods.find((p: any) => p.metadata.namespace === ns && p.metadata.name === "bare");
    expect(pod).toBeDefined();

    const deleted = await call("DELETE", `/api/v1/namespaces/${ns}`);
    expect(deleted.status).toBe(200);
    expect((await json(deleted)).status.phase).toBe("Terminating");

    const terminating = await namespaceAfter(ns, (_status, body) => body.status?.phase === "Terminating");
    expect(terminating.status).toBe(200);
    const refused = await call("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: "late" } });
    expect(refused.status).toBe(403);
    expect((await json(refused)).message).toContain(`unable to create new content in namespace ${ns} because it is being terminated`);

    // Everything but the pod on its device goes at once; the pod is being deleted gracefully.
    await sweep();
    expect((await call("GET", `/api/v1/namespaces/${ns}/configmaps/conf`)).status).toBe(404);
    expect((await call("GET", `/apis/apps/v1/namespaces/${ns}/daemonsets/agent-ds`)).status).toBe(404);
    const stopping = await json(await sync(credential, { node: {}, pods: [] }, assigned.version));
    expect(stopping.pods.find((p: any) => p.metadata.uid === pod.metadata.uid)?.metadata.deletionTimestamp).toBeDefined();
    expect((await namespaceAfter(ns, () => false)).status).toBe(200);

    // The device confirms (the bare pod, and the DaemonSet's if it got there first): they go, then the namespace.
    const stopped = stopping.pods.filter((p: any) => p.metadata.namespace === ns).map((p: any) => p.metadata.uid);
    expect((await sync(credential, { node: {}, pods: [], terminated: stopped })).status).toBe(200);
    const gone = await namespaceAfter(ns, (status) => status === 404);
    expect(gone.status).toBe(404);
    expect((await call("GET", `/api/v1/namespaces/${ns}/pods/bare`)).status).toBe(404);
  });

  it("goes at once when nothing in it runs on a device", async () => {
    const ns = unique("empty");
    await call("POST", "/api/v1/namespaces", { metadata: { name: ns } });
    await call("POST", `/api/v1/namespaces/${ns}/secrets`, { metadata: { name: "s" }, stringData: { k: "v" } });
    await call("POST", `/api/v1/namespaces/${ns}/pods`, { metadata: { name: "unbound" }, spec: { containers: [{ name: "main", image: "busybox:1.36" }] } });
    expect((await call("DELETE", `/api/v1/namespaces/${ns}`)).status).toBe(200);
    expect((await namespaceAfter(ns, (status) => status === 404)).status).toBe(404);
    expect((await call("GET", `/api/v1/namespaces/${ns}/pods/unbound`)).status).toBe(404);
  });
});
