/**
 * The cost rules of the device sync, measured: an unchanged sync is one request and one call to
 * its node shard, answered from memory: no D1 query and no write anywhere (no lease write either);
 * a changed report is written through once; a pod status change wakes only that pod's DaemonSet
 * controller.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { nodeShardOf } from "../../src/controller/node-shards.ts";
import { daemonSet, pod } from "../support/manifests.ts";
import { call, countedSync, enroll, json, unique } from "./helpers.ts";
import { join, nodeWithPod, waitingOffers } from "./session-helpers.ts";

/** What the node's shard has stored: its rows and its alarm (a write anywhere changes one of them). */
async function shardStorage(node: string) {
  const { stub } = nodeShardOf(env, node);
  return runInDurableObject(stub, async (_instance, state) => ({ rows: state.storage.sql.exec(`SELECT * FROM nodes ORDER BY name`).toArray(), alarm: await state.storage.getAlarm() }));
}

describe("sync cost", () => {
  it("an unchanged sync is one shard call: no D1 query, no write anywhere, no other Durable Object", async () => {
    const node = unique("quiet");
    const credential = await enroll(node, { role: "quiet" });
    const body = { node: { labels: { "kubernetes.io/hostname": node } }, pods: [] };
    const first = await countedSync(credential, body, undefined, node);
    expect(first.res.status).toBe(200);
    const version = (await json(first.res)).version;
    const before = await shardStorage(node);

    for (let i = 0; i < 3; i++) {
      const unchanged = await countedSync(credential, body, version, node);
      expect(unchanged.res.status).toBe(304);
      expect(unchanged.d1).toMatchObject({ reads: 0, writes: 0 });
      expect(unchanged.shardCalls).toEqual(["sync"]);
      expect(unchanged.objectCalls).toEqual([]);
    }
    expect(await shardStorage(node)).toEqual(before);
  });

  it("with a kubectl logs session waiting for another device, an unchanged sync still costs one shard call, no D1, no write; the waiting device learns of it at the same cost", async () => {
    const node = unique("bystander");
    const credential = await enroll(node, {});
    const body = { node: { labels: { "kubernetes.io/hostname": node } }, pods: [] };
    const version = (await json((await countedSync(credential, body, undefined, node)).res)).version;
    const busy = await nodeWithPod();
    const busyVersion = (await json((await countedSync(busy.credential, { node: {}, pods: [] }, undefined, busy.node)).res)).version;
    const answer = call("GET", `/api/v1/namespaces/default/pods/${busy.pod}/log`);
    const [offer] = await waitingOffers(busy.credential, busy.node);
    const before = await shardStorage(node);

    const unchanged = await countedSync(credential, body, version, node);
    expect(unchanged.res.status).toBe(304);
    expect(unchanged.res.headers.get("X-Edgeset-Sessions")).toBeNull();
    expect(unchanged.d1).toMatchObject({ reads: 0, writes: 0 });
    expect(unchanged.shardCalls).toEqual(["sync"]);
    expect(unchanged.objectCalls).toEqual([]);
    expect(await shardStorage(node)).toEqual(before);

    const told = await countedSync(busy.credential, { node: {}, pods: [] }, busyVersion, busy.node);
    expect(told.res.status).toBe(304);
    expect(told.res.headers.get("X-Edgeset-Sessions")).toBe("1");
    expect(told.d1).toMatchObject({ reads: 0, writes: 0 });
    expect(told.shardCalls).toEqual(["sync"]);

    // The device answers, so nothing is left waiting.
    const socket = await join(busy.credential, busy.node, offer.id);
    socket.send(JSON.stringify({ status: 404, message: "gone" }));
    expect((await answer).status).toBe(404);
  });

  it("an agent that does not name its node pays one D1 read and one shard call, and writes nothing", async () => {
    const node = unique("older");
    const credential = await enroll(node, {});
    const first = await countedSync(credential, { node: {}, pods: [] });
    const unchanged = await countedSync(credential, { node: {}, pods: [] }, (await json(first.res)).version);
    expect(unchanged.res.status).toBe(304);
    expect(unchanged.d1).toMatchObject({ reads: 1, writes: 0 });
    expect(unchanged.shardCalls).toEqual(["sync"]);
  });

  it("a sync naming another node, or with a wrong secret, is refused", async () => {
    const node = unique("honest");
    const other = unique("victim");
    const credential = await enroll(node, {});
    await enroll(other, {});
    await countedSync(credential, { node: {}, pods: [] }, undefined, node);
    expect((await countedSync(credential, { node: {}, pods: [] }, undefined, other)).res.status).toBe(401);
    const forged = credential.replace(/.{4}$/, "zzzz");
    expect((await countedSync(forged, { node: {}, pods: [] }, undefined, node)).res.status).toBe(401);
    expect((await countedSync(credential, { node: {}, pods: [] }, undefined, "Not_A_Name")).res.status).toBe(400);
  });

  it("a changed report is written through once, then costs nothing again", async () => {
    const node = unique("chatty");
    const credential = await enroll(node, {});
    const first = await countedSync(credential, { node: {}, pods: [] }, undefined, node);
    const version = (await json(first.res)).version;
    const changed = await countedSync(credential, { node: { nodeInfo: { osImage: "Debian 12" } }, pods: [] }, version, node);
    expect(changed.res.status).toBe(304);
    expect(changed.d1.writes).toBeGreaterThan(0);
    expect(changed.shardCalls).toEqual(["sync", "remember"]);
    const again = await countedSync(credential, { node: { nodeInfo: { osImage: "Debian 12" } }, pods: [] }, version, node);
    expect(again.d1).toMatchObject({ reads: 0, writes: 0 });
    expect(again.res.status).toBe(304);
    const stored = await json(await call("GET", `/api/v1/nodes/${node}`));
    expect(stored.status.nodeInfo.osImage).toBe("Debian 12");
  });

  it("a pod status change wakes only its own DaemonSet's controller", async () => {
    const site = unique("site");
    const credential = await enroll(unique("busy"), { site });
    const names = [unique("one"), unique("two")];
    for (const name of names) {
      await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name, nodeSelector: { site } }));
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
    const staticPods = Array.from({ length: 1000 }, (_, i) =>
      pod({ name: `p${i}-${node}`, namespace: `flood-${i}`, annotations: { "kubernetes.io/config.hash": "h" }, containers: [{ name: "c", image: "busybox" }] }),
    );
    const started = Date.now();
    const flood = await countedSync(credential, { node: {}, pods: [], staticPods });
    const elapsed = Date.now() - started;
    expect(flood.res.status).toBe(200);
    // Reads: the credential, the node and its pods (one batch), the namespaces of the first 50 static
    // pods (one statement), the assignments (one batch of 3). The 1000 namespaces are never looked up.
    const namespaceReads = flood.d1.statements.filter((sql) => /select/i.test(sql) && /"kind" = \?/i.test(sql) && /"name" in/i.test(sql));
    expect(namespaceReads).toHaveLength(1);
    expect(flood.d1.reads).toBe(7);
    console.log(`sync with 1000 static pods in 1000 namespaces: ${flood.d1.reads} reads, ${flood.d1.writes} writes, ${elapsed} ms`);
  });
});

