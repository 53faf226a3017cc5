/**
 * Maintenance windows in device-local time end to end (docs/rollouts.md, "Device-side deferral"):
 * the real Worker, two real agents and real kubectl. One agent's `--maintenance-window` is set to
 * a window that does not include the present (computed from this machine's local time, which is
 * the agent's): an allow-defer DaemonSet rolls out on the other device, `kubectl rollout status`
 * returns, and the first keeps its old pod with `UpdateDeferred` saying until when. Restarted with
 * a window around the present, it updates.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { killWorkloads, removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { createKubectl, type Kubectl } from "../support/kubectl.ts";
import { waitFor } from "../support/wait.ts";

const marker = `e2e-window-${process.pid}`;
const fleet = `window-${process.pid}`;
let cp: ControlPlane;
let kubectl: Kubectl;
const agents = new Map<string, AgentProcess>();

/** `HH:MM-HH:MM` of local time, from `fromHours` to `toHours` hours after now. */
function windowFromNow(fromHours: number, toHours: number): string {
  const at = (hours: number) => {
    const d = new Date(Date.now() + hours * 3_600_000);
    return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
  };
  return `${at(fromHours)}-${at(toHours)}`;
}

const start = async (nodeName: string, extraArgs: string[] = [], stateDir?: string) => {
  agents.set(nodeName, await startAgent(cp, { nodeName, labels: { fleet }, extraArgs, ...(stateDir ? { stateDir } : {}) }));
};
const nodeOf = async (name: string) => (await cp.api("GET", `/api/v1/nodes/${name}`)).json();
const podsOf = async () => (await cp.api("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dwindowed")).json().items as any[];
const tagOn = async (node: string) => (await podsOf()).find((p) => p.spec.nodeName === node && !p.metadata.deletionTimestamp)?.spec.containers[0].command.at(-1);

beforeAll(async () => {
  cp = await startControlPlane();
  kubectl = createKubectl(cp);
  await start("mw-closed", ["--maintenance-window", windowFromNow(2, 3)]);
  await start("mw-open");
  for (const node of agents.keys()) await waitFor(`${node} Ready`, async () => (await nodeOf(node)).status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True"), 60_000);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") for (const agent of agents.values()) console.log(`--- ${agent.nodeName}\n${agent.output().slice(-3000)}`);
});

afterAll(async () => {
  await Promise.all([...agents.values()].map((agent) => agent.stop()));
  killWorkloads(marker);
  [...agents.values()].forEach(removeStateDir);
  kubectl?.cleanup();
  await cp?.stop();
});

const manifest = (tag: string) => ({
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name: "windowed", annotations: { "rollout.edgeset.dev/allow-defer": "true" } },
  spec: {
    selector: { matchLabels: { app: "windowed" } },
    updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: "windowed" } },
      spec: { nodeSelector: { fleet }, terminationGracePeriodSeconds: 1, containers: [{ name: "main", image: "busybox:1.36", command: ["sh", "-c", "while true; do sleep 1; done", `${marker}-${tag}`] }] },
    },
  },
});

const apply = async (tag: string) => {
  const res = await kubectl.run("apply", "-f", "-", { stdin: JSON.stringify(manifest(tag)) });
  expect(res.code, res.stderr).toBe(0);
};
const rolloutStatus = async () => {
  const res = await kubectl.run("rollout", "status", "ds/windowed", "--timeout=90s", { timeoutMs: 100_000 });
  expect(res.code, res.stderr).toBe(0);
};

it("updates a device only inside its maintenance window, without holding the rest of the fleet", async () => {
  // The first rollout creates pods: deferral only holds nodes on an old revision.
  await apply("v1");
  await rolloutStatus();
  const deferred = await waitFor("mw-closed reports UpdateDeferred", async () => (await nodeOf("mw-closed")).status?.conditions?.find((c: any) => c.type === "UpdateDeferred"));
  expect(deferred).toMatchObject({ status: "True", message: expect.stringMatching(/^until \S+Z: outside the maintenance window \d\d:\d\d-\d\d:\d\d \(device time\)$/) });
  const until = Date.parse(/^until (\S+):/.exec(deferred.message)![1]!);
  expect(until - Date.now()).toBeGreaterThan(3_600_000);
  expect(until - Date.now()).toBeLessThan(2 * 3_600_000 + 60_000);

  await apply("v2");
  await rolloutStatus();
  expect(await tagOn("mw-open")).toBe(`${marker}-v2`);
  expect(await tagOn("mw-closed")).toBe(`${marker}-v1`);
  const ds = (await cp.api("GET", "/apis/apps/v1/namespaces/default/daemonsets/windowed")).json();
  expect(ds.metadata.annotations["rollout.edgeset.dev/status"]).toContain("deferred=1");

  // The same device with a window around now: its update goes through.
  const closed = agents.get("mw-closed")!;
  await closed.stop();
  await start("mw-closed", ["--maintenance-window", windowFromNow(-1, 1)], closed.stateDir);
  await waitFor("mw-closed updated inside its window", async () => (await tagOn("mw-closed")) === `${marker}-v2`, 60_000);
  expect((await nodeOf("mw-closed")).status?.conditions?.find((c: any) => c.type === "UpdateDeferred")).toBeUndefined();
}, 240_000);
