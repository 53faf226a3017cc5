/**
 * The process runtime with ConfigMaps, Secrets and volumes: what a workload sees (environment,
 * files under EDGESET_POD_ROOT), updates in place, blocked starts that resume by themselves, and
 * Secrets leaving the disk with the pod. Real processes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConfigMap, Pod, Secret } from "../../../src/resources/types.ts";
import { makePod } from "../../testing/pods.ts";
import { killRecordedGroups, waitFor } from "../../testing/wait.ts";
import { VolumeManager } from "../../volumes/volume-manager.ts";
import type { RuntimeHelper } from "../runtime.ts";
import { ProcessRuntime } from "./process-runtime.ts";

const b64 = (text: string) => Buffer.from(text).toString("base64");
let dir: string;
let runtimes: ProcessRuntime[];
let configMaps: ConfigMap[];
let secrets: Secret[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "edgeset-config-"));
  runtimes = [];
  configMaps = [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app", namespace: "default" }, data: { "app.conf": "level=info\n" } }];
  secrets = [{ apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "default" }, data: { token: b64("t0k3n") } }];
});

afterEach(() => {
  for (const runtime of runtimes) runtime.close();
  killRecordedGroups(join(dir, "pods"));
  rmSync(dir, { recursive: true, force: true });
});

function newRuntime(): ProcessRuntime {
  const helper: RuntimeHelper = {
    config: {
      configMap: (ns, name) => configMaps.find((c) => c.metadata.namespace === ns && c.metadata.name === name),
      secret: (ns, name) => secrets.find((s) => s.metadata.namespace === ns && s.metadata.name === name),
    },
    podFacts: () => ({ nodeName: "edge-7", hostIP: "10.0.0.7" }),
    volumes: new VolumeManager({ stateDir: dir, secretsDir: join(dir, "shm") }),
  };
  const runtime = new ProcessRuntime({
    rootDir: join(dir, "pods"),
    log: () => {},
    helper,
    restartBackoff: { initialMs: 200, maxMs: 400 },
    pollIntervalMs: 50,
    minimumGracePeriodSeconds: 0,
    baseEnv: { PATH: process.env.PATH },
  });
  runtimes.push(runtime);
  return runtime;
}

const out = (name: string) => join(dir, `${name}.out`);
const read = (name: string) => (existsSync(out(name)) ? readFileSync(out(name), "utf8") : "");

function configPod(script: string, env: NonNullable<Pod["spec"]["containers"][0]["env"]> = []): Pod {
  const pod = makePod("fluent", { uid: "u-fluent", terminationGracePeriodSeconds: 0 });
  pod.spec.volumes = [
    { name: "config", configMap: { name: "app" } },
    { name: "creds", secret: { secretName: "creds", defaultMode: 0o400 } },
    { name: "one-file", configMap: { name: "app" } },
  ];
  pod.spec.containers = [
    {
      name: "main",
      command: ["sh", "-c", script],
      env,
      volumeMounts: [
        { name: "config", mountPath: "/etc/fluent" },
        { name: "creds", mountPath: "/var/run/creds", readOnly: true },
        { name: "one-file", mountPath: "/etc/pinned.conf", subPath: "app.conf" },
      ],
    },
  ];
  return pod;
}

const state = (runtime: ProcessRuntime) => runtime.listPods()[0]?.containers[0]?.state;

describe("ProcessRuntime with ConfigMaps, Secrets and volumes", { timeout: 30_000 }, () => {
  it("gives the workload its environment and its mounts under EDGESET_POD_ROOT, updated in place", async () => {
    const runtime = newRuntime();
    const script = `echo "$NODE $TOKEN $$EDGESET_POD_ROOT" > ${out("env")}; while :; do cat "$$EDGESET_POD_ROOT/etc/fluent/app.conf" "$$EDGESET_POD_ROOT/etc/pinned.conf" "$$EDGESET_POD_ROOT/var/run/creds/token" > ${out("files")}.tmp; mv ${out("files")}.tmp ${out("files")}; sleep 0.05; done`;
    const pod = configPod(script, [
      { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
      { name: "TOKEN", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } },
    ]);
    runtime.syncPod(pod);
    await waitFor(() => read("files") === "level=info\nlevel=info\nt0k3n", 5000, "the mounted files");
    const [node, token, root] = read("env").trim().split(" ");
    expect([node, token]).toEqual(["edge-7", "t0k3n"]);
    expect(root).toBe(join(dir, "pods", "default_fluent_u-fluent", "root", "main"));
    const pid = runtime.listPods()[0].containers[0].containerID;

    // The ConfigMap changes: the mounted file follows, the subPath one and the env do not, no restart.
    configMaps = [{ ...configMaps[0], data: { "app.conf": "level=debug\n" } }];
    secrets = [{ ...secrets[0], data: { token: b64("rotated") } }];
    runtime.syncPod(pod);
    await waitFor(() => read("files") === "level=debug\nlevel=info\nrotated", 5000, "the updated files");
    expect(runtime.listPods()[0].containers[0].containerID).toBe(pid);
    expect(runtime.listPods()[0].containers[0].restartCount).toBe(0);
  });

  it("blocks the start on a missing key with CreateContainerConfigError and starts once it appears", async () => {
    const runtime = newRuntime();
    const pod = configPod(`echo "$LEVEL" > ${out("env")}; exec sleep 1000`, [{ name: "LEVEL", valueFrom: { configMapKeyRef: { name: "app", key: "level" } } }]);
    runtime.syncPod(pod);
    expect(state(runtime)).toEqual({ kind: "waiting", reason: "CreateContainerConfigError", message: "couldn't find key level in ConfigMap default/app" });
    // Only a sync starts a blocked container (no timer does), and a start shows at once as running.
    runtime.syncPod(pod);
    expect(state(runtime)).toEqual({ kind: "waiting", reason: "CreateContainerConfigError", message: "couldn't find key level in ConfigMap default/app" });
    expect(read("env")).toBe("");

    configMaps = [{ ...configMaps[0], data: { ...configMaps[0].data, level: "warn" } }];
    runtime.syncPod(pod);
    await waitFor(() => read("env") === "warn\n", 5000, "the start once the key exists");
    expect(state(runtime)?.kind).toBe("running");
  });

  it("waits in ContainerCreating while a volume's source is missing, then starts", async () => {
    const runtime = newRuntime();
    secrets = [];
    runtime.syncPod(configPod(`touch ${out("started")}; exec sleep 1000`));
    expect(state(runtime)).toEqual({ kind: "waiting", reason: "ContainerCreating", message: 'MountVolume.SetUp failed for volume "creds" : secret "creds" not found' });
    secrets = [{ apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "default" }, data: { token: b64("x") } }];
    runtime.syncPod(configPod(`touch ${out("started")}; exec sleep 1000`));
    await waitFor(() => existsSync(out("started")), 5000, "the start");
  });

  it("removes the pod's Secrets from disk when the pod stops", async () => {
    const runtime = newRuntime();
    runtime.syncPod(configPod("exec sleep 1000"));
    const secretDir = join(dir, "shm", "volumes", "default_fluent_u-fluent", "creds");
    await waitFor(() => state(runtime)?.kind === "running", 5000, "running");
    expect(readFileSync(join(secretDir, "token"), "utf8")).toBe("t0k3n");
    await runtime.killPod("u-fluent", 0);
    expect(existsSync(secretDir)).toBe(false);
  });

  it("runs exec commands with the container's environment and restarts a killed container", async () => {
    const runtime = newRuntime();
    runtime.syncPod(configPod("exec sleep 1000", [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } }]));
    await waitFor(() => state(runtime)?.kind === "running", 5000, "running");
    expect(await runtime.exec("u-fluent", "main", ["sh", "-c", 'echo "$TOKEN"; ls "$EDGESET_POD_ROOT/etc"'], 2000)).toEqual({
      exitCode: 0,
      output: "t0k3n\nfluent\npinned.conf\n",
      timedOut: false,
    });
    const before = runtime.listPods()[0].containers[0].containerID;
    await runtime.killContainer("u-fluent", "main", 0);
    await waitFor(() => {
      const c = runtime.listPods()[0].containers[0];
      return c.state.kind === "running" && c.containerID !== before && c.restartCount === 1;
    }, 5000, "the container restarted");
  });
});
