/**
 * The docker and podman runtimes' logs, exec and port connection (what `kubectl logs`, `exec` and
 * `port-forward` reach on a device) against the real engines (test/support/engines.ts), without a
 * control plane: the runtime runs a pod, and its methods are called as the session bridge will.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContainerRuntime } from "../../agent/runtime/container/container-runtime.ts";
import type { ExecStreams, LogRequest, OutputSink } from "../../agent/runtime/runtime.ts";
import { makePod } from "../../agent/testing/pods.ts";
import { VolumeManager } from "../../agent/volumes/volume-manager.ts";
import { type EngineName, type Engines, freePort, startEngines } from "../support/engines.ts";
import { waitFor } from "../support/wait.ts";

let engines: Engines;
let dir: string;
const runtimes: ContainerRuntime[] = [];

beforeAll(async () => {
  engines = await startEngines({ tags: ["1"] });
  dir = mkdtempSync(join(tmpdir(), "edgeset-engine-streams-"));
}, 180_000);

afterAll(async () => {
  for (const runtime of runtimes) runtime.close();
  await engines?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 180_000);

function newRuntime(engine: EngineName): ContainerRuntime {
  const runtime = new ContainerRuntime({
    engine,
    env: { PATH: process.env.PATH, ...engines.env },
    agentId: `streams-${engine}`,
    helper: {
      config: { configMap: () => undefined, secret: () => undefined },
      podFacts: () => ({ nodeName: "edge-1", hostIP: "127.0.0.1" }),
      volumes: new VolumeManager({ stateDir: join(dir, engine, "state"), secretsDir: join(dir, engine, "shm") }),
    },
    secretsDir: join(dir, engine, "shm"),
    log: () => {},
    restartBackoff: { initialMs: 100, maxMs: 200 },
    minimumGracePeriodSeconds: 0,
  });
  runtimes.push(runtime);
  return runtime;
}

function sink(): OutputSink & { text(): string; abort(): void } {
  const chunks: Buffer[] = [];
  const controller = new AbortController();
  return {
    write: async (chunk) => void chunks.push(Buffer.from(chunk)),
    signal: controller.signal,
    text: () => Buffer.concat(chunks).toString("utf8"),
    abort: () => controller.abort(),
  };
}

const request = (more: Partial<LogRequest> = {}): LogRequest => ({ container: "main", follow: false, previous: false, timestamps: false, ...more });

describe.each(["docker", "podman"] as const)("%s", { timeout: 120_000 }, (engine) => {
  let runtime: ContainerRuntime;
  const uid = `u-streams-${engine}`;

  beforeAll(async () => {
    runtime = newRuntime(engine);
    await runtime.recover();
    // Counts to 3 and stays, until /tmp/more appears: then one line more and an exit (a restart follows).
    const script = "for i in 1 2 3; do echo line $i; done; echo oops >&2; while [ ! -f /tmp/more ]; do sleep 0.2; done; echo late; exit 4";
    const pod = makePod("streams", { uid, containers: [{ name: "main", image: engines.image("1"), command: ["sh", "-c", script] }], terminationGracePeriodSeconds: 0 });
    pod.spec.hostNetwork = true;
    runtime.syncPod(pod);
    await waitFor(`the ${engine} container running with its output`, async () => {
      const out = sink();
      await runtime.logs(uid, request(), out).catch(() => undefined);
      return out.text().includes("oops");
    }, 60_000);
  }, 120_000);

  it("logs: stdout and stderr, --tail, --timestamps, --limit-bytes", async () => {
    const all = sink();
    await runtime.logs(uid, request(), all);
    expect(all.text().split("\n").filter(Boolean).sort()).toEqual(["line 1", "line 2", "line 3", "oops"]);

    const tail = sink();
    await runtime.logs(uid, request({ tailLines: 1 }), tail);
    expect(["line 3\n", "oops\n"]).toContain(tail.text());

    const stamped = sink();
    await runtime.logs(uid, request({ timestamps: true, tailLines: 4 }), stamped);
    for (const line of stamped.text().split("\n").filter(Boolean)) expect(line).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z /);

    const limited = sink();
    await runtime.logs(uid, request({ limitBytes: 4 }), limited);
    expect(limited.text()).toHaveLength(4);

    const future = sink();
    await runtime.logs(uid, request({ sinceTime: Date.now() + 60_000 }), future);
    expect(future.text()).toBe("");
  });

  it("exec: output, stdin and the exit code; a TTY through script", async () => {
    const out = sink();
    const err = sink();
    let sendStdin: (chunk: Uint8Array | null) => void = () => {};
    const streams: ExecStreams = { stdout: out, stderr: err, onStdin: (l) => (sendStdin = l), onResize: () => {} };
    const running = runtime.execStream(uid, { container: "main", command: ["sh", "-c", "read x; echo got $x; echo warn >&2; exit 3"], tty: false, stdin: true }, streams);
    sendStdin(Buffer.from("hello\n"));
    sendStdin(null);
    expect(await running).toBe(3);
    expect(out.text()).toBe("got hello\n");
    expect(err.text()).toBe("warn\n");

    const terminal = sink();
    expect(await runtime.execStream(uid, { container: "main", command: ["sh", "-c", "test -t 1 && echo on a terminal"], tty: true, stdin: false }, { stdout: terminal, onStdin: () => {}, onResize: () => {} })).toBe(0);
    expect(terminal.text()).toContain("on a terminal");
    await expect(runtime.execStream(uid, { container: "nope", command: ["true"], tty: false, stdin: false }, streams)).rejects.toThrow(/not running/);
  });

  it("connects to a port of the pod (port-forward)", async () => {
    const port = await freePort();
    const quiet = { stdout: sink(), onStdin: () => {}, onResize: () => {} };
    expect(await runtime.execStream(uid, { container: "main", command: ["sh", "-c", `mkdir -p /www && echo hi from ${engine} > /www/index.html && httpd -p 127.0.0.1:${port} -h /www`], tty: false, stdin: false }, quiet)).toBe(0);
    const stream = await runtime.connectPort(uid, port);
    const received: Buffer[] = [];
    const closed = new Promise<void>((resolve) => stream.onData((chunk) => (chunk === null ? resolve() : received.push(Buffer.from(chunk)))));
    await stream.write(Buffer.from("GET /index.html HTTP/1.0\r\n\r\n"));
    await closed;
    expect(Buffer.concat(received).toString("utf8")).toMatch(new RegExp(`^HTTP/1.[01] 200[\\s\\S]*hi from ${engine}\n$`));
  });

  it("logs --follow sees a line written after it started, and --previous reads the instance before a restart", async () => {
    const followed = sink();
    const following = runtime.logs(uid, request({ follow: true, tailLines: 0 }), followed);
    const touch = sink();
    expect(await runtime.execStream(uid, { container: "main", command: ["touch", "/tmp/more"], tty: false, stdin: false }, { stdout: touch, onStdin: () => {}, onResize: () => {} })).toBe(0);
    // The container exits after the line: the follow ends with it.
    await following;
    expect(followed.text()).toBe("late\n");

    await waitFor("the restarted container", () => runtime.listPods()[0]?.containers[0]?.restartCount === 1 && runtime.listPods()[0]?.containers[0]?.state.kind === "running", 60_000);
    const previous = sink();
    await runtime.logs(uid, request({ previous: true, tailLines: 1 }), previous);
    expect(previous.text()).toBe("late\n");
  });
});
