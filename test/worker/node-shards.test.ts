/**
 * Node shards: the per-device hot state survives its Durable Object being evicted (no lease lost,
 * no healthy node marked Unknown), a node moved to another shard by a new shard count keeps its
 * credential, its pods and its lease, and a commit that changes a node's assignments reaches the
 * agent through its shard.
 */
import { agentMaxRetryWaitMs } from "../../src/protocol/agent.ts";
import { createExecutionContext, evictDurableObject, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import worker from "../../src/index.ts";
import { shardOf } from "../../src/controller/node-shard-state.ts";
import { nodeShardOf } from "../../src/controller/node-shards.ts";
import { daemonSet } from "../support/manifests.ts";
import { adminToken, call, countingD1, countingNamespace, enroll, json, unique } from "./helpers.ts";

const graceMs = 40_000;

/** A sync as the agent sends it (naming its node), with `NODE_SHARDS` and D1 counted. */
async function agentSync(node: string, credential: string, etag?: string, shards = "4") {
  const d1 = countingD1(env.DB);
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request("http://edgeset.test/agent/v1/sync", {
      method: "POST",
      headers: { Authorization: `Bearer ${credential}`, "X-Edgeset-Node": node, "Content-Type": "application/json", ...(etag ? { "If-None-Match": etag } : {}) },
      body: JSON.stringify({ node: {}, pods: [] }),
    }),
    { ...env, DB: d1.db, NODE_SHARDS: shards as "4" },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { res, d1: d1.counts };
}

const readyOf = async (node: string) => (await json(await call("GET", `/api/v1/nodes/${node}`))).status.conditions.find((c: any) => c.type === "Ready").status;

it("an evicted shard loses no lease and marks no healthy node Unknown", async () => {
  const node = unique("steady");
  const credential = await enroll(node, {});
  const version = (await json((await agentSync(node, credential)).res)).version;
  const { stub } = nodeShardOf(env, node);
  // The node has synced since the last checkpoint: the stored lease is long stale.
  await runInDurableObject(stub, (_i, state) => state.storage.sql.exec(`UPDATE nodes SET lease_renewed_at = ? WHERE name = ?`, Date.now() - 10 * graceMs, node));
  await evictDurableObject(stub);

  expect(await env.NODE_LIFECYCLE.getByName("node-lifecycle").sweep(Date.now())).not.toContain(node);
  await runDurableObjectAlarm(stub);
  expect(await readyOf(node)).toBe("True");
  // The first sync after the restart checks D1 once; the next is answered from memory again.
  expect((await agentSync(node, credential, version)).res.status).toBe(304);
  const again = await agentSync(node, credential, version);
  expect(again.res.status).toBe(304);
  expect(again.d1.reads).toBe(0);

  // The lease is still watched: silent for a grace period (plus the longest an agent waits between
  // retries, which a restart allows for) after the restart, the node turns Unknown.
  await evictDurableObject(stub);
  expect(await env.NODE_LIFECYCLE.getByName("node-lifecycle").sweep(Date.now() + graceMs + agentMaxRetryWaitMs + 1000)).toContain(node);
  expect(await readyOf(node)).toBe("Unknown");
});

it("a node moved to another shard keeps its credential, its pods and its lease", async () => {
  const site = unique("moving");
  // A name whose shard differs between 4 and 7 shards.
  let node = unique("nomad");
  while (shardOf(node, 4) === shardOf(node, 7)) node = unique("nomad");
  const credential = await enroll(node, { site });
  const ds = unique("mover");
  await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name: ds, nodeSelector: { site } }));
  await env.DAEMONSET_CONTROLLER.getByName(`default/${ds}`).reconcileNow({ namespace: "default", name: ds });
  const assigned = await json((await agentSync(node, credential)).res);
  expect(assigned.pods).toHaveLength(1);

  // The shard count changes: the new shard learns the node from D1 on its first sync.
  const moved = await agentSync(node, credential, undefined, "7");
  expect(moved.res.status).toBe(200);
  const there = await json(moved.res);
  expect(there.version).toBe(assigned.version);
  expect(there.pods.map((p: any) => p.metadata.uid)).toEqual(assigned.pods.map((p: any) => p.metadata.uid));
  expect((await agentSync(node, credential, there.version, "7")).d1.reads).toBe(0);

  // The old shard hands its lease over (its alarm does this with the configured count) and forgets the node.
  const old = env.NODE_SHARD.getByName(`shard:${shardOf(node, 4)}`);
  const lease = (await old.leaseOf(node))!;
  expect(await old.rebalance(7)).toBeGreaterThanOrEqual(1);
  expect(await old.leaseOf(node)).toBeUndefined();
  const adopted = await env.NODE_SHARD.getByName(`shard:${shardOf(node, 7)}`).leaseOf(node);
  expect(adopted!.leaseRenewedAt).toBeGreaterThanOrEqual(lease.leaseRenewedAt);
  expect(adopted!.ready).toBe("True");
});

it("a new pod for the node reaches its agent through the shard, with one D1 read for the download", async () => {
  const site = unique("told");
  const node = unique("listener");
  const credential = await enroll(node, { site });
  const first = await json((await agentSync(node, credential)).res);
  expect(first.pods).toEqual([]);
  const quiet = await agentSync(node, credential, first.version);
  expect(quiet.d1.reads).toBe(0);

  const ds = unique("news");
  await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name: ds, nodeSelector: { site } }));
  await env.DAEMONSET_CONTROLLER.getByName(`default/${ds}`).reconcileNow({ namespace: "default", name: ds });
  const told = await agentSync(node, credential, first.version);
  expect(told.res.status).toBe(200);
  expect((await json(told.res)).pods).toHaveLength(1);
});

it("a deleted node's credential stops working at once", async () => {
  const node = unique("gone");
  const credential = await enroll(node, {});
  const version = (await json((await agentSync(node, credential)).res)).version;
  expect((await agentSync(node, credential, version)).res.status).toBe(304);
  expect((await call("DELETE", `/api/v1/nodes/${node}`)).status).toBe(200);
  expect((await agentSync(node, credential, version)).res.status).toBe(401);
});

it("a node enrolled before the shards existed and silent since is still turned Unknown", async () => {
  const node = unique("legacy");
  await enroll(node, {});
  const { index, stub } = nodeShardOf(env, node);
  // As if enrolled before the upgrade: D1 has it, no shard does.
  await stub.restore([], [node]);
  expect(await stub.leaseOf(node)).toBeUndefined();
  const lifecycle = env.NODE_LIFECYCLE.getByName("node-lifecycle");
  await runInDurableObject(lifecycle, (_i, state) => state.storage.kv.delete("shardsSeeded"));
  expect(await lifecycle.sweep(Date.now() + graceMs + agentMaxRetryWaitMs + 1000)).toContain(node);
  expect(await readyOf(node)).toBe("Unknown");
  expect(index).toBe(shardOf(node, 4));
});

it("the node's Lease shows the live renewal from its shard, which D1 does not have (get: one shard call)", async () => {
  const node = unique("lease-live");
  await enroll(node);
  const path = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";
  const before = Date.parse((await json(await call("GET", `${path}/${node}`))).spec.renewTime);
  // A renewal in the shard only, as an unchanged sync makes (handed over, the later lease wins).
  const later = before + 60_000;
  const { index, stub } = nodeShardOf(env, node);
  await stub.adopt(index, [{ name: node, leaseRenewedAt: later }], later);
  const shards = countingNamespace(env.NODE_SHARD);
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://edgeset.test${path}/${node}`, { headers: { Authorization: `Bearer ${adminToken}` } }), { ...env, NODE_SHARD: shards.ns }, ctx);
  await waitOnExecutionContext(ctx);
  expect(Date.parse((await json(res)).spec.renewTime)).toBe(later);
  expect(shards.calls).toEqual(["leasesOf"]);
  const listed = (await json(await call("GET", path))).items.find((l: any) => l.metadata.name === node);
  expect(Date.parse(listed.spec.renewTime)).toBe(later);
});
