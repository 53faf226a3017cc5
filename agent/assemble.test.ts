/**
 * The assembled agent (the same wiring as main.ts) against the fake control plane, with real
 * processes: static pods reported for their mirror pods, ConfigMaps and Secrets reaching files and
 * environment, readiness from probes, a pod whose runtime is missing, and one sync after a long
 * outage.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NodeReport } from "../src/protocol/agent.ts";
import type { ConfigMap, Pod, Secret } from "../src/resources/types.ts";
import { type AssembledAgent, assembleAgent } from "./assemble.ts";
import type { AgentConfig } from "./cli/flags.ts";
import { FakeControlPlane, type RecordedRequest } from "./testing/fake-control-plane.ts";
import { makePod } from "./testing/pods.ts";
import { killRecordedGroups, waitFor } from "./testing/wait.ts";

const node: NodeReport = { labels: { "kubernetes.io/hostname": "edge-a" }, addresses: [{ type: "InternalIP", address: "10.9.8.7" }], allocatable: { cpu: "2", memory: "1Gi" }, runtimes: ["process"] };
const b64 = (text: string) => Buffer.from(text).toString("base64");

let dir: string;
let cp: FakeControlPlane;
let logs: string[];
let assembled: AssembledAgent[];
let servers: Server[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "edgeset-assembled-"));
  cp = new FakeControlPlane();
  await cp.listen(0);
  logs = [];
  assembled = [];
  servers = [];
});

afterEach(async () => {
  for (const a of assembled) await a.agent.stop(true);
  for (const s of servers) s.close();
  await cp.close();
  killRecordedGroups(join(dir, "state", "pods"));
  rmSync(dir, { recursive: true, force: true });
});

async function start(overrides: Partial<AgentConfig> = {}): Promise<AssembledAgent> {
  const config: AgentConfig = {
    server: cp.url,
    bootstrapToken: cp.bootstrapToken,
    nodeName: "edge-a",
    labels: {},
    stateDir: join(dir, "state"),
    syncIntervalSeconds: 10,
    runtime: "process",
    stopPodsOnExit: false,
    ...overrides,
  };
  const a = assembleAgent(config, {
    log: (line) => logs.push(line),
    secretsDir: join(dir, "shm"),
    readNodeReport: () => node,
    process: { pollIntervalMs: 50, minimumGracePeriodSeconds: 0, restartBackoff: { initialMs: 200, maxMs: 400 }, baseEnv: { PATH: process.env.PATH } },
    engines: { docker: { command: join(dir, "no-docker") }, podman: { command: join(dir, "no-podman") } },
    staticPodIntervalMs: 200,
    agent: { random: () => 0.5, syncBackoff: { initialMs: 50, maxMs: 200 }, syncIntervalBounds: { minSeconds: 0.1, maxSeconds: 3600 }, debounceMs: 50 },
  });
  assembled.push(a);
  await a.agent.start();
  return a;
}

const parse = (r: RecordedRequest) => FakeControlPlane.parse(r);
function lastSync() {
  const last = cp.syncs().at(-1);
  return last ? parse(last) : { pods: [], staticPods: undefined };
}
const report = (uid: string) => lastSync().pods.find((p) => p.uid === uid);
const ready = (status: Pod["status"]) => status?.conditions?.find((c) => c.type === "Ready")?.status;

describe("the assembled agent", { timeout: 30_000 }, () => {
  it("runs the static pods of its manifest directory and reports them for their mirror pods", async () => {
    const manifests = join(dir, "manifests");
    mkdirSync(manifests);
    const marker = join(dir, "static.out");
    const manifest = (text: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: logger\n  namespace: kube-system\nspec:\n  containers:\n    - name: main\n      image: busybox\n      command: ["sh", "-c", "echo ${text} >> ${marker}; exec sleep 1000"]\n`;
    writeFileSync(join(manifests, "logger.yaml"), manifest("one"));
    await start({ podManifestDir: manifests });
    await waitFor(() => existsSync(marker), 5000, "the static pod started before any sync answered");

    const reported = await waitFor(() => cp.syncs().map(parse).find((r) => r.staticPods?.[0]?.status?.phase === "Running")?.staticPods?.[0], 5000, "the static pod reported Running");
    expect(reported.metadata).toMatchObject({
      name: "logger-edge-a",
      namespace: "kube-system",
      annotations: { "kubernetes.io/config.hash": reported.metadata.uid, "kubernetes.io/config.source": "file", "kubernetes.io/config.seen": expect.any(String) },
    });
    expect(reported.spec.nodeName).toBe("edge-a");
    expect(reported.spec.tolerations).toContainEqual({ operator: "Exists", effect: "NoExecute" });
    expect(lastSync().pods).toEqual([]);

    writeFileSync(join(manifests, "logger.yaml"), manifest("two"));
    await waitFor(() => readFileSync(marker, "utf8") === "one\ntwo\n", 5000, "the pod restarted with the new spec");
    await waitFor(() => lastSync().staticPods?.[0]?.metadata.uid !== reported.metadata.uid && lastSync().staticPods?.[0]?.status?.phase === "Running", 5000, "the new pod reported");

    rmSync(join(manifests, "logger.yaml"));
    await waitFor(() => lastSync().staticPods === undefined, 5000, "the static pod gone from the report");
    await waitFor(() => assembled[0].runtimes.listPods().length === 0, 5000, "the static pod stopped and forgotten");
  });

  it("after a power cut and a reboot without network, starts the saved and the static pods again", async () => {
    const manifests = join(dir, "manifests");
    mkdirSync(manifests);
    const pids = join(dir, "pids");
    writeFileSync(join(manifests, "bridge.yaml"), `apiVersion: v1\nkind: Pod\nmetadata: { name: bridge }\nspec:\n  containers: [{ name: main, image: busybox, command: ["sh", "-c", "echo static $$$$$$$$ >> ${pids}; exec sleep 1000"] }]\n`);
    cp.setPods([makePod("telemetry", { uid: "u-tel", command: ["sh", "-c", `echo assigned $$$$ >> ${pids}; exec sleep 1000`] })]);
    const first = await start({ podManifestDir: manifests });
    await waitFor(() => report("u-tel")?.status.phase === "Running" && lastSync().staticPods?.[0]?.status?.phase === "Running", 5000, "both running");
    await first.agent.stop(false);
    assembled.pop();

    // The power goes: every process dies, and the next boot has another boot id.
    killRecordedGroups(join(dir, "state", "pods"));
    for (const entry of readdirSync(join(dir, "state", "pods"))) {
      const file = join(dir, "state", "pods", entry, "state.json");
      writeFileSync(file, readFileSync(file, "utf8").replaceAll(/"bootId":"[^"]*"/g, '"bootId":"the-boot-before"'));
    }
    await cp.close();
    const before = readFileSync(pids, "utf8").trim().split("\n").length;
    const second = await start({ podManifestDir: manifests });
    await waitFor(() => readFileSync(pids, "utf8").trim().split("\n").length === before + 2, 5000, "both pods started again, offline");
    expect(readFileSync(pids, "utf8").trim().split("\n").slice(-2).map((l) => l.split(" ")[0]).sort()).toEqual(["assigned", "static"]);
    expect(logs.filter((l) => l.includes("ended while the agent was away"))).toHaveLength(2);

    // The network comes back: the truth, restart counted, the old instance's end unknown.
    await cp.listen();
    await waitFor(() => report("u-tel")?.status.containerStatuses?.[0]?.restartCount === 1, 5000, "the report after the reboot");
    expect(report("u-tel")?.status.containerStatuses?.[0]).toMatchObject({ ready: true, lastState: { terminated: { reason: "ContainerStatusUnknown", exitCode: 137 } } });
    expect(lastSync().staticPods?.[0]?.status?.phase).toBe("Running");
    expect(second.runtimes.listPods()).toHaveLength(2);
  });

  it("delivers ConfigMaps and Secrets to files and environment, updates files in place, and resumes a blocked start", async () => {
    const out = join(dir, "out");
    const pod = makePod("fluent", { uid: "u-fluent", containers: [{ name: "main", command: ["sh", "-c", `echo "$$LEVEL $$TOKEN" > ${out}.env; while :; do cat "$$EDGESET_POD_ROOT/etc/fluent/fluent.conf" > ${out}.tmp; mv ${out}.tmp ${out}.conf; sleep 0.05; done`], env: [{ name: "LEVEL", valueFrom: { configMapKeyRef: { name: "fluent", key: "level" } } }, { name: "TOKEN", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } }], volumeMounts: [{ name: "config", mountPath: "/etc/fluent" }] }] });
    pod.spec.volumes = [{ name: "config", configMap: { name: "fluent" } }];
    const configMap = (data: Record<string, string>): ConfigMap => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "fluent", namespace: "default" }, data });
    const secret: Secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "default" }, data: { token: b64("t0k3n") } };
    cp.setPods([pod]);
    cp.setConfig([configMap({ "fluent.conf": "v1" })], [secret]);
    await start();

    await waitFor(() => report("u-fluent")?.status.containerStatuses?.[0]?.state?.waiting?.reason === "CreateContainerConfigError", 5000, "the blocked start reported");
    expect(report("u-fluent")?.status.containerStatuses?.[0]?.state?.waiting?.message).toBe("couldn't find key level in ConfigMap default/fluent");
    expect(existsSync(`${out}.env`)).toBe(false);

    cp.setConfig([configMap({ "fluent.conf": "v1", level: "info" })], [secret]);
    await waitFor(() => existsSync(`${out}.conf`) && readFileSync(`${out}.conf`, "utf8") === "v1", 5000, "the pod started once the key exists");
    expect(readFileSync(`${out}.env`, "utf8")).toBe("info t0k3n\n");
    expect(JSON.parse(readFileSync(join(dir, "shm", "secrets.json"), "utf8"))).toEqual([secret]);
    await waitFor(() => report("u-fluent")?.status.phase === "Running", 5000, "Running reported");
    const id = report("u-fluent")?.status.containerStatuses?.[0]?.containerID;

    cp.setConfig([configMap({ "fluent.conf": "v2", level: "debug" })], [secret]);
    await waitFor(() => readFileSync(`${out}.conf`, "utf8") === "v2", 5000, "the file updated in place");
    expect(readFileSync(`${out}.env`, "utf8")).toBe("info t0k3n\n");
    expect(report("u-fluent")?.status.containerStatuses?.[0]).toMatchObject({ containerID: id, restartCount: 0 });

    // The pod goes away: its Secrets leave the device.
    cp.setPods([]);
    cp.setConfig([], []);
    await waitFor(() => !existsSync(join(dir, "shm", "secrets.json")), 5000, "the Secrets file removed");
    await waitFor(() => !existsSync(join(dir, "state", "volumes", "default_fluent_u-fluent")), 5000, "the volumes removed");
  });

  it("after a power cut wiped the Secrets, asks for the whole assignments again and starts the pod that needs one", async () => {
    const out = join(dir, "token.out");
    const pod = makePod("shipper", { uid: "u-ship", containers: [{ name: "main", command: ["sh", "-c", `echo "$$TOKEN" >> ${out}; exec sleep 1000`], env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } }] }] });
    cp.setPods([pod]);
    cp.setConfig([], [{ apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "default" }, data: { token: b64("t0k3n") } }]);
    const first = await start();
    await waitFor(() => report("u-ship")?.status.phase === "Running", 5000, "Running with its Secret");
    await first.agent.stop(false);
    assembled.pop();

    // The power goes: the processes die and the tmpfs forgets the Secrets; the server is unchanged.
    killRecordedGroups(join(dir, "state", "pods"));
    rmSync(join(dir, "shm", "secrets.json"));
    const seen = cp.syncs().length;
    await start();
    await waitFor(() => existsSync(out) && readFileSync(out, "utf8") === "t0k3n\nt0k3n\n", 5000, "the pod started again with its Secret");
    const again = cp.syncs()[seen];
    expect(again).toMatchObject({ ifNoneMatch: undefined, status: 200 });
    await waitFor(() => report("u-ship")?.status.phase === "Running", 5000, "Running again");
  });

  it("reports Ready only once the readiness probe passes", async () => {
    let healthy = false;
    let probes = 0;
    const server = createServer((_req, res) => {
      probes++;
      res.writeHead(healthy ? 200 : 503).end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    cp.setPods([makePod("web", { uid: "u-web", containers: [{ name: "main", command: ["sleep", "1000"], readinessProbe: { httpGet: { path: "/ready", port }, periodSeconds: 1, failureThreshold: 1 } }] })]);
    await start();
    await waitFor(() => report("u-web")?.status.phase === "Running", 5000, "Running");
    // Two failed probes, then a sync that started after them.
    await waitFor(() => probes >= 2, 10_000, "two failed probes");
    const syncs = cp.syncs().length;
    await waitFor(() => cp.syncs().length > syncs, 5000, "a sync after the probes");
    expect(ready(report("u-web")?.status)).toBe("False");
    expect(report("u-web")?.status.containerStatuses?.[0]).toMatchObject({ ready: false, started: true });
    healthy = true;
    await waitFor(() => ready(report("u-web")?.status) === "True", 5000, "Ready after the probe passes");
  });

  it("holds a pod whose runtime the device lacks, with a clear reason and no retry loop", async () => {
    const pod = makePod("nginx", { uid: "u-nginx", containers: [{ name: "main", image: "nginx:1.27" }] });
    pod.spec.runtimeClassName = "docker";
    cp.setPods([pod]);
    await start();
    const waiting = await waitFor(() => report("u-nginx")?.status.containerStatuses?.[0]?.state?.waiting, 5000, "the waiting report");
    expect(waiting).toEqual({ reason: "RuntimeNotAvailable", message: 'runtime "docker" is not available on this node (it has: process)' });
    expect(report("u-nginx")?.status.phase).toBe("Pending");
    // Nothing churns: every later sync has nothing new to say (the regular ones come every 200 ms).
    const syncs = cp.syncs().length;
    await waitFor(() => cp.syncs().length >= syncs + 4, 5000, "three more syncs");
    expect(new Set(cp.syncs().slice(syncs + 1).map((r) => r.status))).toEqual(new Set([304]));
    expect(assembled[0].runtimes.listPods().map((p) => p.phase)).toEqual(["active"]);
  });

  it("offers only the runtimes --runtimes lists: a pod for another one waits, even where its engine answers", async () => {
    const pod = makePod("nginx", { uid: "u-podman", containers: [{ name: "main", image: "nginx:1.27" }] });
    pod.spec.runtimeClassName = "podman";
    cp.setPods([pod]);
    const a = await start({ runtimes: ["process"] });
    expect(a.engines).toEqual([]);
    expect(a.runtimes.availableNames()).toEqual(["process"]);
    const waiting = await waitFor(() => report("u-podman")?.status.containerStatuses?.[0]?.state?.waiting, 5000, "the waiting report");
    expect(waiting).toEqual({ reason: "RuntimeNotAvailable", message: 'runtime "podman" is not available on this node (it has: process)' });
  });

  it("sends one sync with the current state, not a burst, when the control plane comes back after a long outage", async () => {
    cp.syncIntervalSeconds = 5;
    cp.setPods([makePod("job", { uid: "u-job", restartPolicy: "Never", command: ["sh", "-c", "sleep 1; exit 3"] })]);
    await start();
    await waitFor(() => report("u-job")?.status.phase === "Running", 5000, "Running reported");
    await cp.close();
    // Many failed attempts (the real back-off caps at 60 s; here at 200 ms), and the pod ends meanwhile.
    await waitFor(() => logs.filter((l) => l.includes("sync failed")).length >= 12 && assembled[0].runtimes.listPods()[0]?.containers[0]?.state.kind === "terminated", 10_000, "a long outage");
    const before = cp.requests.length;
    await cp.listen();
    await waitFor(() => cp.requests.length > before, 5000, "the sync after the outage");
    // Once that sync has ended, nothing is in flight or pending but the regular sync 5 s away.
    const armed = await waitFor(() => {
      const state = assembled[0].agent.syncSchedule();
      return !state.inFlight && !state.promptPending && state.regularDelayMs !== undefined && state;
    }, 5000, "the agent idle after the sync");
    expect(armed.regularDelayMs).toBe(5000);
    const after = cp.requests.slice(before);
    // The version did not change: the server takes the report and answers 304, as the real one does.
    expect(after.map((r) => r.status)).toEqual([304]);
    expect(parse(after[0]).pods[0].status.phase).toBe("Failed");
  });
});
