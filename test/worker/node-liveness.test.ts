/**
 * Node liveness: a node that stops syncing for the grace period turns Ready=Unknown with the
 * unreachable taints, its pods turn not Ready, and the next sync makes it Ready again.
 */
import { agentMaxRetryWaitMs } from "../../src/protocol/agent.ts";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { daemonSet } from "../support/manifests.ts";
import { call, enroll, json, sync, unique } from "./helpers.ts";



it("a silent node turns Unknown, its pods not Ready, and comes back with its next sync", async () => {
  const site = unique("site");
  const nodeName = unique("van");
  const credential = await enroll(nodeName, { site });
  const ds = unique("logger");
  await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name: ds, nodeSelector: { site } }));
  const controller = env.DAEMONSET_CONTROLLER.getByName(`default/${ds}`);
  await controller.reconcileNow({ namespace: "default", name: ds });
  const assigned = await json(await sync(credential, { node: {}, pods: [] }));
  const pod = assigned.pods[0];
  const running = {
    node: {},
    pods: [{ namespace: "default", name: pod.metadata.name, uid: pod.metadata.uid, status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } }],
  };
  await sync(credential, running, assigned.version);

  // Past the grace period, and the longest retry wait a fresh shard allows its devices.
  const marked = await env.NODE_LIFECYCLE.getByName("node-lifecycle").sweep(Date.now() + 40_000 + agentMaxRetryWaitMs + 1000);
  expect(marked).toContain(nodeName);
  const node = await json(await call("GET", `/api/v1/nodes/${nodeName}`));
  expect(node.status.conditions.find((c: any) => c.type === "Ready")).toMatchObject({ status: "Unknown", reason: "NodeStatusUnknown" });
  expect(node.spec.taints.map((t: any) => `${t.key}:${t.effect}`).sort()).toEqual(["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"]);
  const stale = await json(await call("GET", `/api/v1/namespaces/default/pods/${pod.metadata.name}`));
  expect(stale.status.conditions.find((c: any) => c.type === "Ready").status).toBe("False");
  const events = await json(await call("GET", `/api/v1/events?fieldSelector=involvedObject.name%3D${nodeName}`));
  expect(events.items.map((e: any) => e.reason)).toContain("NodeNotReady");

  // The same report as before the outage is written through again: the node is back.
  await sync(credential, running, assigned.version);
  const back = await json(await call("GET", `/api/v1/nodes/${nodeName}`));
  expect(back.status.conditions.find((c: any) => c.type === "Ready").status).toBe("True");
  expect(back.spec.taints ?? []).toEqual([]);
  const fresh = await json(await call("GET", `/api/v1/namespaces/default/pods/${pod.metadata.name}`));
  expect(fresh.status.conditions.find((c: any) => c.type === "Ready").status).toBe("True");
  // The pod stayed on its node throughout (daemon pods tolerate unreachable:NoExecute).
  expect(fresh.metadata.deletionTimestamp).toBeUndefined();
});

it("a sync that read the node before the lifecycle marked it Unknown writes nothing", async () => {
  const { openDb } = await import("../../src/store/db.ts");
  const { findNodeAgent, markNodeAgentUnknown, renewLease } = await import("../../src/store/node-agents.ts");
  const { commit, PreconditionFailed } = await import("../../src/store/writes.ts");
  const db = openDb(env.DB);
  const nodeName = unique("racer");
  await enroll(nodeName, {});
  const seen = (await findNodeAgent(db, nodeName))!;
  // The lifecycle wins the race...
  await commit(db, [{ op: "statement", statement: markNodeAgentUnknown(db, nodeName, Date.now() + 1), mustChange: true }], Date.now());
  // ...so the sync's lease renewal, based on what it read before, must not claim the node is Ready.
  await expect(
    commit(db, [{ op: "statement", statement: renewLease(db, nodeName, { now: Date.now(), statusDigest: "stale" }, seen), mustChange: true }], Date.now()),
  ).rejects.toBeInstanceOf(PreconditionFailed);
  expect((await findNodeAgent(db, nodeName))!.ready).toBe("Unknown");
});

it("turns a whole site Unknown over bounded sweeps, keeping its alarm armed throughout", async () => {
  const { runInDurableObject } = await import("cloudflare:test");
  const site = unique("outage");
  const names = Array.from({ length: 30 }, (_, i) => `${site}-${i}`);
  for (const name of names) await enroll(name, { site });
  const lifecycle = env.NODE_LIFECYCLE.getByName("node-lifecycle");
  const later = Date.now() + 40_000 + agentMaxRetryWaitMs + 1000;
  const first = await lifecycle.sweep(later);
  expect(first.length).toBe(25);
  const alarm = await runInDurableObject(lifecycle, (_i, state) => state.storage.getAlarm());
  expect(alarm).not.toBeNull();
  const second = await lifecycle.sweep(later);
  expect(new Set([...first, ...second]).size).toBeGreaterThanOrEqual(30);
  for (const name of names) {
    const node = await json(await call("GET", `/api/v1/nodes/${name}`));
    expect(node.status.conditions.find((c: any) => c.type === "Ready").status).toBe("Unknown");
  }
});

it("after the control plane was away (its alarm fires long past its time), no node is judged by that time", async () => {
  const nodeName = unique("patient");
  await enroll(nodeName);
  // The device's lease is ten minutes old: the control plane was not running to receive its syncs.
  await env.DB.prepare(`UPDATE node_agents SET lease_renewed_at = ? WHERE name = ?`).bind(Date.now() - 600_000, nodeName).run();
  const lifecycle = env.NODE_LIFECYCLE.getByName("node-lifecycle");
  await runInDurableObject(lifecycle, async (_instance, state) => {
    state.storage.kv.put("alarmAt", Date.now() - 300_000);
    await state.storage.setAlarm(Date.now() - 300_000);
  });
  expect(await runDurableObjectAlarm(lifecycle)).toBe(true);
  const node = await json(await call("GET", `/api/v1/nodes/${nodeName}`));
  expect(node.status.conditions.find((c: any) => c.type === "Ready").status).not.toBe("Unknown");
  // A whole grace period later, a device that is still silent is judged as usual.
  expect(await lifecycle.sweep(Date.now() + 40_000 + agentMaxRetryWaitMs + 1000)).toContain(nodeName);
});
