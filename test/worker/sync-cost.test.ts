/**
 * The cost rules of the device sync, measured: an unchanged sync is one request, at most one D1
 * read, no D1 write and no Durable Object call; the lease is written only when its renew interval
 * has passed; a pod status change wakes only that pod's DaemonSet controller.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { call, countingD1, countingNamespace, daemonSetManifest, enroll, json, unique } from "./helpers.ts";


/** One sync through the real app with counting bindings. */
async function countedSync(credential: string, body: unknown, etag?: string) {
  const d1 = countingD1(env.DB);
  const controllers = countingNamespace(env.DAEMONSET_CONTROLLER);
  const lifecycle = countingNamespace(env.NODE_LIFECYCLE);
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request("http://edgeset.test/agent/v1/sync", {
      method: "POST",
      headers: { Authorization: `Bearer ${credential}`, "Content-Type": "application/json", ...(etag ? { "If-None-Match": etag } : {}) },
      body: JSON.stringify(body),
    }),
    { ...env, DB: d1.db, DAEMONSET_CONTROLLER: controllers.ns, NODE_LIFECYCLE: lifecycle.ns },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { res, d1: d1.counts, objectCalls: [...controllers.calls, ...lifecycle.calls] };
}

describe("sync cost", () => {
  it("an unchanged sync reads one row, writes nothing and calls no Durable Object", async () => {
    const node = unique("quiet");
    const credential = await enroll(node, { role: "quiet" });
    const body = { node: { labels: { "kubernetes.io/hostname": node } }, pods: [] };
    const first = await countedSync(credential, body);
    expect(first.res.status).toBe(200);
    const version = (await json(first.res)).version;

    const unchanged = await countedSync(credential, body, version);
    expect(unchanged.res.status).toBe(304);
    expect(unchanged.d1.reads).toBe(1);
    expect(unchanged.d1.writes).toBe(0);
    expect(unchanged.objectCalls).toEqual([]);
  });

  it("a changed report is written through once, then costs nothing again", async () => {
    const node = unique("chatty");
    const credential = await enroll(node, {});
    const first = await countedSync(credential, { node: {}, pods: [] });
    const version = (await json(first.res)).version;
    const changed = await countedSync(credential, { node: { nodeInfo: { osImage: "Debian 12" } }, pods: [] }, version);
    expect(changed.res.status).toBe(304);
    expect(changed.d1.writes).toBeGreaterThan(0);
    const again = await countedSync(credential, { node: { nodeInfo: { osImage: "Debian 12" } }, pods: [] }, version);
    expect(again.d1).toMatchObject({ reads: 1, writes: 0 });
    const stored = await json(await call("GET", `/api/v1/nodes/${node}`));
    expect(stored.status.nodeInfo.osImage).toBe("Debian 12");
  });

  it("a pod status change wakes only its own DaemonSet's controller", async () => {
    const site = unique("site");
    const credential = await enroll(unique("busy"), { site });
    const names = [unique("one"), unique("two")];
    for (const name of names) {
      await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSetManifest(name, { nodeSelector: { site } }));
      await env.DAEMONSET_CONTROLLER.getByName(`default/${name}`).reconcileNow({ namespace: "default", name });
    }
    const assigned = await json((await countedSync(credential, { node: {}, pods: [] })).res);
    expect(assigned.pods).toHaveLength(2);
    const pod = assigned.pods.find((p: any) => p.metadata.ownerReferences[0].name === names[0]);
    const report = { namespace: "default", name: pod.metadata.name, uid: pod.metadata.uid, status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } };
    const ready = await countedSync(credential, { node: {}, pods: [report] }, assigned.version);
    expect(ready.objectCalls).toEqual(["poke"]);
  });

  it("the most static pods a sync may carry, each in its own namespace, cost a bounded number of statements", async () => {
    const node = unique("static-flood");
    const credential = await enroll(node, {});
    const staticPods = Array.from({ length: 1000 }, (_, i) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: `p${i}-${node}`, namespace: `flood-${i}`, annotations: { "kubernetes.io/config.hash": "h" } },
      spec: { containers: [{ name: "c", image: "busybox" }] },
    }));
    const started = Date.now();
    const flood = await countedSync(credential, { node: {}, pods: [], staticPods });
    const elapsed = Date.now() - started;
    expect(flood.res.status).toBe(200);
    // Reads: the credential, the node and its pods (one batch), the namespaces of the first 50 static
    // pods (one statement), the assignments (one batch of 3). The 1000 namespaces are never looked up.
    const namespaceReads = flood.d1.statements.filter((sql) => /select/i.test(sql) && /"kind" = \?/i.test(sql) && /"name" in/i.test(sql));
    expect(namespaceReads).toHaveLength(1);
    expect(flood.d1.reads).toBe(7);
    expect(elapsed).toBeLessThan(3000);
    console.log(`sync with 1000 static pods in 1000 namespaces: ${flood.d1.reads} reads, ${flood.d1.writes} writes, ${elapsed} ms`);
  });
});

