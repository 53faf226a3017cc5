/**
 * Edge rollouts end to end (docs/rollouts.md): one control plane (node grace 6 s), four real
 * agents syncing every second, real kubectl and the edgeset CLI. Each test has its own DaemonSet,
 * so the first three run at once (none changes what the others' DaemonSets see: a canary label
 * only a selector reads, a deferral only allow-defer honours); skip-offline, which stops two
 * agents, runs alone after them:
 * - a canary ring (selector) updated first, the rest held until `edgeset rollout promote`;
 * - a bad revision (its process exits at once) stopped by the failure threshold and rolled back
 *   automatically, never more than the budget unavailable at any sampled moment;
 * - a device-side deferral (the workload's defer.json, cleared with `edgeset-agent defer --clear`)
 *   holding one device while the rest finish, and updated once it is cleared;
 * - skip-offline: two devices cut off (their agents SIGSTOPped) before the rollout; it finishes on
 *   the other two within the budget (kubectl rollout status returns), and completes on the two
 *   when they come back (SIGCONT).
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killWorkloads, removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { createKubectl, type Kubectl } from "../support/kubectl.ts";
import { daemonSet, defaultImage } from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";
import { describeStates, dumpState, observeRollout, workloadProcesses, type ObservedState } from "./rollout-observer.ts";

const marker = `e2e-edge-${process.pid}`;
const fleet = `edge-${process.pid}`;
const nodes = ["ro-1", "ro-2", "ro-3", "ro-4"];
const graceSeconds = 6;
const dsPath = (name: string) => `/apis/apps/v1/namespaces/default/daemonsets/${name}`;

let cp: ControlPlane;
let kubectl: Kubectl;
const agents = new Map<string, AgentProcess>();

const start = async (nodeName: string) => {
  agents.set(nodeName, await startAgent(cp, { nodeName, labels: { fleet } }));
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
  for (const agent of agents.values()) agent.process.kill("SIGCONT"); // a failed skip-offline test may leave two stopped
  await Promise.all([...agents.values()].map((agent) => agent.stop()));
  killWorkloads(marker);
  [...agents.values()].forEach(removeStateDir);
  kubectl?.cleanup();
  await cp?.stop();
});

const container = (tag: string, bad = false) => ({
  name: "main",
  image: defaultImage,
  command: bad ? ["sh", "-c", "exit 1", `${marker}-${tag}`] : ["sh", "-c", "while true; do sleep 1; done", `${marker}-${tag}`],
});

const create = async (name: string, annotations: Record<string, string>, maxUnavailable = 1) => {
  const tag = `${name}-v1`;
  const manifest = daemonSet({
    name,
    nodeSelector: { fleet },
    containers: [container(tag)],
    pod: { terminationGracePeriodSeconds: 2 },
    metadata: { annotations: { "kubernetes.io/change-cause": `deploy ${tag}`, ...annotations } },
    spec: { updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable } } },
  });
  const res = await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", manifest);
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

describe("edge rollouts across four agents", () => {
  describe.concurrent("on the whole fleet, one DaemonSet each", () => {
    it("a canary ring updates first; the rest is held until promoted", async ({ expect }) => {
      const name = `can-${process.pid}`;
      const label = await kubectl.run("label", "node", "ro-2", "ring=canary", "--overwrite");
      expect(label.code, label.stderr).toBe(0);
      await create(name, { "rollout.edgeset.dev/selector": "ring=canary" }, 2);
      expect((await release(name, `${name}-v2`)).status).toBe(200);
      const status = await edgeset("rollout", "status", name, "--timeout", "120s");
      expect(status.code, status.stdout + status.stderr).toBe(0);
      expect(status.stdout).toContain("held 3");
      const tags = tagsOn(name);
      expect(tags["ro-2"]).toBe(`${name}-v2`);
      expect(nodes.filter((n) => n !== "ro-2").every((n) => tags[n] === `${name}-v1`)).toBe(true);

      const promote = await edgeset("rollout", "promote", name);
      expect(promote.code, promote.stderr).toBe(0);
      await waitFor("v2 everywhere after promote", () => nodes.every((n) => tagsOn(name)[n] === `${name}-v2`), 120_000);
      // promote removed the last rollout annotation: plain Kubernetes status again, which kubectl follows.
      const done = await kubectl.run("rollout", "status", `ds/${name}`, "--timeout=60s", { timeoutMs: 70_000 });
      expect(done.code, done.stderr).toBe(0);
    }, 240_000);

    it("a bad revision stops at the failure threshold and is rolled back, never more than the budget unavailable", async ({ expect }) => {
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
    }, 240_000);

    it("a device-side deferral holds one device while the rest finish", async ({ expect }) => {
      const name = `def-${process.pid}`;
      await create(name, { "rollout.edgeset.dev/allow-defer": "true" }, 2);
      const deferred = agents.get("ro-3")!;
      // The workload's way: it writes the file itself (the operator's `defer --for` writes the same).
      writeFileSync(join(deferred.stateDir, "defer.json"), JSON.stringify({ until: new Date(Date.now() + 30 * 60_000).toISOString(), reason: "shop open" }));
      await waitFor("UpdateDeferred on ro-3", async () => (await cp.api("GET", "/api/v1/nodes/ro-3")).json().status?.conditions?.some((c: any) => c.type === "UpdateDeferred" && c.status === "True"), 30_000);
      expect((await release(name, `${name}-v2`)).status).toBe(200);
      const status = await kubectl.run("rollout", "status", `ds/${name}`, "--timeout=120s", { timeoutMs: 130_000 });
      expect(status.code, status.stderr).toBe(0);
      await waitFor("v2 on the other three", () => nodes.filter((n) => n !== "ro-3").every((n) => tagsOn(name)[n] === `${name}-v2`), 60_000);
      expect(tagsOn(name)["ro-3"]).toBe(`${name}-v1`);
      expect((await getDs(name)).metadata.annotations["rollout.edgeset.dev/status"]).toContain("deferred=1");

      // The operator's way to end it early; the cleared condition wakes the controller at once.
      const clear = await agentCli("defer", "--clear", "--state-dir", deferred.stateDir);
      expect(clear.code, clear.stderr).toBe(0);
      await waitFor("v2 on ro-3 once the deferral is cleared", () => tagsOn(name)["ro-3"] === `${name}-v2`, 60_000);
    }, 240_000);
  });

  it("skip-offline: two devices offline before the rollout; it finishes on the others and completes when they return", async () => {
    const name = `off-${process.pid}`;
    const offline = ["ro-3", "ro-4"];
    const online = nodes.filter((n) => !offline.includes(n));
    await create(name, { "rollout.edgeset.dev/skip-offline": "true" });
    // A device that loses its network: the agent stops syncing (SIGSTOP), its workload runs on.
    const pause = (signal: NodeJS.Signals) => offline.forEach((n) => agents.get(n)!.process.kill(signal));
    pause("SIGSTOP");
    for (const n of offline) await waitFor(`${n} Unknown`, async () => (await readyOf(n)) === "Unknown", 60_000);

    const observer = observeRollout(cp, { selector: `app=${name}`, nodes: online, minReadySeconds: 0, marker: `${marker}-${name}` });
    await waitFor("the observer's first state", () => observer.states().length > 0);
    expect((await release(name, `${name}-v2`)).status).toBe(200);
    const status = await kubectl.run("rollout", "status", `ds/${name}`, "--timeout=120s", { timeoutMs: 130_000 });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain("successfully rolled out");
    await waitFor("v2 on the online devices", () => online.every((n) => tagsOn(name)[n] === `${name}-v2`), 60_000);
    const states = await observer.stop();
    expect(maxOf(states, (s) => s.unavailableNodes.length), describeStates(states)).toBeLessThanOrEqual(1);
    const ds = await getDs(name);
    expect(ds.metadata.annotations["rollout.edgeset.dev/status"]).toContain("offline=2");
    expect((await progressing(name)).reason).toBe("RolloutHeld");
    const describe = await kubectl.run("describe", "ds", name);
    expect(describe.stdout).toContain("offline=2");
    expect(describe.stdout).toContain("rollout.edgeset.dev/skip-offline: true");

    pause("SIGCONT");
    await waitFor("v2 on every device once the two are back", () => nodes.every((n) => tagsOn(name)[n] === `${name}-v2`), 120_000);
    await waitFor("RolloutComplete", async () => (await progressing(name))?.reason === "RolloutComplete", 60_000);
  }, 240_000);
});
