/**
 * The agent's workloads, end to end with the real Worker and a real agent: an HTTP readiness
 * probe that passes only after a delay (the DaemonSet's numberReady follows), a liveness probe
 * that fails and gets the process restarted, and the agent killed with SIGKILL and started again
 * without a second copy of any workload.
 */
import { createServer } from "node:net";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Container } from "../../src/resources/k8s-types.ts";
import { findWorkloads, killWorkloads, removeStateDir, startAgent, workloadContainer, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { startLink, type Link } from "../support/link.ts";
import { daemonSet } from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";

const marker = `e2e-agent-workloads-${process.pid}`;
const aliveFile = join(tmpdir(), `${marker}-alive`);
let cp: ControlPlane;
let agent: AgentProcess;
let link: Link;

beforeAll(async () => {
  cp = await startControlPlane();
  link = await startLink(cp);
  agent = await startAgent(cp, { nodeName: "kiosk-1", labels: { role: "kiosk" }, link });
});

afterAll(async () => {
  await agent?.stop();
  killWorkloads(marker);
  if (agent) removeStateDir(agent);
  rmSync(aliveFile, { force: true });
  await link?.close();
  await cp?.stop();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function createDaemonSet(name: string, container: Container): Promise<void> {
  const res = await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name, nodeSelector: { role: "kiosk" }, containers: [container], pod: { terminationGracePeriodSeconds: 1 } }));
  expect(res.status).toBe(201);
}

const status = async (name: string) => (await cp.api("GET", `/apis/apps/v1/namespaces/default/daemonsets/${name}`)).json().status;
const podOf = async (app: string) => (await cp.api("GET", `/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`)).json().items[0];
const pids = (tag: string) => findWorkloads(`${marker}-${tag}`).map((w) => w.pid);

describe("agent workloads end to end", () => {
  it("holds readiness back until the HTTP readiness probe passes, and the DaemonSet's numberReady follows", async () => {
    const port = await freePort();
    const server = `setTimeout(() => require("http").createServer((q, s) => s.end("ok")).listen(${port}, "127.0.0.1"), 4000)`;
    await createDaemonSet("kiosk-web", {
      name: "web",
      image: "node:20-alpine",
      command: [process.execPath, "-e", server, `${marker}-web`],
      readinessProbe: { httpGet: { path: "/", port }, periodSeconds: 1, failureThreshold: 1 },
    });
    await waitFor("the pod running but not ready", async () => {
      const pod = await podOf("kiosk-web");
      return pod?.status?.phase === "Running" && pod.status.conditions.some((c: any) => c.type === "Ready" && c.status === "False");
    });
    expect((await status("kiosk-web")).numberReady).toBe(0);
    await waitFor("numberReady 1 once the server answers", async () => (await status("kiosk-web"))?.numberReady === 1);
    const pod = await podOf("kiosk-web");
    expect(pod.status.containerStatuses[0]).toMatchObject({ ready: true, started: true, restartCount: 0 });
  });

  it("restarts a process whose liveness probe fails", async () => {
    await createDaemonSet("kiosk-live", {
      name: "main",
      image: "busybox:1.36",
      command: ["sh", "-c", `touch ${aliveFile}; while true; do sleep 1; done`, `${marker}-live`],
      livenessProbe: { exec: { command: ["test", "-f", aliveFile] }, periodSeconds: 1, failureThreshold: 2 },
    });
    const [first] = await waitFor("the process", () => (pids("live").length === 1 ? pids("live") : undefined));
    rmSync(aliveFile);
    const [second] = await waitFor("a new process after the liveness failure", () => (pids("live").length === 1 && pids("live")[0] !== first ? pids("live") : undefined));
    expect(second).not.toBe(first);
    await waitFor("restartCount 1 reported", async () => (await podOf("kiosk-live"))?.status?.containerStatuses?.[0]?.restartCount === 1);
    const restarted = (await podOf("kiosk-live")).status.containerStatuses[0];
    expect(restarted.lastState.terminated).toMatchObject({ reason: "Error" });
    expect(restarted.state.running).toBeDefined();
  });

  it("adopts every workload after a SIGKILL instead of starting a second copy", async () => {
    // Its own two DaemonSets, one with a readiness probe: nothing here depends on the tests above.
    await createDaemonSet("kiosk-one", workloadContainer(`${marker}-one`));
    await createDaemonSet("kiosk-two", { ...workloadContainer(`${marker}-two`), readinessProbe: { exec: { command: ["true"] }, periodSeconds: 1 } });
    await waitFor("both ready", async () => (await status("kiosk-one"))?.numberReady === 1 && (await status("kiosk-two"))?.numberReady === 1);
    const before = { one: pids("one"), two: pids("two") };
    expect([before.one.length, before.two.length]).toEqual([1, 1]);
    await agent.stop("SIGKILL");
    agent = await startAgent(cp, { nodeName: "kiosk-1", stateDir: agent.stateDir, bootstrapToken: "", link });
    await waitFor("the agent adopting both", () => ["one", "two"].every((app) => new RegExp(`pod default/kiosk-${app}-\\S+: adopted container`).test(agent.output())));
    // Three answered syncs after the restart: whatever the agent would start, it would have started.
    await link.waitForSyncs("kiosk-1", 3);
    expect({ one: pids("one"), two: pids("two") }).toEqual(before);
    await waitFor("still counted ready", async () => (await status("kiosk-one"))?.numberReady === 1 && (await status("kiosk-two"))?.numberReady === 1);
  });
});
