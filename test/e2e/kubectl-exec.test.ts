/**
 * The real `kubectl exec` (v5.channel.k8s.io over WebSocket, kubectl 1.32's default) against the
 * real Worker and a real agent (process runtime): the device learns of the session at its next
 * sync, joins the node's session bridge outbound, runs the command with the container's
 * environment and working directory, and kubectl exits with the command's exit code.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killWorkloads, removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { createKubectl, type Kubectl, type RunOptions } from "../support/kubectl.ts";
import { daemonSet } from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";

const marker = `e2e-kubectl-exec-${process.pid}`;
const ns = "ke";
let cp: ControlPlane;
let k: Kubectl;
let agent: AgentProcess;
let pod: string;

const kubectl = (...args: (string | RunOptions)[]) => k.run("-n", ns, ...args);

beforeAll(async () => {
  cp = await startControlPlane();
  k = createKubectl(cp);
  agent = await startAgent(cp, { nodeName: "ke-1" });
  await waitFor("the node Ready", async () => /\sReady\s/.test((await k.run("get", "nodes", "--no-headers")).stdout), 60_000);
  expect((await k.run("create", "namespace", ns)).code).toBe(0);
  const manifest = daemonSet({
    name: "shell",
    metadata: { labels: { app: "shell" } },
    container: { workingDir: "/tmp", env: [{ name: "GREETING", value: "hello from the pod" }] },
    command: ["sh", "-c", 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 1; done', `${marker}/shell/`],
  });
  expect((await kubectl("apply", "-f", k.file("shell.yaml", JSON.stringify(manifest)))).code).toBe(0);
  expect((await kubectl("rollout", "status", "ds/shell", "--timeout=90s")).code).toBe(0);
  pod = (await kubectl("get", "pods", "-l", "app=shell", "-o", "jsonpath={.items[0].metadata.name}")).stdout;
  await waitFor("the pod Running", async () => (await kubectl("get", "pod", pod, "-o", "jsonpath={.status.phase}")).stdout === "Running", 60_000);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail" && agent) console.log(`DEBUG agent:\n${agent.output().slice(-3000)}`);
});

/** A port nothing listens on now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const wwwDir = join(tmpdir(), `${marker}-www`);

afterAll(async () => {
  await kubectl("delete", "ds", "shell", "web", "--wait=false").catch(() => {});
  await agent?.stop();
  rmSync(wwwDir, { recursive: true, force: true });
  killWorkloads(marker);
  if (agent) removeStateDir(agent);
  k?.cleanup();
  await cp?.stop();
});

describe("kubectl exec through the session bridge", () => {
  it("prints the command's output and exits with its exit code", async () => {
    const result = await kubectl("exec", pod, "--", "sh", "-c", "echo hi; exit 3");
    expect(result.stdout).toBe("hi\n");
    expect(result.stderr).toBe("command terminated with exit code 3\n");
    expect(result.code).toBe(3);
  });

  it("runs with the container's environment and working directory, and keeps stderr apart", async () => {
    const result = await kubectl("exec", pod, "--", "sh", "-c", 'echo "$GREETING"; pwd; echo oops >&2');
    expect(result.stdout).toBe("hello from the pod\n/tmp\n");
    expect(result.stderr).toBe("oops\n");
    expect(result.code).toBe(0);
  });

  it("-i passes stdin and its end", async () => {
    const result = await kubectl("exec", "-i", pod, "--", "sh", "-c", 'while read line; do echo "got $line"; done; echo done', { stdin: "one\ntwo\n" });
    expect(result.stdout).toBe("got one\ngot two\ndone\n");
    expect(result.code).toBe(0);
  });

  it("-it gives the command a terminal of kubectl's size, and its exit code", async () => {
    // The size arrives as a resize message just after the start: the command waits for it.
    const script = 'test -t 0 && echo on-a-terminal; i=0; while [ "$(stty size)" = "0 0" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; stty size; exit 4';
    const result = await kubectl("exec", "-it", pod, "--", "sh", "-c", script, { terminal: true });
    expect(result.stdout).toContain("on-a-terminal");
    expect(result.stdout).toContain("30 100");
    expect(result.code).toBe(4);
  });

  it("a command that does not exist fails with kubectl's error, exit 1", async () => {
    const result = await kubectl("exec", pod, "--", "no-such-command-here");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no-such-command-here");
  });

  it("a container the pod does not have is refused by the API", async () => {
    const result = await kubectl("exec", pod, "-c", "nope", "--", "true");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("container nope is not valid");
  });

  it("kubectl asked to use SPDY fails at once, saying WebSockets are needed", async () => {
    const result = await kubectl("exec", pod, "--", "true", { env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: "false" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("over WebSockets only");
  });
});

describe("kubectl attach and cp through the session bridge", () => {
  it("attach prints the container's output from then on, and refuses -i saying why", async () => {
    const before = Number(/tick (\d+)/.exec((await kubectl("logs", pod, "--tail=1")).stdout)?.[1]);
    const attach = k.start("-n", ns, "attach", pod);
    try {
      const first = await waitFor("a tick through attach", () => /tick (\d+)/.exec(attach.stdout()), 60_000);
      expect(Number(first[1])).toBeGreaterThan(before);
    } finally {
      attach.stop();
      await attach.done;
    }
    const refused = await kubectl("attach", "-i", pod);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("use kubectl exec -it");
  });

  it("cp copies a file to the pod and back (tar through exec)", async () => {
    const remote = join(tmpdir(), `${marker}-cp`);
    mkdirSync(remote, { recursive: true });
    try {
      const text = "a copied file\n".repeat(2000);
      const to = await kubectl("cp", k.file("copy.txt", text), `${ns}/${pod}:${remote}/copy.txt`);
      expect(to).toMatchObject({ code: 0, stderr: "" });
      expect(readFileSync(join(remote, "copy.txt"), "utf8") === text).toBe(true);
      const back = join(k.dir, "back.txt");
      const from = await kubectl("cp", `${ns}/${pod}:${remote}/copy.txt`, back);
      expect(from.code, from.stderr).toBe(0);
      expect(readFileSync(back, "utf8") === text).toBe(true);
    } finally {
      rmSync(remote, { recursive: true, force: true });
    }
  });
});

describe("kubectl port-forward through the session bridge", () => {
  it("fetches a page served by a pod on the device, over two connections", async () => {
    const port = await freePort();
    mkdirSync(wwwDir, { recursive: true });
    writeFileSync(join(wwwDir, "index.html"), "a page from the device\n");
    const manifest = daemonSet({ name: "web", metadata: { labels: { app: "web" } }, command: ["busybox", "httpd", "-f", "-p", `127.0.0.1:${port}`, "-h", wwwDir] });
    expect((await kubectl("apply", "-f", k.file("web.yaml", JSON.stringify(manifest)))).code).toBe(0);
    expect((await kubectl("rollout", "status", "ds/web", "--timeout=90s")).code).toBe(0);
    const web = (await kubectl("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}")).stdout;
    await waitFor("the pod's server", async () => (await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()).catch(() => "")).includes("a page"), 60_000);

    const forward = k.start("-n", ns, "port-forward", `pod/${web}`, `:${port}`);
    try {
      const local = await waitFor("kubectl's Forwarding line", () => /Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)/.exec(forward.stdout()), 60_000);
      expect(local[2]).toBe(String(port));
      for (const _ of [1, 2]) {
        const res = await fetch(`http://127.0.0.1:${local[1]}/`, { headers: { Connection: "close" } });
        expect(res.status).toBe(200);
        expect(await res.text()).toBe("a page from the device\n");
      }
      expect(forward.stdout()).toContain("Handling connection for");
    } finally {
      forward.stop();
      const ended = await forward.done;
      if (!ended.stdout.includes("Handling connection for") || ended.stderr) console.log(`DEBUG port-forward: ${JSON.stringify(ended)}`);
    }
  });
});
