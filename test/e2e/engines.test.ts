/**
 * The docker and podman runtimes against the real engines (dockerd 20.10 and podman 4.3 from
 * Debian, each private to this test: test/support/engines.ts), with the real Worker and a real
 * agent that has both: one DaemonSet per engine (`runtimeClassName`) with host networking, an
 * httpGet readiness probe and an exec liveness probe. Each runs and becomes ready, is restarted
 * by its liveness probe, rolls to a new image tag, is adopted (not duplicated) by an agent that
 * was SIGKILLed, and starts again after a reboot without network (the engine's containers dead,
 * the agent restarted while the control plane is unreachable). The real kubectl reaches each pod
 * through the Worker and the agent's outbound session socket: logs (--tail, -f), exec (exit
 * code, -i, -it), cp both ways, attach and port-forward. Where an engine cannot run here,
 * `startEngines` throws and every test fails with the reason.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, it, type TestContext } from "vitest";
import { removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { type EngineName, type Engines, freePort, startEngines } from "../support/engines.ts";
import { createKubectl, type Kubectl } from "../support/kubectl.ts";
import { startLink, type Link } from "../support/link.ts";
import { daemonSet } from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";

const engineNames: EngineName[] = ["docker", "podman"];
const nodeName = "edge-engines";
let engines: Engines;
let cp: ControlPlane;
let link: Link;
let agent: AgentProcess;
let k: Kubectl;
const ports = {} as Record<EngineName, number>;

function startEngineAgent(options: { stateDir?: string; bootstrapToken?: string } = {}): Promise<AgentProcess> {
  return startAgent(cp, { nodeName, labels: { engines: "real" }, extraArgs: ["--runtimes", "process,docker,podman"], env: engines.env, link, ...options });
}

beforeAll(async () => {
  engines = await startEngines({ tags: ["1", "2"] });
  for (const engine of engineNames) ports[engine] = await freePort();
  cp = await startControlPlane();
  link = await startLink(cp);
  k = createKubectl(cp);
  agent = await startEngineAgent();
}, 180_000);

afterAll(async () => {
  await agent?.stop();
  if (agent) removeStateDir(agent);
  await link?.close();
  k?.cleanup();
  await cp?.stop();
  await engines?.stop();
}, 180_000);

// A failure shows what the agent said: the engines' errors are in its log.
afterEach((context: TestContext) => {
  if (context.task.result?.state === "fail") console.log(`agent output (last 80 lines):\n${agent?.output().split("\n").slice(-80).join("\n")}`);
});

const dsName = (engine: EngineName) => `web-${engine}`;
const dsPath = (engine: EngineName) => `/apis/apps/v1/namespaces/default/daemonsets/${dsName(engine)}`;
const podsOf = async (engine: EngineName) => (await cp.api("GET", `/api/v1/namespaces/default/pods?labelSelector=app%3D${dsName(engine)}`)).json().items as any[];
const isReady = (pod: any) => pod?.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True");

/** The engine's running containers of the DaemonSet's pods (by the kubelet's labels). */
async function runningContainers(engine: EngineName): Promise<string[]> {
  const ps = await engines.cli(engine, ["ps", "--no-trunc", "--filter", `label=io.kubernetes.pod.name`, "--format", "{{.ID}} {{.Names}}"]);
  expect(ps.code, ps.stderr).toBe(0);
  return ps.stdout.split("\n").filter((line) => line.includes(`_${dsName(engine)}-`)).map((line) => line.split(" ")[0]!);
}

async function httpBody(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/index.html`);
  return (await res.text()).trim();
}

/** The single pod of the DaemonSet, once it runs the tag, is ready and is served on its port. */
async function readyPod(engine: EngineName, tag: string, restartCount = 0): Promise<any> {
  return waitFor(`the ${engine} pod ready on tag ${tag} (restartCount ${restartCount})`, async () => {
    const pods = await podsOf(engine);
    const status = pods[0]?.status?.containerStatuses?.[0];
    const ok = pods.length === 1 && isReady(pods[0]) && pods[0].spec.containers[0].image === engines.image(tag) && status?.restartCount === restartCount && (await httpBody(ports[engine])) === tag;
    return ok && pods[0];
  }, 90_000, 250);
}

function webContainer(engine: EngineName, tag: string) {
  const port = ports[engine];
  return {
    name: "web",
    image: engines.image(tag),
    // PID 1 traps SIGTERM, so a stop takes a second, not the grace period.
    command: ["sh", "-c", `trap "exit 0" TERM; echo "web $(cat /etc/edgeset-image) started"; echo "serving on ${port}"; mkdir -p /www; cp /etc/edgeset-image /www/index.html; touch /tmp/alive; httpd -p ${port} -h /www; while true; do sleep 1; done`],
    readinessProbe: { httpGet: { path: "/index.html", port }, periodSeconds: 1 },
    // A generous timeout: an engine exec takes a while on a busy machine, and a timeout counts as a failure.
    livenessProbe: { exec: { command: ["test", "-f", "/tmp/alive"] }, periodSeconds: 1, timeoutSeconds: 10, failureThreshold: 2 },
  };
}

it("runs a DaemonSet on each engine: ready through its httpGet probe, restarted by its exec liveness probe", async () => {
  const node = await waitFor("the node reporting both engines", async () => {
    const n = (await cp.api("GET", `/api/v1/nodes/${nodeName}`)).json();
    return n.metadata?.labels?.["runtime.edgeset.dev/docker"] === "true" && n.metadata.labels["runtime.edgeset.dev/podman"] === "true" && n;
  }, 60_000);
  expect(node.metadata.labels["runtime.edgeset.dev/process"]).toBe("true");

  for (const engine of engineNames) {
    const res = await cp.api(
      "POST",
      "/apis/apps/v1/namespaces/default/daemonsets",
      daemonSet({ name: dsName(engine), nodeSelector: { engines: "real" }, containers: [webContainer(engine, "1")], pod: { runtimeClassName: engine, hostNetwork: true, terminationGracePeriodSeconds: 2 } }),
    );
    expect(res.status, res.body).toBe(201);
  }
  for (const engine of engineNames) {
    const pod = await readyPod(engine, "1");
    const [id] = await runningContainers(engine);
    expect(pod.status.containerStatuses[0]).toMatchObject({ containerID: `${engine}://${id}`, imageID: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), ready: true, started: true, restartCount: 0 });
    await waitFor(`${engine}: numberReady 1`, async () => (await cp.api("GET", dsPath(engine))).json().status?.numberReady === 1);
  }

  // The liveness probe fails once its file is gone: the container is killed and started again.
  for (const engine of engineNames) {
    const [id] = await runningContainers(engine);
    const rm = await engines.cli(engine, ["exec", id!, "rm", "/tmp/alive"]);
    expect(rm.code, rm.stderr).toBe(0);
  }
  for (const engine of engineNames) {
    const pod = await readyPod(engine, "1", 1);
    expect(pod.status.containerStatuses[0].lastState.terminated).toMatchObject({ reason: expect.stringMatching(/^(Completed|Error)$/) });
    expect(await runningContainers(engine)).toHaveLength(1);
  }
});

it("rolls each DaemonSet to a new image tag", async () => {
  const before = Object.fromEntries(await Promise.all(engineNames.map(async (e) => [e, (await podsOf(e))[0].metadata.uid])));
  for (const engine of engineNames) {
    const res = await cp.mergePatch(dsPath(engine), { spec: { template: { spec: { containers: [webContainer(engine, "2")] } } } });
    expect(res.status, res.body).toBe(200);
  }
  for (const engine of engineNames) {
    const pod = await readyPod(engine, "2");
    expect(pod.metadata.uid).not.toBe(before[engine]);
    await waitFor(`${engine}: the rollout complete`, async () => {
      const status = (await cp.api("GET", dsPath(engine))).json().status;
      return status?.updatedNumberScheduled === 1 && status.numberAvailable === 1 && status.observedGeneration === 2;
    });
    expect(await runningContainers(engine)).toHaveLength(1);
  }
});

it("kubectl logs (--tail, -f), exec (exit code, stdin, -it) and port-forward reach each engine's pod through the Worker", async () => {
  for (const engine of engineNames) {
    const pod = (await podsOf(engine))[0].metadata.name as string;

    const all = await k.run("logs", pod);
    expect(all, engine).toMatchObject({ code: 0, stdout: `web 2 started\nserving on ${ports[engine]}\n` });
    expect((await k.run("logs", pod, "--tail=1")).stdout, engine).toBe(`serving on ${ports[engine]}\n`);

    // -f prints a line the container writes after kubectl started (written to PID 1's stdout by an exec).
    const follow = k.start("logs", "-f", pod, "--tail=1");
    try {
      await waitFor(`${engine}: logs -f printing the last line`, () => follow.stdout().includes("serving on"), 60_000);
      const write = await k.run("exec", pod, "--", "sh", "-c", "echo written later > /proc/1/fd/1");
      expect(write, engine).toMatchObject({ code: 0, stderr: "" });
      await waitFor(`${engine}: logs -f printing the new line`, () => follow.stdout().includes("written later\n"), 60_000);
    } finally {
      follow.stop();
      await follow.done;
    }

    const exec = await k.run("exec", pod, "--", "sh", "-c", "cat /etc/edgeset-image; echo oops >&2; exit 3");
    expect(exec, engine).toEqual({ code: 3, stdout: "2\n", stderr: "oops\ncommand terminated with exit code 3\n" });
    const piped = await k.run("exec", "-i", pod, "--", "sh", "-c", 'while read line; do echo "got $line"; done; echo done', { stdin: "one\ntwo\n" });
    expect(piped, engine).toMatchObject({ code: 0, stdout: "got one\ngot two\ndone\n" });
    // The size arrives as a resize just after the start (docker 20.10's exec terminal has none
    // before: busybox's stty fails on it): the command waits for it.
    const script = 'test -t 0 && echo on-a-terminal; i=0; until stty size 2>/dev/null | grep -q "^[1-9]" || [ $i -ge 50 ]; do sleep 0.1; i=$((i+1)); done; stty size; exit 4';
    const terminal = await k.run("exec", "-it", pod, "--", "sh", "-c", script, { terminal: true });
    expect(terminal.stdout, engine).toContain("on-a-terminal");
    expect(terminal.stdout, engine).toContain("30 100");
    expect(terminal.code, engine).toBe(4);

    const forward = k.start("port-forward", `pod/${pod}`, `:${ports[engine]}`);
    try {
      const local = await waitFor(`${engine}: kubectl's Forwarding line`, () => /Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)/.exec(forward.stdout()), 60_000);
      expect(local[2]).toBe(String(ports[engine]));
      expect(await httpBody(Number(local[1]))).toBe("2");
    } finally {
      forward.stop();
      await forward.done;
    }
  }
});

it("kubectl cp copies a file into each engine's pod and back (tar through exec)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "edgeset-engines-cp-"));
  try {
    for (const engine of engineNames) {
      const pod = (await podsOf(engine))[0].metadata.name as string;
      const text = `copied to ${engine}\n`.repeat(1000);
      writeFileSync(join(dir, `${engine}.txt`), text);
      const to = await k.run("cp", join(dir, `${engine}.txt`), `default/${pod}:/tmp/copied.txt`);
      expect(to, engine).toMatchObject({ code: 0, stderr: "" });
      expect((await k.run("exec", pod, "--", "wc", "-c", "/tmp/copied.txt")).stdout.trim(), engine).toBe(`${text.length} /tmp/copied.txt`);
      const back = await k.run("cp", `default/${pod}:/tmp/copied.txt`, join(dir, `${engine}-back.txt`));
      expect(back.code, `${engine}: ${back.stderr}`).toBe(0);
      expect(readFileSync(join(dir, `${engine}-back.txt`), "utf8") === text, engine).toBe(true);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("kubectl attach prints what each engine's container writes from then on; attach -i is refused, saying why", async () => {
  for (const engine of engineNames) {
    const pod = (await podsOf(engine))[0].metadata.name as string;
    const attach = k.start("attach", pod);
    try {
      // What the container wrote before the device joined is not attach's: write until a line shows.
      await waitFor(`${engine}: kubectl attach printing a line written after it started`, async () => {
        await k.run("exec", pod, "--", "sh", "-c", "echo attached line > /proc/1/fd/1");
        return attach.stdout().includes("attached line\n");
      }, 60_000);
      expect(attach.stdout()).not.toContain("serving on");
    } finally {
      attach.stop();
      await attach.done;
    }
    const refused = await k.run("attach", "-i", pod);
    expect(refused.code, engine).toBe(1);
    expect(refused.stderr, engine).toContain("use kubectl exec -it");
  }
});

it("a SIGKILLed agent adopts the running containers instead of starting a second copy", async () => {
  const before = Object.fromEntries(await Promise.all(engineNames.map(async (e) => [e, await runningContainers(e)])));
  await agent.stop("SIGKILL");
  agent = await startEngineAgent({ stateDir: agent.stateDir, bootstrapToken: "" });
  await waitFor("both containers adopted", () => agent.output().includes("adopted docker container(s) web") && agent.output().includes("adopted podman container(s) web"), 60_000);
  await link.waitForSyncs(nodeName, 3, 60_000);
  for (const engine of engineNames) {
    expect(await runningContainers(engine)).toEqual(before[engine]);
    const pod = await readyPod(engine, "2");
    expect(pod.status.containerStatuses[0].containerID).toBe(`${engine}://${before[engine]![0]}`);
  }
});

it("after a reboot without network, starts the saved pods again on both engines", async () => {
  const before = Object.fromEntries(await Promise.all(engineNames.map(async (e) => [e, await runningContainers(e)])));
  // The power goes: the agent and every container die; the network stays down after the boot.
  await agent.stop("SIGKILL");
  link.cut();
  await engines.restartDocker();
  const kill = await engines.cli("podman", ["kill", ...before.podman!]);
  expect(kill.code, kill.stderr).toBe(0);
  for (const engine of engineNames) expect(await runningContainers(engine)).toEqual([]);

  const answered = link.syncs(nodeName);
  agent = await startEngineAgent({ stateDir: agent.stateDir, bootstrapToken: "" });
  for (const engine of engineNames) {
    const id = await waitFor(`the ${engine} pod started again offline`, async () => {
      const running = await runningContainers(engine);
      return running.length === 1 && running[0] !== before[engine]![0] && (await httpBody(ports[engine])) === "2" && running[0];
    }, 90_000, 250);
    expect(id).toBeDefined();
  }
  // No sync got through meanwhile: the agent started them from what it had saved.
  expect(link.syncs(nodeName)).toBe(answered);

  link.restore();
  for (const engine of engineNames) {
    const pod = await readyPod(engine, "2", 1);
    expect(pod.status.containerStatuses[0].containerID).toBe(`${engine}://${(await runningContainers(engine))[0]}`);
  }
});
