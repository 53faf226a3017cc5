/**
 * A DaemonSet over a fleet larger than one invocation's D1 budget: each run sends at most its
 * statement budget (a pod create is 3 statements) and hands the rest to its alarm, and the fleet
 * converges, planning more pods per pass than one run writes.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { openDb } from "../../src/store/db.ts";
import { listObjects } from "../../src/store/objects.ts";
import { commit, type Write } from "../../src/store/writes.ts";
import type { Node, Pod } from "../../src/resources/types.ts";
import { daemonSet } from "../support/manifests.ts";
import { burstPerPass, statementBudgetPerRun, type PlanningStats } from "../../src/controller/daemonset-controller.ts";
import { call, unique } from "./helpers.ts";

const fleetSize = 600;
const createsPerRun = Math.ceil(statementBudgetPerRun / 3);

it(`creates ${fleetSize} pods over several bounded runs`, async () => {
  const db = openDb(env.DB);
  const site = unique("big");
  const nodes: Write[] = Array.from({ length: fleetSize }, (_, i) => ({
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
  expect(afterFirstRun).toBeLessThanOrEqual(createsPerRun);

  let runs = 1;
  for (; runs < 20 && (await count()) < fleetSize; runs++) await runDurableObjectAlarm(stub);
  expect(await count()).toBe(fleetSize);
  // Every run but the last used its budget; the planner ran once per burst, not once per run.
  expect(runs).toBeLessThanOrEqual(Math.ceil(fleetSize / (createsPerRun - 5)) + 1);
  const stats: PlanningStats = await stub.planningStats();
  expect(stats.fullPasses + stats.localPasses).toBeLessThanOrEqual(Math.ceil(fleetSize / burstPerPass) + 2);
});
