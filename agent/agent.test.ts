import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NodeReport } from "../src/protocol/agent.ts";
import type { Pod } from "../src/resources/types.ts";
import { Agent } from "./agent.ts";
import type { AgentConfig } from "./cli/flags.ts";
import { ProcessRuntime } from "./runtime/process/process-runtime.ts";
import { StateStore } from "./state/state-store.ts";
import { ControlPlaneClient } from "./sync/control-plane-client.ts";
import { FakeControlPlane, type RecordedRequest } from "./testing/fake-control-plane.ts";
import { makePod } from "./testing/pods.ts";
import { isAlive, killRecordedGroups, waitFor } from "./testing/wait.ts";

const node: NodeReport = {
  labels: { "kubernetes.io/hostname": "edge-test", "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64" },
  addresses: [
    { type: "InternalIP", address: "10.9.8.7" },
    { type: "Hostname", address: "edge-test" },
  ],
  capacity: { cpu: "2", memory: "1024Ki", pods: "110" },
  runtimes: ["process"],
};

let dir: string;
let cp: FakeControlPlane;
let logs: string[];
let agents: Agent[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "edgeset-agent-"));
  cp = new FakeControlPlane();
  await cp.listen(0);
  logs = [];
  agents = [];
});

afterEach(async () => {
  for (const agent of agents) await agent.stop(false);
  await cp.close();
  killRecordedGroups(join(dir, "pods"));
  rmSync(dir, { recursive: true, force: true });
});

async function startAgent(overrides: Partial<AgentConfig> = {}): Promise<{ agent: Agent; runtime: ProcessRuntime }> {
  const config: AgentConfig = {
    server: cp.url,
    bootstrapToken: cp.bootstrapToken,
    nodeName: "edge-test",
    labels: { zone: "a" },
    stateDir: dir,
    syncIntervalSeconds: 10,
    runtime: "process",
    stopPodsOnExit: false,
    ...overrides,
  };
  const log = (line: string) => logs.push(line);
  const store = new StateStore(dir);
  const runtime = new ProcessRuntime({ rootDir: store.podsDir, log, pollIntervalMs: 50, minimumGracePeriodSeconds: 0 });
  const agent = new Agent({
    config,
    runtime,
    store,
    client: new ControlPlaneClient({ server: config.server }),
    log,
    readNodeReport: () => node,
    random: () => 0.5,
    syncBackoff: { initialMs: 50, maxMs: 200 },
    syncIntervalBounds: { minSeconds: 0.1, maxSeconds: 3600 },
    debounceMs: 50,
  });
  agents.push(agent);
  await agent.start();
  return { agent, runtime };
}

function podReport(request: RecordedRequest, uid: string) {
  return FakeControlPlane.parse(request).pods.find((p) => p.uid === uid);
}

function isRunningReady(request: RecordedRequest, uid: string): boolean {
  const status = podReport(request, uid)?.status;
  return status?.phase === "Running" && status.conditions?.find((c) => c.type === "Ready")?.status === "True";
}

function pidOf(runtime: ProcessRuntime, uid: string): number {
  const id = runtime.listPods().find((p) => p.uid === uid)?.containers[0]?.containerID;
  return Number(id?.replace("process://", ""));
}

const web = makePod("web", { uid: "u-web", command: ["sleep", "1000"] });

describe("agent against a fake control plane", { timeout: 30_000 }, () => {
  it("enrolls, runs its pod, reports it Running and Ready, then sends the same bytes and gets 304", async () => {
    cp.setPods([web]);
    const { runtime } = await startAgent();

    await waitFor(() => cp.syncs()[0], 5000, "the first sync, after enrollment");
    const enroll = cp.enrolls()[0];
    expect(enroll.authorization).toBe(`Bearer ${cp.bootstrapToken}`);
    expect(JSON.parse(enroll.body)).toEqual({ nodeName: "edge-test", labels: { zone: "a" }, node });
    const credentialFile = join(dir, "credential.json");
    expect(statSync(credentialFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(credentialFile, "utf8"))).toMatchObject({ credential: "node-credential-1", nodeName: "edge-test" });

    const index = await waitFor(() => {
      const syncs = cp.syncs();
      const i = syncs.findIndex((r) => isRunningReady(r, "u-web"));
      return i >= 0 && i + 1 < syncs.length && i + 1;
    }, 5000, "a Running/Ready report and the sync after it");
    const syncs = cp.syncs();
    const [reported, next] = [syncs[index - 1], syncs[index]];
    expect(reported.authorization).toBe("Bearer node-credential-1");
    expect(next.body).toBe(reported.body);
    expect(next.ifNoneMatch).toBe("v2");
    expect(next.status).toBe(304);

    const status = podReport(reported, "u-web")?.status;
    expect(status).toMatchObject({ hostIP: "10.9.8.7", podIP: "10.9.8.7" });
    expect(status?.containerStatuses?.[0]).toMatchObject({
      name: "main",
      ready: true,
      started: true,
      restartCount: 0,
      image: "process",
      containerID: `process://${pidOf(runtime, "u-web")}`,
    });
    expect(JSON.parse(readFileSync(join(dir, "assignments.json"), "utf8"))).toMatchObject({ version: "v2", pods: [web] });
    expect(logs.some((l) => l.includes("enrolled as node edge-test"))).toBe(true);
    expect(logs.join("\n")).not.toContain(cp.bootstrapToken);
    expect(logs.join("\n")).not.toContain("node-credential-1");
  });

  it("reports a local change promptly instead of waiting for the interval", async () => {
    cp.syncIntervalSeconds = 30;
    cp.setPods([makePod("flaky", { uid: "u-flaky", restartPolicy: "Never", command: ["sh", "-c", "sleep 0.5; exit 2"] })]);
    await startAgent();
    const failed = await waitFor(() => cp.syncs().find((r) => podReport(r, "u-flaky")?.status.phase === "Failed"), 3000, "the Failed report");
    expect(podReport(failed, "u-flaky")?.status.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 2, reason: "Error" });
  });

  it("stops a terminating pod and reports it terminated until the server forgets it", async () => {
    cp.setPods([web]);
    const { runtime } = await startAgent();
    await waitFor(() => cp.syncs().some((r) => isRunningReady(r, "u-web")), 5000, "web running");
    const pid = pidOf(runtime, "u-web");

    cp.setPods([makePod("web", { uid: "u-web", command: ["sleep", "1000"], deletionTimestamp: "2024-05-01T10:00:00Z", deletionGracePeriodSeconds: 5 })]);
    const terminated = await waitFor(() => cp.syncs().find((r) => FakeControlPlane.parse(r).terminated?.includes("u-web")), 5000, "terminated");
    expect(isAlive(pid)).toBe(false);
    expect(FakeControlPlane.parse(terminated).pods).toEqual([]);
    const before = cp.syncs().length;
    await waitFor(() => cp.syncs().length > before + 1);
    expect(FakeControlPlane.parse(cp.syncs().at(-1) as RecordedRequest).terminated).toEqual(["u-web"]);

    cp.setPods([]);
    await waitFor(() => runtime.listPods().length === 0, 5000, "the pod to be forgotten");
    const last = await waitFor(() => {
      const r = cp.syncs().at(-1);
      return r && FakeControlPlane.parse(r).terminated === undefined && r;
    });
    expect(FakeControlPlane.parse(last).pods).toEqual([]);
    expect(existsSync(join(dir, "pods", "default_web_u-web"))).toBe(false);
  });

  it("reports a terminating pod that never started as terminated at once", async () => {
    cp.setPods([makePod("late", { uid: "u-late", deletionTimestamp: "2024-05-01T10:00:00Z" })]);
    const { runtime } = await startAgent();
    await waitFor(() => cp.syncs().some((r) => FakeControlPlane.parse(r).terminated?.includes("u-late")), 5000, "terminated");
    expect(runtime.listPods()).toEqual([]);
  });

  it("keeps pods running while the server is down, backs off, and converges once it is back", async () => {
    cp.setPods([web]);
    const { runtime } = await startAgent();
    await waitFor(() => cp.syncs().some((r) => isRunningReady(r, "u-web")), 5000, "web running");
    const pid = pidOf(runtime, "u-web");

    await cp.close();
    await waitFor(() => logs.filter((l) => l.includes("sync failed")).length >= 4, 5000, "four failed syncs");
    const failures = logs.filter((l) => l.includes("sync failed"));
    expect(failures.slice(0, 4).map((l) => l.replace(/.*retrying in /, ""))).toEqual(["50ms", "100ms", "200ms", "200ms"]);
    expect(isAlive(pid)).toBe(true);

    const other = makePod("other", { uid: "u-other", command: ["sleep", "1000"] });
    cp.setPods([other]);
    const seen = cp.requests.length;
    await cp.listen();
    await waitFor(() => cp.syncs().some((r) => isRunningReady(r, "u-other")), 5000, "the new pod running");
    await waitFor(() => !isAlive(pid), 5000, "the unassigned pod to stop");
    expect(cp.requests.slice(seen, seen + 1).map((r) => r.status)).toEqual([200]);
    expect(logs.some((l) => l.includes("sync succeeded after"))).toBe(true);
  });

  it.each([
    { name: "too long for setTimeout (34 days)", seconds: 3_000_000, armedMs: 3_600_000 },
    { name: "tiny (1 µs)", seconds: 0.000_001, armedMs: 100 },
  ])("holds a sync interval the server sets $name within its bounds", async ({ seconds, armedMs }) => {
    cp.syncIntervalSeconds = seconds;
    const { agent } = await startAgent();
    await waitFor(() => cp.syncs().some((r) => r.status === 200), 5000, "the first answer");
    // The timer the answer armed (random 0.5: no jitter), observed once the sync has ended.
    const armed = await waitFor(() => {
      const state = agent.syncSchedule();
      return !state.inFlight && state.regularDelayMs !== undefined && state;
    }, 5000, "the next sync armed");
    expect(armed.regularDelayMs).toBe(armedMs);
  });

  it("enrolls again when its credential is revoked", async () => {
    cp.setPods([web]);
    await startAgent();
    await waitFor(() => cp.syncs().some((r) => r.status === 200), 5000, "first sync");
    cp.revokeCredentials();
    await waitFor(() => cp.enrolls().length === 2, 5000, "a second enrollment");
    await waitFor(() => cp.syncs().some((r) => r.authorization === "Bearer node-credential-2" && r.status !== 401), 5000, "sync with the new credential");
    expect(JSON.parse(readFileSync(join(dir, "credential.json"), "utf8")).credential).toBe("node-credential-2");
    expect(logs.some((l) => l.includes("rejected the node credential (HTTP 401); enrolling again"))).toBe(true);
  });

  it("keeps its credential when a rejection passes and the bootstrap token has expired meanwhile", async () => {
    cp.setPods([web]);
    await startAgent();
    await waitFor(() => cp.syncs().some((r) => r.status === 200), 5000, "first sync");
    cp.bootstrapToken = "rotated-token";
    cp.rejectSyncs(2);
    await waitFor(() => cp.enrolls().length >= 3, 5000, "enrollment attempts with the expired token");
    const accepted = await waitFor(() => cp.syncs().findLast((r) => r.status === 200 || r.status === 304), 5000, "a sync accepted again");
    expect(accepted.authorization).toBe("Bearer node-credential-1");
    expect(cp.enrolls().slice(1).map((r) => r.status)).toEqual([401, 401]);
    expect(JSON.parse(readFileSync(join(dir, "credential.json"), "utf8")).credential).toBe("node-credential-1");
    expect(logs.some((l) => l.includes("rejected the node credential (HTTP 401); enrolling again; the control plane rejected the bootstrap token (HTTP 401)"))).toBe(true);
    // The agent logs after the answer is in, so the fake control plane may see the sync first.
    await waitFor(() => logs.some((l) => l.includes("accepts the node credential again")), 5000, "the log saying the credential works again");
  });

  it("keeps retrying with back-off when revoked and no bootstrap token is configured", async () => {
    await startAgent();
    await waitFor(() => cp.syncs().some((r) => r.status === 200), 5000, "first sync");
    await agents.pop()?.stop(false);
    cp.revokeCredentials();
    await startAgent({ bootstrapToken: undefined });
    await waitFor(() => logs.filter((l) => l.includes("no bootstrap token to enroll again")).length >= 2, 5000, "two rejections");
    expect(cp.enrolls()).toHaveLength(1);
  });

  it("refuses to start a second agent on the same state directory", async () => {
    await startAgent();
    const second = startAgent();
    await expect(second).rejects.toThrow(/another agent \(pid \d+\) is using/);
    agents.pop();
  });

  it("refuses to start with neither a credential nor a bootstrap token", async () => {
    await expect(startAgent({ bootstrapToken: undefined })).rejects.toThrow(/no bootstrap token/);
  });

  it("keeps retrying when the bootstrap token is rejected", async () => {
    await startAgent({ bootstrapToken: "wrong" });
    await waitFor(() => logs.filter((l) => l.includes("rejected the bootstrap token (HTTP 401)")).length >= 2, 5000, "two rejections");
    expect(logs.join("\n")).not.toContain("wrong");
  });

  it("runs the pods it can and reports the one it cannot, naming the field, also after a restart", async () => {
    const broken = { ...makePod("broken", { uid: "u-broken" }), spec: { containers: [null] } } as unknown as Pod;
    cp.setPods([broken, web]);
    cp.setConfig([JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app","namespace":"default"},"data":{"a":null,"__proto__":"x"}}')]);
    await startAgent();
    const refusedIn = (r: RecordedRequest) => podReport(r, "u-broken")?.status;
    await waitFor(() => cp.syncs().some((r) => isRunningReady(r, "u-web") && refusedIn(r)), 5000, "web running beside the refused pod");
    const report = cp.syncs().find((r) => isRunningReady(r, "u-web") && refusedIn(r))!;
    expect(refusedIn(report)).toMatchObject({
      phase: "Pending",
      reason: "InvalidPodSpec",
      message: "the agent cannot run this pod: spec.containers[0]: Invalid value: null: must not be null",
    });
    expect(logs).toContain("ConfigMap default/app: data[a]: Invalid value: null: must be a string");

    await agents.pop()?.stop(false);
    const syncsBefore = cp.syncs().length;
    await startAgent();
    await waitFor(() => cp.syncs().slice(syncsBefore).some((r) => isRunningReady(r, "u-web") && refusedIn(r)), 5000, "the same after a restart");
    // Only what can run is saved; the refused pod comes back with the first (full) answer.
    expect(JSON.parse(readFileSync(join(dir, "assignments.json"), "utf8")).pods.map((p: Pod) => p.metadata.name)).toEqual(["web"]);
  });

  it("starts the saved pods before it reaches the server", async () => {
    cp.setPods([web]);
    const first = await startAgent();
    await waitFor(() => cp.syncs().some((r) => isRunningReady(r, "u-web")), 5000, "web running");
    await agents.pop()?.stop(true);
    expect(first.runtime.listPods()[0].phase).toBe("stopped");
    await cp.close();

    const { runtime } = await startAgent();
    await waitFor(() => runtime.listPods()[0]?.containers[0]?.state.kind === "running", 5000, "web running again offline");
  });
});

describe("an enrolment refused with 429", () => {
  it("waits the Retry-After the control plane gave (plus jitter) before the next round", async () => {
    const store = new StateStore(dir);
    const config: AgentConfig = { server: "https://127.0.0.1:1", bootstrapToken: "abcdef.0123456789abcdef", nodeName: "edge-busy", labels: {}, stateDir: dir, syncIntervalSeconds: 10, runtime: "process", stopPodsOnExit: false };
    const client = {
      enroll: async () => ({ kind: "failed" as const, status: 429, message: "too many requests", retryAfterSeconds: 30 }),
      sync: async () => ({ kind: "unauthorized" as const, status: 401 }),
    };
    const agent = new Agent({
      config,
      runtime: new ProcessRuntime({ rootDir: store.podsDir, log: () => {}, pollIntervalMs: 50, minimumGracePeriodSeconds: 0 }),
      store,
      client,
      log: (line: string) => logs.push(line),
      readNodeReport: () => node,
      random: () => 0.5,
      syncBackoff: { initialMs: 50, maxMs: 200 },
      syncIntervalBounds: { minSeconds: 0.1, maxSeconds: 3600 },
      debounceMs: 50,
    });
    // One round, as the scheduler runs it: its result is the delay before the next.
    const delay = await (agent as unknown as { syncOnce(): Promise<number> }).syncOnce();
    expect(delay).toBeGreaterThanOrEqual(30_000);
    expect(delay).toBeLessThanOrEqual(36_000);
  });
});
