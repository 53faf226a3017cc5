/**
 * A DaemonSet over a fleet larger than one invocation's D1 budget: each run applies a bounded
 * number of writes and hands the rest to its alarm, and the fleet converges.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { openDb } from "../../src/store/db.ts";
import { listObjects } from "../../src/store/objects.ts";
import { commit, type Write } from "../../src/store/writes.ts";
import type { Node, Pod } from "../../src/resources/types.ts";
import { daemonSet } from "../support/manifests.ts";
import { call, unique } from "./helpers.ts";

it("creates 300 pods over several bounded runs", async () => {
  const db = openDb(env.DB);
  const site = unique("big");
  const nodes: Write[] = Array.from({ length: 300 }, (_, i) => ({
    op: "create",
    object: { apiVersion: "v1", kind: "Node", metadata: { name: `${site}-${i}`, uid: crypto.randomUUID(), labels: { site } }, spec: {}, status: {} } as Node,
  }));
  for (let i = 0; i < nodes.length; i += 50) await commit(db, nodes.slice(i, i + 50), Date.now());

  const name = unique("fleetwide");
  await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name, nodeSelector: { site } }));
  const stub = env.DAEMONSET_CONTROLLER.getByName(`default/${name}`);
  await stub.reconcileNow({ namespace: "default", name });
  const count = async () => (await listObjects<Pod>(db, "Pod", { namespace: "default" })).items.filter((p) => p.metadata.ownerReferences?.[0]?.name === name).length;
  const afterFirstRun = await count();
  expect(afterFirstRun).toBeGreaterThan(0);
  expect(afterFirstRun).toBeLessThan(300);

  for (let i = 0; i < 20 && (await count()) < 300; i++) await runDurableObjectAlarm(stub);
  expect(await count()).toBe(300);
});
