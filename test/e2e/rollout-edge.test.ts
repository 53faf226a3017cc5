/**
 * Edge rollouts end to end (docs/rollouts.md): one control plane (node grace 6 s), five real
 * agents, real kubectl and the edgeset CLI. Each test has its own DaemonSet:
 * - skip-offline: two devices stopped before the rollout; it finishes on the other three within
 *   the budget (kubectl rollout status returns), and completes on the two when they come back;
 * - a canary ring (selector) updated first, the rest held until `edgeset rollout promote`;
 * - a bad revision (its process exits at once) stopped by the failure threshold and rolled back
 *   automatically, never more than the budget unavailable at any sampled moment;
 * - a device-side deferral (`edgeset-agent defer`) holding one device while the rest finish.
 */
import { spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killWorkloads, removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { createKubectl, type Kubectl } from "../support/kubectl.ts";
import { waitFor } from "../support/wait.ts";
import { describeStates, dumpState, observeRollout, workloadProcesses, type ObservedState } from "./rollout-observer.ts";

const marker = `e2e-edge-${process.pid}`;
const fleet = `edge-${process.pid}`;
const nodes = ["ro-1", "ro-2", "ro-3", "ro-4", "ro-5"];
const graceSeconds = 6;
const dsPath = (name: string) => `/apis/apps/v1/namespaces/default/daemonsets/${name}`;

let cp: ControlPlane;
let kubectl: Kubectl;
const agents = new Map<string, AgentProcess>();

const start = async (nodeName: string, stateDir?: string) => {
  agents.set(nodeName, await startAgent(cp, { nodeName, labels: { fleet }, ...(stateDir ? { stateDir } : {}) }));
};
const readyOf = async (node: string) =>
  (await cp.api("GET", `/api/v1/nodes/${node}`)).json().status?.conditions?.find((c: any) => c.type === "Ready")?.status;

beforeAll(async () => {
  cp = await startControlPlane({ nodeGraceSeconds: graceSeconds });
  kubectl = createKubectl(cp);
  await Promise.all(nodes.map((node) => start(node)));
  for (const node of nodes) await waitFor(`${node} Ready`, async () => (await readyOf(node)) === "True", 60_000);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") console.log(await dumpState(cp, [...agents.values()]));
});

afterAll(async () => {
  await Promise.all([...agents.values()].map((agent) => agent.stop()));
  killWorkloads(marker);
  [...agents.values()].forEach(removeStateDir);
  kubectl?.cleanup();
  await cp?.stop();
});

const container = (tag: string, bad = false) => ({
  name: "main",
  image: "busybox:1.36",
  command: bad ? ["sh", "-c", "exit 1", `${marker}-${tag}`] : ["sh", "-c", "while true; do sleep 1; done", `${marker}-${tag}`],
});

function daemonSet(name: string, tag: string, annotations: Record<string, string>, maxUnavailable = 1) {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, annotations: { "kubernetes.io/change-cause": `deploy ${tag}`, ...annotations } },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable } },
      template: { metadata: { labels: { app: name } }, spec: { nodeSelector: { fleet }, terminationGracePeriodSeconds: 2, containers: [container(tag)] } },
    },
  };
}

const create = async (name: string, annotations: Record<string, string>, maxUnavailable = 1) => {
  const res = await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet(name, `${name}-v1`, annotations, maxUnavailable));
  expect(res.status, res.body).toBe(201);
  await waitFor(`${name} v1 everywhere`, () => nodes.every((n) => tagsOn(name)[n] === `${name}-v1`), 90_000);
  // The processes run before their pods are reported Ready: a rollout observed from here on must
  // start from a fleet that is available, not from pods still Pending.
  await waitFor(`${name} v1 available everywhere`, async () => (await getDs(name)).status?.numberAvailable === nodes.length, 60_000);
};
const release = (name: string, tag: string, bad = false) =>
  cp.mergePatch(dsPath(name), { metadata: { annotations: { "kubernetes.io/change-cause": `deploy ${tag}` } }, spec: { template: { spec: { containers: [container(tag, bad)] } } } });

/** The version tag of the workload process running on each node, for one DaemonSet. */
function tagsOn(name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of workloadProcesses(`${marker}-${name}-`)) out[w.node] = (w.cmdline.find((a) => a.startsWith(marker)) ?? "").slice(marker.length + 1);
  return out;
}
const getDs = async (name: string) => (await cp.api("GET", dsPath(name))).json();
const progressing = async (name: string) => (await getDs(name)).status?.conditions?.find((c: any) => c.type === "Progressing");

/** Runs `npm run edgeset -- args` against the control plane, through kubectl's kubeconfig. */
function edgeset(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(["bin/edgeset.ts", ...args, "--kubeconfig", kubectl.kubeconfig]);
}
function agentCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(["agent/main.ts", ...args]);
}
function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 150_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

const maxOf = (states: readonly ObservedState[], f: (s: ObservedState) => number) => Math.max(0, ...states.map(f));

describe("edge rollouts across five agents", () => {
  it("skip-offline: two devices offline before the rollout; it finishes on the others and completes when they return", async () => {
    const name = `off-${process.pid}`;
    await create(name, { "rollout.edgeset.dev/skip-offline": "true" });
    const offline = ["ro-4", "ro-5"];
    const stateDirs = offline.map((n) => agents.get(n)!.stateDir);
    await Promise.all(offline.map((n) => agents.get(n)!.stop()));
    let back = false;
    const bringBack = async () => {
      if (back) return;
      back = true;
      await Promise.all(offline.map((n, i) => start(n, stateDirs[i])));
    };
    try {
      await rolloutWithTwoOffline();
      await bringBack();
      await waitFor("v2 on every device once the two are back", () => nodes.every((n) => tagsOn(name)[n] === `${name}-v2`), 120_000);
      await waitFor("RolloutComplete", async () => (await progressing(name))?.reason === "RolloutComplete", 60_000);
    } finally {
      // The other tests need the whole fleet.
      await bringBack();
      for (const n of offline) await waitFor(`${n} Ready again`, async () => (await readyOf(n)) === "True", 60_000);
    }
  }, 420_000);

  async function rolloutWithTwoOffline() {
    const name = `off-${process.pid}`;
    const offline = ["ro-4", "ro-5"];
    for (const n of offline) await waitFor(`${n} Unknown`, async () => (await readyOf(n)) === "Unknown", 60_000);

    const observer = observeRollout(cp, { selector: `app=${name}`, nodes: nodes.filter((n) => !offline.includes(n)), minReadySeconds: 0, marker: `${marker}-${name}` });
    await waitFor("the observer's first state", () => observer.states().length > 0);
    expect((await release(name, `${name}-v2`)).status).toBe(200);
    const status = await kubectl.run("rollout", "status", `ds/${name}`, "--timeout=120s", { timeoutMs: 130_000 });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain("successfully rolled out");
    await waitFor("v2 on the three online devices", () => ["ro-1", "ro-2", "ro-3"].every((n) => tagsOn(name)[n] === `${name}-v2`), 60_000);
    const states = await observer.stop();
    expect(maxOf(states, (s) => s.unavailableNodes.length), describeStates(states)).toBeLessThanOrEqual(1);
    const ds = await getDs(name);
    expect(ds.metadata.annotations["rollout.edgeset.dev/status"]).toContain("offline=2");
    expect((await progressing(name)).reason).toBe("RolloutHeld");
    const describe = await kubectl.run("describe", "ds", name);
    expect(describe.stdout).toContain("offline=2");
    expect(describe.stdout).toContain("rollout.edgeset.dev/skip-offline: true");
  }

  it("a canary ring updates first; the rest is held until promoted", async () => {
    const name = `can-${process.pid}`;
    const label = await kubectl.run("label", "node", "ro-2", "ring=canary", "--overwrite");
    expect(label.code, label.stderr).toBe(0);
    await create(name, { "rollout.edgeset.dev/selector": "ring=canary" });
    expect((await release(name, `${name}-v2`)).status).toBe(200);
    const status = await edgeset("rollout", "status", name, "--timeout", "120s");
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toContain("held 4");
    const tags = tagsOn(name);
    expect(tags["ro-2"]).toBe(`${name}-v2`);
    expect(nodes.filter((n) => n !== "ro-2").every((n) => tags[n] === `${name}-v1`)).toBe(true);

    const promote = await edgeset("rollout", "promote", name);
    expect(promote.code, promote.stderr).toBe(0);
    await waitFor("v2 everywhere after promote", () => nodes.every((n) => tagsOn(name)[n] === `${name}-v2`), 120_000);
    const done = await edgeset("rollout", "status", name, "--timeout", "60s");
    expect(done.code, done.stdout + done.stderr).toBe(0);
  }, 420_000);

  it("a bad revision stops at the failure threshold and is rolled back, never more than the budget unavailable", async () => {
    const name = `bad-${process.pid}`;
    await create(name, { "rollout.edgeset.dev/failure-threshold": "50%", "rollout.edgeset.dev/auto-rollback": "true" });
    const observer = observeRollout(cp, { selector: `app=${name}`, nodes, minReadySeconds: 0, marker: `${marker}-${name}` });
    await waitFor("the observer's first state", () => observer.states().length > 0);
    expect((await release(name, `${name}-v2`, true)).status).toBe(200);
    await waitFor("the template rolled back", async () => JSON.stringify((await getDs(name)).spec.template.spec.containers[0].command).includes(`${name}-v1`), 120_000);
    await waitFor("v1 running everywhere again", () => nodes.every((n) => tagsOn(name)[n] === `${name}-v1`), 120_000);
    await waitFor("every node available on v1", async () => (await getDs(name)).status?.numberAvailable === nodes.length, 60_000);
    const states = await observer.stop();
    const trace = describeStates(states);
    expect(maxOf(states, (s) => s.unavailableNodes.length), trace).toBeLessThanOrEqual(1);
    const ds = await getDs(name);
    expect(ds.metadata.annotations["kubernetes.io/change-cause"]).toBe(`deploy ${name}-v1`);
    const rolledBack = ds.status.conditions.find((c: any) => c.type === "RolledBack");
    expect(rolledBack).toMatchObject({ status: "True", reason: "AutoRollback" });
    const events = (await cp.api("GET", `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${name}`)}`)).json().items;
    expect(events.some((e: any) => e.type === "Warning" && e.reason === "RolloutRolledBack" && e.message.includes("FailureThresholdExceeded"))).toBe(true);
  }, 420_000);

  it("a device-side deferral holds one device while the rest finish", async () => {
    const name = `def-${process.pid}`;
    await create(name, { "rollout.edgeset.dev/allow-defer": "true" });
    const deferred = agents.get("ro-3")!;
    const defer = await agentCli("defer", "--for", "30m", "--reason", "shop open", "--state-dir", deferred.stateDir);
    expect(defer.code, defer.stderr).toBe(0);
    await waitFor("UpdateDeferred on ro-3", async () => (await cp.api("GET", "/api/v1/nodes/ro-3")).json().status?.conditions?.some((c: any) => c.type === "UpdateDeferred" && c.status === "True"), 30_000);
    expect((await release(name, `${name}-v2`)).status).toBe(200);
    const status = await kubectl.run("rollout", "status", `ds/${name}`, "--timeout=120s", { timeoutMs: 130_000 });
    expect(status.code, status.stderr).toBe(0);
    await waitFor("v2 on the other four", () => nodes.filter((n) => n !== "ro-3").every((n) => tagsOn(name)[n] === `${name}-v2`), 60_000);
    expect(tagsOn(name)["ro-3"]).toBe(`${name}-v1`);
    expect((await getDs(name)).metadata.annotations["rollout.edgeset.dev/status"]).toContain("deferred=1");

    const clear = await agentCli("defer", "--clear", "--state-dir", deferred.stateDir);
    expect(clear.code, clear.stderr).toBe(0);
    await waitFor("v2 on ro-3 once the deferral is cleared", () => tagsOn(name)["ro-3"] === `${name}-v2`, 90_000);
  }, 420_000);
});
