/**
 * The docker/podman runtimes against the stand-in CLI (no engine runs here): what the agent asks
 * the engine for, and how it reads the answers back (status, restarts, adoption, pulls).
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConfigMap, Pod, Secret } from "../../../src/resources/types.ts";
import { type FakeEngine, installFakeEngine } from "../../testing/fake-engine-setup.ts";
import { makePod } from "../../testing/pods.ts";
import { waitFor } from "../../testing/wait.ts";
import { VolumeManager } from "../../volumes/volume-manager.ts";
import type { RuntimeHelper } from "../runtime.ts";
import { ContainerRuntime, type Engine } from "./container-runtime.ts";

let dir: string;
let runtimes: ContainerRuntime[];
let logs: string[];
const configMaps: ConfigMap[] = [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app", namespace: "default" }, data: { "app.conf": "x=1" } }];
const secrets: Secret[] = [
  { apiVersion: "v1", kind: "Secret", metadata: { name: "token", namespace: "default" }, data: { value: Buffer.from("s3cr3t").toString("base64") } },
  {
    apiVersion: "v1",
    kind: "Secret",
    type: "kubernetes.io/dockerconfigjson",
    metadata: { name: "registry", namespace: "default" },
    data: { ".dockerconfigjson": Buffer.from(JSON.stringify({ auths: { "registry.example": { auth: "dXNlcjpwdw==" } } })).toString("base64") },
  },
];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "edgeset-engine-"));
  runtimes = [];
  logs = [];
});

afterEach(() => {
  for (const runtime of runtimes) runtime.close();
  // A stand-in engine's container may still be writing its state as the test ends: removing the
  // temp dir is best effort, never the test's verdict.
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (error) {
    console.warn(`leaving ${dir}: ${(error as Error).message}`);
  }
});

function newRuntime(engine: FakeEngine, name: Engine = "docker", restartBackoff = { initialMs: 400, maxMs: 800 }): ContainerRuntime {
  const helper: RuntimeHelper = {
    config: {
      configMap: (ns, n) => configMaps.find((c) => c.metadata.namespace === ns && c.metadata.name === n),
      secret: (ns, n) => secrets.find((s) => s.metadata.namespace === ns && s.metadata.name === n),
    },
    podFacts: () => ({ nodeName: "edge-1", hostIP: "10.0.0.9" }),
    volumes: new VolumeManager({ stateDir: join(dir, "state"), secretsDir: join(dir, "shm") }),
  };
  const runtime = new ContainerRuntime({
    engine: name,
    command: engine.command,
    env: engine.env,
    agentId: "agent-test",
    helper,
    secretsDir: join(dir, "shm"),
    log: (l) => logs.push(l),
    restartBackoff,
    minimumGracePeriodSeconds: 0,
    relistIntervalMs: 100,
  });
  runtimes.push(runtime);
  return runtime;
}

const runs = (engine: FakeEngine) => engine.calls().filter((c) => c[0] === "run");
const state = (runtime: ContainerRuntime, uid = "u-web") => runtime.listPods().find((p) => p.uid === uid)?.containers[0];

function webPod(): Pod {
  const pod = makePod("web", { uid: "u-web", containers: [{ name: "main", image: "busybox:1.36", command: ["sh", "-c", "sleep 1000"], env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "token", key: "value" } } }, { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }], volumeMounts: [{ name: "config", mountPath: "/etc/app" }] }], terminationGracePeriodSeconds: 5 });
  pod.spec.volumes = [{ name: "config", configMap: { name: "app" } }];
  return pod;
}

describe("ContainerRuntime with a stand-in engine CLI", { timeout: 30_000 }, () => {
  it("runs a pod's container with its environment and mounts, and reports it running", async () => {
    const engine = installFakeEngine(dir, "docker", { images: ["busybox:1.36"] });
    const runtime = newRuntime(engine);
    await runtime.recover();
    expect(runtime.available()).toBe(true);
    expect(runtime.version).toBe("docker://24.0.7-fake");
    runtime.syncPod(webPod());
    const running = await waitFor(() => state(runtime)?.state.kind === "running" && state(runtime), 10_000, "running");
    const [container] = engine.containers();
    expect(running).toMatchObject({ containerID: `docker://${container.Id}`, restartCount: 0, image: "busybox:1.36" });
    expect(container.Config.Env.sort()).toEqual(["NODE=edge-1", "TOKEN=s3cr3t"]);
    expect(container.HostConfig.Binds).toEqual([`${join(dir, "state/volumes/default_web_u-web/config")}:/etc/app:ro`]);
    expect(runs(engine)[0].join(" ")).not.toContain("s3cr3t");
    expect(engine.calls().some((c) => c[0] === "pull")).toBe(false);
    expect(runtime.listPods()[0].podIP).toBe("172.17.0.2");
    expect(runtime.probeHost("u-web")).toBe("172.17.0.2");
  });

  it("restarts an exited container under the restart policy, with back-off and its last state", async () => {
    const engine = installFakeEngine(dir, "docker", { images: ["busybox:1.36"] });
    // Long enough that noticing an exit (a relist through the stand-in takes a while) stays within it.
    const runtime = newRuntime(engine, "docker", { initialMs: 2000, maxMs: 4000 });
    await runtime.recover();
    runtime.syncPod(webPod());
    await waitFor(() => state(runtime)?.state.kind === "running", 10_000, "running");
    engine.exitContainer(engine.containers()[0].Id, 3);
    await waitFor(() => state(runtime)?.restartCount === 1 && state(runtime)?.state.kind === "running", 10_000, "the first restart, at once");
    expect(state(runtime)?.lastTermination).toMatchObject({ exitCode: 3, reason: "Error" });
    expect(runs(engine).map((r) => r[r.indexOf("--name") + 1])).toEqual(["k8s_main_web_default_u-web_0", "k8s_main_web_default_u-web_1"]);

    engine.exitContainer(engine.containers().find((c) => c.State.Running)!.Id, 1);
    await waitFor(() => state(runtime)?.state.kind === "waiting", 10_000, "the back-off");
    expect(state(runtime)?.state).toMatchObject({ kind: "waiting", reason: "CrashLoopBackOff", message: "back-off 2s restarting failed container=main pod=web_default(u-web)" });
    await waitFor(() => state(runtime)?.restartCount === 2 && state(runtime)?.state.kind === "running", 10_000, "the second restart");
    // One dead instance is kept for its last state; older ones go.
    expect(engine.containers().length).toBe(2);
  });

  it("refuses the start when a mount's directory is swapped for a link during the image pull", async () => {
    const engine = installFakeEngine(dir, "docker", { images: [] });
    const host = join(dir, "host");
    mkdirSync(join(host, "data"), { recursive: true });
    mkdirSync(join(dir, "outside"));
    // The engine's pull is where the swap happens: a workload that can write to the host directory
    // replaces `data` by a link after the agent checked it, before the engine would mount it.
    const wrapper = join(dir, "swapping-docker");
    writeFileSync(wrapper, `#!/bin/sh\nfor a in "$@"; do if [ "$a" = pull ]; then mv "${host}/data" "${host}/data-old"; ln -s "${dir}/outside" "${host}/data"; fi; done\nexec "${engine.command}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    const runtime = newRuntime({ ...engine, command: wrapper });
    await runtime.recover();
    const pod = makePod("web", { uid: "u-web", containers: [{ name: "main", image: "busybox:1.36", volumeMounts: [{ name: "data", mountPath: "/data" }] }] });
    pod.spec.volumes = [{ name: "data", hostPath: { path: join(host, "data") } }];
    runtime.syncPod(pod);
    const waiting = await waitFor(() => {
      const now = state(runtime)?.state;
      return now?.kind === "waiting" && now.reason === "CreateContainerConfigError" && now;
    }, 10_000, "the start refused");
    expect(waiting).toMatchObject({ message: expect.stringContaining(`now resolves to ${join(dir, "outside")}`) });
    expect(engine.calls().some((c) => c[0] === "pull")).toBe(true);
    expect(runs(engine)).toHaveLength(0);
  });

  it("adopts its running containers after an agent restart instead of starting duplicates", async () => {
    const engine = installFakeEngine(dir, "docker", { images: ["busybox:1.36"] });
    const first = newRuntime(engine);
    await first.recover();
    first.syncPod(webPod());
    await waitFor(() => state(first)?.state.kind === "running", 10_000, "running");
    first.close();

    const second = newRuntime(engine);
    await second.recover();
    expect(second.listPods().map((p) => [p.uid, p.namespace, p.name, p.phase, p.containers[0].state.kind])).toEqual([["u-web", "default", "web", "active", "running"]]);
    expect(logs).toContain("pod default/web: adopted docker container(s) main");
    second.syncPod(webPod());
    await second.settled();
    expect(runs(engine)).toHaveLength(1);
    expect(engine.containers()).toHaveLength(1);
  });

  it("starts nothing before it has listed the engine once (a previous agent's container may run)", async () => {
    const engine = installFakeEngine(dir, "docker", { images: ["busybox:1.36"] });
    const first = newRuntime(engine);
    await first.recover();
    first.syncPod(webPod());
    await waitFor(() => state(first)?.state.kind === "running", 10_000, "running");
    first.close();

    const second = newRuntime(engine);
    // Like the agent: every change (here, the engine turning available) converges at once.
    second.onChange(() => second.syncPod(webPod()));
    await second.recover();
    await second.settled();
    expect(runs(engine)).toHaveLength(1);
    expect(state(second)?.state.kind).toBe("running");
  });

  it("stops a pod with its grace period, keeps it stopped, then removes its containers", async () => {
    const engine = installFakeEngine(dir, "docker", { images: ["busybox:1.36"] });
    const runtime = newRuntime(engine);
    await runtime.recover();
    runtime.syncPod(webPod());
    await waitFor(() => state(runtime)?.state.kind === "running", 10_000, "running");
    await runtime.killPod("u-web", 5);
    expect(engine.calls().find((c) => c[0] === "stop")?.slice(0, 3)).toEqual(["stop", "--time", "5"]);
    expect(runtime.listPods()[0]).toMatchObject({ phase: "stopped" });
    expect(state(runtime)?.state).toMatchObject({ kind: "terminated", termination: { exitCode: 143 } });
    await runtime.settled(); // a relist after the stop: it restarts nothing
    expect(runs(engine)).toHaveLength(1);
    runtime.removePod("u-web");
    await waitFor(() => engine.containers().length === 0, 10_000, "the containers removed");
    expect(runtime.listPods()).toEqual([]);
  });

  it.each([
    { name: "a missing image is pulled (IfNotPresent)", images: [], image: "busybox:1.36", policy: undefined, pulls: 1 },
    { name: "a present image is not pulled (IfNotPresent)", images: ["busybox:1.36"], image: "busybox:1.36", policy: undefined, pulls: 0 },
    { name: ":latest is pulled every time (Always)", images: ["busybox:latest"], image: "busybox:latest", policy: undefined, pulls: 1 },
    { name: "Always pulls a present image", images: ["busybox:1.36"], image: "busybox:1.36", policy: "Always" as const, pulls: 1 },
  ])("pulls as the policy says: $name", async ({ images, image, policy, pulls }) => {
    const engine = installFakeEngine(dir, "podman", { images });
    const runtime = newRuntime(engine, "podman");
    await runtime.recover();
    const pod = makePod("web", { uid: "u-web", containers: [{ name: "main", image, ...(policy ? { imagePullPolicy: policy } : {}) }] });
    runtime.syncPod(pod);
    await waitFor(() => state(runtime)?.state.kind === "running", 10_000, "running");
    expect(engine.calls().filter((c) => c[0] === "pull")).toHaveLength(pulls);
    expect(state(runtime)?.containerID).toMatch(/^podman:\/\//);
  });

  it("waits with ErrImagePull then ImagePullBackOff when a pull fails, and ErrImageNeverPull for Never", async () => {
    const engine = installFakeEngine(dir, "docker", { failPull: ["private/app:1"] });
    const runtime = newRuntime(engine);
    await runtime.recover();
    runtime.syncPod(makePod("web", { uid: "u-web", containers: [{ name: "main", image: "private/app:1" }] }));
    await waitFor(() => state(runtime)?.state.kind === "waiting" && (state(runtime)?.state as { reason: string }).reason === "ErrImagePull", 10_000, "ErrImagePull");
    expect((state(runtime)?.state as { message: string }).message).toContain("pull access denied for private/app:1");
    runtime.syncPod(makePod("web", { uid: "u-web", containers: [{ name: "main", image: "private/app:1" }] }));
    await waitFor(() => (state(runtime)?.state as { reason?: string }).reason === "ImagePullBackOff", 10_000, "ImagePullBackOff");

    runtime.syncPod(makePod("never", { uid: "u-never", containers: [{ name: "main", image: "local/only:1", imagePullPolicy: "Never" }] }));
    await waitFor(() => (state(runtime, "u-never")?.state as { reason?: string }).reason === "ErrImageNeverPull", 10_000, "ErrImageNeverPull");
    expect((state(runtime, "u-never")?.state as { message: string }).message).toBe('Container image "local/only:1" is not present with pull policy of Never');
  });

  it("pulls with the pod's imagePullSecrets and leaves no credentials behind", async () => {
    const engine = installFakeEngine(dir, "docker");
    const runtime = newRuntime(engine);
    await runtime.recover();
    const pod = makePod("web", { uid: "u-web", containers: [{ name: "main", image: "registry.example/app:1" }] });
    pod.spec.imagePullSecrets = [{ name: "registry" }];
    runtime.syncPod(pod);
    await waitFor(() => state(runtime)?.state.kind === "running", 10_000, "running");
    expect(engine.state().pullAuth["registry.example/app:1"]).toEqual({ auths: { "registry.example": { auth: "dXNlcjpwdw==" } } });
    const pull = engine.calls().find((c) => c.includes("pull"))!;
    expect(pull[0]).toBe("--config");
    expect(() => readFileSync(join(pull[1], "config.json"))).toThrow(/ENOENT/);
  });

  it.each(["--privileged", "-v/:/host", "busybox --rm"])("never hands the image %j to the engine: InvalidImageName", async (image) => {
    const engine = installFakeEngine(dir, "docker", { images: [image] });
    const runtime = newRuntime(engine);
    await runtime.recover();
    runtime.syncPod(makePod("web", { uid: "u-web", containers: [{ name: "main", image }] }));
    await waitFor(() => (state(runtime)?.state as { reason?: string }).reason === "InvalidImageName", 10_000, "InvalidImageName");
    expect((state(runtime)?.state as { message: string }).message).toBe(`Failed to apply default image tag ${JSON.stringify(image)}: couldn't parse image name ${JSON.stringify(image)}: invalid reference format`);
    expect(engine.calls().filter((c) => c.includes(image))).toEqual([]);
  });

  it("puts -- before every positional argument it gives the engine", async () => {
    const engine = installFakeEngine(dir, "docker", { images: [] });
    const runtime = newRuntime(engine);
    await runtime.recover();
    runtime.syncPod(webPod());
    await waitFor(() => state(runtime)?.state.kind === "running", 10_000, "running");
    await runtime.killPod("u-web", 0);
    runtime.removePod("u-web");
    await waitFor(() => engine.calls().some((c) => c[0] === "rm"), 10_000, "rm");
    const image = webPod().spec.containers[0].image!;
    const positional = (call: string[]) => ({ image: [image], pull: [image], run: [image], inspect: [], stop: [], rm: [] })[call[0] === "image" ? "image" : call[0] as "pull"];
    for (const call of engine.calls().filter((c) => ["image", "pull", "run", "inspect", "stop", "rm"].includes(c[0]))) {
      expect(call, call.join(" ")).toContain("--");
      for (const arg of positional(call) ?? []) expect(call.indexOf(arg)).toBeGreaterThan(call.indexOf("--"));
    }
  });

  it("reports a container the engine could not start as StartError and backs off", async () => {
    const engine = installFakeEngine(dir, "docker", { images: ["broken:1"], failStart: ["broken:1"] });
    // A back-off long enough to be seen on a busy machine, where each stand-in engine call takes ~0.5 s.
    const runtime = newRuntime(engine, "docker", { initialMs: 3000, maxMs: 6000 });
    await runtime.recover();
    runtime.syncPod(makePod("web", { uid: "u-web", containers: [{ name: "main", image: "broken:1" }] }));
    await waitFor(() => (state(runtime)?.state as { reason?: string }).reason === "CrashLoopBackOff", 10_000, "the back-off after two failed starts");
    expect(state(runtime)?.lastTermination).toMatchObject({ exitCode: 128, reason: "StartError", message: expect.stringContaining("executable file not found") });
  });

  it("runs exec probes inside the container (here: on the host, through the stand-in)", async () => {
    const engine = installFakeEngine(dir, "docker", { images: ["busybox:1.36"] });
    const runtime = newRuntime(engine);
    await runtime.recover();
    runtime.syncPod(webPod());
    await waitFor(() => state(runtime)?.state.kind === "running", 10_000, "running");
    expect(await runtime.exec("u-web", "main", ["sh", "-c", "echo ok; exit 3"], 5000)).toEqual({ exitCode: 3, output: "ok\n", timedOut: false });
    expect(engine.calls().find((c) => c[0] === "exec")?.slice(1)).toEqual(["--", expect.any(String), "sh", "-c", "echo ok; exit 3"]);
  });

  it("is unavailable without its daemon, and says so once", async () => {
    const engine = installFakeEngine(dir, "docker", { available: false });
    const runtime = newRuntime(engine);
    await runtime.recover();
    expect(runtime.available()).toBe(false);
    expect(logs.filter((l) => l.includes("runtime docker is not available"))).toEqual(["runtime docker is not available: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"]);
    engine.update((s) => (s.available = true));
    expect(await runtime.checkAvailability()).toBe(true);
  });

  it("is unavailable when its CLI is missing", async () => {
    const runtime = new ContainerRuntime({ engine: "podman", command: join(dir, "no-such-podman"), agentId: "a", helper: {} as RuntimeHelper, secretsDir: dir, log: (l) => logs.push(l) });
    runtimes.push(runtime);
    expect(await runtime.checkAvailability()).toBe(false);
    expect(logs[0]).toBe(`runtime podman is not available: ${join(dir, "no-such-podman")} not found`);
  });
});
