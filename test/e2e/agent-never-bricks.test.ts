/**
 * The agent never bricks itself (issue 10): a ConfigMap value of `null` (which today's API refuses,
 * but an older control plane stored), mounted by a pod, and a corrupt saved state, end to end with the real Worker and a real agent.
 * The agent keeps running, leaves the bad key out (and says so), runs the other pods, and starts
 * again with what it saved.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PodSpec } from "../../src/resources/k8s-types.ts";
import { findWorkloads, killWorkloads, removeStateDir, startAgent, workloadContainer, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { daemonSet } from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";

const marker = `e2e-never-bricks-${process.pid}`;
let cp: ControlPlane;
let agent: AgentProcess;

beforeAll(async () => {
  cp = await startControlPlane();
  agent = await startAgent(cp, { nodeName: "sturdy-1", labels: { role: "sturdy" } });
});

afterAll(async () => {
  await agent?.stop();
  killWorkloads(marker);
  if (agent) removeStateDir(agent);
  await cp?.stop();
});

async function createDaemonSet(name: string, spec: Partial<PodSpec> & Pick<PodSpec, "containers">): Promise<void> {
  const res = await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name, nodeSelector: { role: "sturdy" }, pod: { terminationGracePeriodSeconds: 1, ...spec } }));
  expect(res.status).toBe(201);
}

const podOf = async (app: string) => (await cp.api("GET", `/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`)).json().items[0];
const running = async (app: string) => (await podOf(app))?.status?.phase === "Running";
const alive = () => agent.process.exitCode === null && agent.process.signalCode === null;

describe("an agent given what it cannot apply", () => {
  it("runs a pod that mounts a ConfigMap holding a null value, and the pods beside it", async () => {
    const created = await cp.api("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "nullish" }, data: { a: "soon null", b: "kept" } });
    expect(created.status).toBe(201);
    expect((await cp.api("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "refused" }, data: { a: null } })).status).toBe(422);
    cp.sql(`UPDATE objects SET body = json_set(body, '$.data.a', json('null')) WHERE kind = 'ConfigMap' AND name = 'nullish'`);
    await createDaemonSet("with-null", {
      volumes: [{ name: "cfg", configMap: { name: "nullish" } }],
      containers: [{ ...workloadContainer(`${marker}-null`), volumeMounts: [{ name: "cfg", mountPath: "/etc/cfg" }] }],
    });
    await createDaemonSet("beside", { containers: [workloadContainer(`${marker}-beside`)] });
    await waitFor("both pods running", async () => (await running("with-null")) && (await running("beside")));
    expect(alive()).toBe(true);
    expect(findWorkloads(`${marker}-beside`)).toHaveLength(1);
    expect(agent.output()).toMatch(/ConfigMap default\/nullish: data\[a\]: Invalid value: null: must be a string/);
  });

  it("starts again with those assignments saved, and with a corrupt state file", async () => {
    const before = [...findWorkloads(`${marker}-null`), ...findWorkloads(`${marker}-beside`)].map((w) => w.pid).sort();
    expect(before).toHaveLength(2);
    await agent.stop("SIGKILL");
    agent = await startAgent(cp, { nodeName: "sturdy-1", stateDir: agent.stateDir, bootstrapToken: "" });
    await waitFor("the agent adopting both workloads", () => (agent.output().match(/adopted container/g) ?? []).length >= 2);
    expect(alive()).toBe(true);

    await agent.stop("SIGKILL");
    writeFileSync(join(agent.stateDir, "assignments.json"), '{"version": "v1", "pods": [{"metadata": ');
    agent = await startAgent(cp, { nodeName: "sturdy-1", stateDir: agent.stateDir, bootstrapToken: "" });
    await waitFor("the corrupt file moved aside", () => /moved aside to assignments\.json\.corrupt/.test(agent.output()));
    await waitFor("the first sync bringing the assignments back", () => /assignments changed/.test(agent.output()));
    await waitFor("both pods running again", async () => (await running("with-null")) && (await running("beside")));
    expect(alive()).toBe(true);
    const after = [...findWorkloads(`${marker}-null`), ...findWorkloads(`${marker}-beside`)].map((w) => w.pid).sort();
    expect(after).toEqual(before);
  });
});
