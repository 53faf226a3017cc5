/**
 * Edge autonomy: with the control plane down, a restarted agent keeps its workload running from
 * its saved state (adopting the live process, never starting a second one), and reports truthfully
 * once the control plane is back.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { findWorkloads, killWorkloads, removeStateDir, startAgent, workloadContainer, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { startLink, type Link } from "../support/link.ts";
import { daemonSet } from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";

const marker = `e2e-autonomy-${process.pid}`;
let cp: ControlPlane;
let agent: AgentProcess;
let link: Link;

beforeAll(async () => {
  cp = await startControlPlane();
  link = await startLink(cp);
  agent = await startAgent(cp, { nodeName: "truck-7", labels: { fleet: "trucks" }, link });
});

afterAll(async () => {
  await agent?.stop();
  killWorkloads(marker);
  if (agent) removeStateDir(agent);
  await link?.close();
  await cp?.stop();
});

it("keeps the workload running through a control plane outage and an agent restart", async () => {
  await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name: "telemetry", nodeSelector: { fleet: "trucks" }, containers: [workloadContainer(marker)] }));
  const first = await waitFor("the workload running", () => {
    const found = findWorkloads(marker);
    return found.length === 1 ? found[0] : undefined;
  });

  await cp.down();
  await agent.stop("SIGKILL");
  expect(findWorkloads(marker).map((w) => w.pid)).toEqual([first.pid]);

  // The agent comes back while the control plane is still down: it starts from its saved state.
  agent = await startAgent(cp, { nodeName: "truck-7", stateDir: agent.stateDir, bootstrapToken: "", link });
  await waitFor("the agent to load its saved state", () => /saved pod/.test(agent.output()));
  // The agent converges on its saved state before its first sync: two failed rounds later, it has.
  await link.waitForAttempts("truck-7", 2);
  expect(findWorkloads(marker).map((w) => w.pid)).toEqual([first.pid]);

  await cp.up();
  await waitFor("the control plane to see the pod running and ready again", async () => {
    const pods = (await cp.api("GET", "/api/v1/namespaces/default/pods")).json().items;
    return pods.length === 1 && pods[0].status.conditions?.some((c: any) => c.type === "Ready" && c.status === "True");
  });
  expect(findWorkloads(marker).map((w) => w.pid)).toEqual([first.pid]);
});
