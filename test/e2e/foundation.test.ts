/**
 * The foundation, end to end: the real Worker, two real agents with different labels, a
 * DaemonSet with a nodeSelector created over HTTP, and workloads that start and stop on exactly
 * the nodes that match as labels change; then the DaemonSet's deletion stops them all.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findWorkloads, killWorkloads, removeStateDir, startAgent, workloadContainer, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { daemonSet } from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";

const marker = `e2e-foundation-${process.pid}`;
let cp: ControlPlane;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  cp = await startControlPlane();
  agents.push(await startAgent(cp, { nodeName: "shop-1", labels: { tier: "edge", site: "shop-1" } }));
  agents.push(await startAgent(cp, { nodeName: "shop-2", labels: { site: "shop-2" } }));
});

afterAll(async () => {
  for (const agent of agents) await agent.stop();
  killWorkloads(marker);
  agents.forEach(removeStateDir);
  await cp?.stop();
});

const nodesRunning = () => findWorkloads(marker).map((w) => w.node).sort();

describe("edgeset end to end", () => {
  it("runs the workload on exactly the matching nodes as labels change, and stops it with the DaemonSet", async () => {
    await waitFor("both nodes Ready", async () => {
      const nodes = (await cp.api("GET", "/api/v1/nodes")).json().items;
      return nodes.length === 2 && nodes.every((n: any) => n.status.conditions.some((c: any) => c.type === "Ready" && c.status === "True"));
    });
    const created = await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name: "probe", nodeSelector: { tier: "edge" }, containers: [workloadContainer(marker)] }));
    expect(created.status).toBe(201);

    await waitFor("the workload on shop-1 only", () => JSON.stringify(nodesRunning()) === JSON.stringify(["shop-1"]));
    await waitFor("the DaemonSet counting it ready", async () => {
      const status = (await cp.api("GET", "/apis/apps/v1/namespaces/default/daemonsets/probe")).json().status;
      return status?.desiredNumberScheduled === 1 && status.numberReady === 1 && status.numberAvailable === 1;
    });

    const relabel = await cp.mergePatch("/api/v1/nodes/shop-2", { metadata: { labels: { tier: "edge" } } });
    expect(relabel.status).toBe(200);
    await waitFor("a second workload on shop-2", () => JSON.stringify(nodesRunning()) === JSON.stringify(["shop-1", "shop-2"]));

    expect((await cp.mergePatch("/api/v1/nodes/shop-1", { metadata: { labels: { tier: null } } })).status).toBe(200);
    await waitFor("the workload gone from shop-1", () => JSON.stringify(nodesRunning()) === JSON.stringify(["shop-2"]));
    await waitFor("status counting one node", async () => {
      const status = (await cp.api("GET", "/apis/apps/v1/namespaces/default/daemonsets/probe")).json().status;
      return status?.desiredNumberScheduled === 1 && status.currentNumberScheduled === 1 && status.numberReady === 1;
    });

    expect((await cp.api("DELETE", "/apis/apps/v1/namespaces/default/daemonsets/probe")).status).toBe(200);
    await waitFor("every workload stopped", () => nodesRunning().length === 0);
    await waitFor("every pod gone", async () => (await cp.api("GET", "/api/v1/namespaces/default/pods")).json().items.length === 0);
  });
});

