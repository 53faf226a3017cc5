import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Pod } from "../../../src/resources/types.ts";
import { makePod } from "../../testing/pods.ts";
import { isAlive, killRecordedGroups, waitFor } from "../../testing/wait.ts";
import type { ContainerSnapshot } from "../runtime.ts";
import { ProcessRuntime, type ProcessRuntimeOptions } from "./process-runtime.ts";

let dir: string;
let logs: string[];
let runtimes: ProcessRuntime[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "edgeset-runtime-"));
  logs = [];
  runtimes = [];
});

afterEach(() => {
  for (const runtime of runtimes) runtime.close();
  killRecordedGroups(join(dir, "pods"));
  rmSync(dir, { recursive: true, force: true });
});

function newRuntime(options: Partial<ProcessRuntimeOptions> = {}): ProcessRuntime {
  const runtime = new ProcessRuntime({
    rootDir: join(dir, "pods"),
    log: (line) => logs.push(line),
    restartBackoff: { initialMs: 300, maxMs: 1200 },
    pollIntervalMs: 50,
    minimumGracePeriodSeconds: 0,
    ...options,
  });
  runtimes.push(runtime);
  return runtime;
}

function container(runtime: ProcessRuntime, uid: string, name = "main"): ContainerSnapshot | undefined {
  return runtime.listPods().find((p) => p.uid === uid)?.containers.find((c) => c.name === name);
}

function pidOf(snapshot: ContainerSnapshot | undefined): number {
  const pid = Number(snapshot?.containerID?.replace("process://", ""));
  if (!pid) throw new Error("no pid");
  return pid;
}

/** A shell command; write `$$$$` for the shell's `$$` (Kubernetes turns `$$` into `$`). */
function sh(script: string): string[] {
  return ["sh", "-c", script];
}

function pidLines(file: string): string[] {
  try {
    return readFileSync(file, "utf8").trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

// Real processes: generous timeouts for a loaded CI machine.
describe("ProcessRuntime", { timeout: 30_000 }, () => {
  it("runs the command detached with its env and workingDir, output appended to the log", async () => {
    const runtime = newRuntime({ baseEnv: { PATH: process.env.PATH, EDGESET_BOOTSTRAP_TOKEN: undefined } });
    const pod = makePod("web", {
      uid: "u1",
      containers: [
        {
          name: "main",
          command: sh('echo "$GREETING from $(pwd) token=${EDGESET_BOOTSTRAP_TOKEN:-none}"; exec sleep 1000'),
          env: [{ name: "GREETING", value: "hello" }],
          workingDir: dir,
        },
      ],
    });
    runtime.syncPod(pod);
    const snap = await waitFor(() => container(runtime, "u1")?.state.kind === "running" && container(runtime, "u1"));
    const pid = pidOf(snap);
    const logFile = runtime.logPath("u1", "main") ?? "";
    expect(logFile).toBe(join(dir, "pods", "default_web_u1", "logs", "main", "0.log"));
    await waitFor(() => readFileSync(logFile, "utf8").includes("hello"));
    expect(readFileSync(logFile, "utf8")).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:]{8}\\.\\d{9}Z stdout F hello from ${dir} token=none\n$`));
    // Its own process group, so it outlives the agent and can be signalled as a whole.
    expect(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[2]).toBe(String(pid));
    const state = JSON.parse(readFileSync(join(dir, "pods", "default_web_u1", "state.json"), "utf8"));
    expect(state.containers[0].process).toMatchObject({ pid, startTicks: expect.stringMatching(/^\d+$/) });
  });

  it("does not pass the agent's EDGESET_* variables to workloads", async () => {
    process.env.EDGESET_BOOTSTRAP_TOKEN = "secret-token";
    let runtime: ProcessRuntime;
    try {
      runtime = newRuntime();
    } finally {
      delete process.env.EDGESET_BOOTSTRAP_TOKEN;
    }
    runtime.syncPod(makePod("env", { uid: "u-env", command: sh('echo "token=${EDGESET_BOOTSTRAP_TOKEN:-none}"; exec sleep 1000') }));
    const logFile = await waitFor(() => runtime.logPath("u-env", "main"));
    await waitFor(() => pidLines(logFile).length > 0);
    expect(readFileSync(logFile, "utf8")).toMatch(/ stdout F token=none\n$/);
  });

  it("restarts a crashing container with the kubelet's back-off", async () => {
    const runtime = newRuntime();
    runtime.syncPod(makePod("crash", { uid: "uc", command: sh("exit 3") }));
    // First exit: immediate restart; second exit: back-off 300ms.
    const waiting = await waitFor(() => {
      const c = container(runtime, "uc");
      return c?.state.kind === "waiting" && c.state.reason === "CrashLoopBackOff" && c;
    });
    expect(waiting.state).toEqual({
      kind: "waiting",
      reason: "CrashLoopBackOff",
      message: "back-off 300ms restarting failed container=main pod=crash_default(uc)",
    });
    expect(waiting.restartCount).toBe(1);
    expect(waiting.lastTermination).toMatchObject({ exitCode: 3, reason: "Error" });
    const next = await waitFor(() => {
      const c = container(runtime, "uc");
      return c?.state.kind === "waiting" && c.state.message?.startsWith("back-off 600ms") && c;
    });
    expect(next.restartCount).toBe(2);
    expect(logs.some((l) => l.includes("container main back-off 300ms before restarting"))).toBe(true);
  });

  it("marks a container that cannot be started StartError and backs off", async () => {
    const runtime = newRuntime();
    runtime.syncPod(makePod("missing", { uid: "um", command: ["/nonexistent/binary"] }));
    const c = await waitFor(() => {
      const snap = container(runtime, "um");
      return snap?.state.kind === "waiting" && snap.state.reason === "CrashLoopBackOff" && snap;
    });
    expect(c.lastTermination).toMatchObject({ exitCode: 128, reason: "StartError", message: expect.stringContaining("ENOENT") });
  });

  it.each<{ policy: Pod["spec"]["restartPolicy"]; script: string; want: object }>([
    { policy: "Never", script: "exit 4", want: { exitCode: 4, reason: "Error" } },
    { policy: "OnFailure", script: "exit 0", want: { exitCode: 0, reason: "Completed" } },
    { policy: "Never", script: "kill -9 $$$$", want: { exitCode: 137, signal: 9, reason: "Error" } },
  ])("leaves a container exited under $policy ($script)", async ({ policy, script, want }) => {
    const runtime = newRuntime();
    const pod = makePod("job", { uid: "uj", restartPolicy: policy, command: sh(script) });
    runtime.syncPod(pod);
    const c = await waitFor(() => container(runtime, "uj")?.state.kind === "terminated" && container(runtime, "uj"));
    // The restart decision is taken at the exit and on every sync, synchronously: a restart or a
    // back-off would show at once as running or CrashLoopBackOff. Sync as the agent does on each change.
    for (let i = 0; i < 3; i++) runtime.syncPod(pod);
    expect(container(runtime, "uj")).toEqual(c);
    expect(logs.filter((l) => l.includes("container main started") || l.includes("container main restarted"))).toHaveLength(1);
    expect(c.restartCount).toBe(0);
    expect(c.state.kind === "terminated" && c.state.termination).toMatchObject(want);
  });

  it("restarts OnFailure containers that failed", async () => {
    const runtime = newRuntime();
    runtime.syncPod(makePod("retry", { uid: "ur", restartPolicy: "OnFailure", command: sh(`[ -f ${dir}/done ] && exit 0; touch ${dir}/done; exit 1`) }));
    const c = await waitFor(() => container(runtime, "ur")?.state.kind === "terminated" && container(runtime, "ur"));
    expect(c.restartCount).toBe(1);
    expect(c.state.kind === "terminated" && c.state.termination.exitCode).toBe(0);
    expect(c.lastTermination?.exitCode).toBe(1);
  });

  it("kills what the container left in its process group when it exits", async () => {
    const runtime = newRuntime();
    const childFile = join(dir, "child.pid");
    runtime.syncPod(makePod("leaky", { uid: "ul", restartPolicy: "Never", command: sh(`sleep 1000 & echo $! > ${childFile}; sleep 0.2; exit 1`) }));
    await waitFor(() => container(runtime, "ul")?.state.kind === "terminated");
    const child = Number(readFileSync(childFile, "utf8"));
    await waitFor(() => !isAlive(child), 2000, "the orphaned child to die");
  });

  it("stops a pod with SIGTERM", async () => {
    const runtime = newRuntime();
    runtime.syncPod(makePod("web", { uid: "us", command: ["sleep", "1000"] }));
    const pid = pidOf(await waitFor(() => container(runtime, "us")?.state.kind === "running" && container(runtime, "us")));
    const started = Date.now();
    await runtime.killPod("us", 10);
    // Returned when the process exited, not when its 10 s grace period ran out (however loaded the machine).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(isAlive(pid)).toBe(false);
    const pod = runtime.listPods()[0];
    expect(pod.phase).toBe("stopped");
    expect(pod.containers[0].state).toMatchObject({ kind: "terminated", termination: { exitCode: 143, signal: 15, reason: "Error" } });
  });

  it("sends SIGKILL when the grace period runs out", async () => {
    const runtime = newRuntime();
    const ready = join(dir, "ready");
    runtime.syncPod(makePod("stubborn", { uid: "uk", command: sh(`trap '' TERM; touch ${ready}; while :; do sleep 0.05; done`) }));
    const pid = pidOf(await waitFor(() => container(runtime, "uk")?.state.kind === "running" && container(runtime, "uk")));
    await waitFor(() => isFile(ready), 5000, "the trap to be set");
    const started = Date.now();
    await runtime.killPod("uk", 1);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(5000);
    expect(isAlive(pid)).toBe(false);
    expect(runtime.listPods()[0].containers[0].state).toMatchObject({ kind: "terminated", termination: { exitCode: 137, signal: 9 } });
    expect(logs.some((l) => l.includes("sending SIGKILL"))).toBe(true);
  });

  it("never allows less than the minimum grace period", async () => {
    const runtime = newRuntime({ minimumGracePeriodSeconds: 1 });
    const ready = join(dir, "ready");
    runtime.syncPod(makePod("stubborn", { uid: "ug", command: sh(`trap '' TERM; touch ${ready}; while :; do sleep 0.05; done`) }));
    await waitFor(() => isFile(ready), 5000, "the trap to be set");
    const started = Date.now();
    await runtime.killPod("ug", 0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it("adopts a live process after a restart instead of starting a duplicate", async () => {
    const pids = join(dir, "pids");
    const pod = makePod("daemon", { uid: "ua", command: sh(`echo $$$$ >> ${pids}; exec sleep 1000`) });
    const first = newRuntime();
    first.syncPod(pod);
    const pid = pidOf(await waitFor(() => container(first, "ua")?.state.kind === "running" && container(first, "ua")));
    await waitFor(() => pidLines(pids).length === 1);
    first.close(); // the agent dies; its workload does not

    const second = newRuntime();
    await second.recover();
    second.syncPod(pod);
    // A start is recorded the moment it is spawned: the container's id names the adopted process.
    expect(logs.filter((l) => l.includes("container main started"))).toHaveLength(1);
    expect(pidLines(pids)).toEqual([String(pid)]);
    expect(container(second, "ua")).toMatchObject({ state: { kind: "running" }, containerID: `process://${pid}`, restartCount: 0 });
    expect(logs).toContain(`pod default/daemon: adopted container main (pid ${pid})`);

    await second.killPod("ua", 5);
    expect(isAlive(pid)).toBe(false);
    expect(second.listPods()[0].phase).toBe("stopped");
  });

  it("notices an adopted process that exits, and restarts it", async () => {
    const pids = join(dir, "pids");
    const pod = makePod("daemon", { uid: "ue", command: sh(`echo $$$$ >> ${pids}; exec sleep 1000`) });
    const first = newRuntime();
    first.syncPod(pod);
    const pid = pidOf(await waitFor(() => container(first, "ue")?.state.kind === "running" && container(first, "ue")));
    first.close();
    const second = newRuntime();
    await second.recover();
    second.syncPod(pod);
    process.kill(pid, "SIGKILL");
    const restarted = await waitFor(() => {
      const c = container(second, "ue");
      return c?.state.kind === "running" && c.containerID !== `process://${pid}` && c;
    });
    expect(restarted.restartCount).toBe(1);
    expect(restarted.lastTermination).toMatchObject({ exitCode: 137, reason: "ContainerStatusUnknown" });
    await waitFor(() => pidLines(pids).length === 2, 15_000, "the restarted process");
  });

  it("restarts a process that died while no agent watched it", async () => {
    const pod = makePod("daemon", { uid: "ud", command: ["sleep", "1000"] });
    const first = newRuntime();
    first.syncPod(pod);
    const pid = pidOf(await waitFor(() => container(first, "ud")?.state.kind === "running" && container(first, "ud")));
    first.close();
    process.kill(-pid, "SIGKILL");
    await waitFor(() => !isAlive(pid));

    const second = newRuntime();
    await second.recover();
    expect(container(second, "ud")?.state).toMatchObject({ kind: "terminated", termination: { reason: "ContainerStatusUnknown" } });
    second.syncPod(pod);
    const c = await waitFor(() => container(second, "ud")?.state.kind === "running" && container(second, "ud"));
    expect(c.restartCount).toBe(1);
  });

  it("keeps a pod it recovered stopped until it is synced again", async () => {
    const pod = makePod("old", { uid: "uo", command: ["sleep", "1000"] });
    const first = newRuntime();
    first.syncPod(pod);
    await waitFor(() => container(first, "uo")?.state.kind === "running");
    await first.killPod("uo", 5);
    first.close();
    const second = newRuntime();
    await second.recover();
    expect(second.listPods().map((p) => p.phase)).toEqual(["stopped"]);
    second.removePod("uo");
    expect(second.listPods()).toEqual([]);
  });

  it("reports a container without command as a config error and warns once", async () => {
    const runtime = newRuntime();
    const pod = makePod("img", { uid: "ui", containers: [{ name: "main", image: "nginx:1.27" }] });
    runtime.syncPod(pod);
    runtime.syncPod(pod);
    expect(container(runtime, "ui")?.state).toMatchObject({ kind: "waiting", reason: "CreateContainerConfigError" });
    expect(logs.filter((l) => l.includes("needs container.command"))).toHaveLength(1);
  });

  it("rotates a growing log while the process keeps writing", async () => {
    const runtime = newRuntime({ logRotation: { maxBytes: 200, maxFiles: 2 } });
    runtime.syncPod(makePod("chatty", { uid: "uv", command: sh("while :; do echo 0123456789; sleep 0.005; done") }));
    const logFile = await waitFor(() => runtime.logPath("uv", "main"));
    await waitFor(() => isFile(`${logFile}.1`), 5000, "a rotated log");
    expect(readFileSync(`${logFile}.1`, "utf8").length).toBeLessThanOrEqual(200);
    await waitFor(() => readFileSync(logFile, "utf8").includes("0123456789"), 5000, "new lines in the live log");
    expect(isFile(`${logFile}.2`)).toBe(false);
  });

  it("tells its listeners about changes", async () => {
    const runtime = newRuntime();
    let changes = 0;
    runtime.onChange(() => changes++);
    runtime.syncPod(makePod("web", { uid: "un", command: ["sleep", "1000"] }));
    await waitFor(() => changes > 0);
  });
});

function isFile(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}
