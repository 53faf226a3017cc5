import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeControlPlane } from "./testing/fake-control-plane.ts";
import { makePod } from "./testing/pods.ts";
import { isAlive, killRecordedGroups, waitFor } from "./testing/wait.ts";

const mainPath = join(import.meta.dirname, "main.ts");

interface RunningAgent {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let dir: string;
let cp: FakeControlPlane;
let children: ChildProcess[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "edgeset-main-"));
  cp = new FakeControlPlane();
  await cp.listen(0);
  children = [];
});

afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await cp.close();
  killRecordedGroups(join(dir, "pods"));
  // Belt and braces: every workload wrote its pid here, recorded by an agent or not.
  for (const pid of lines(join(dir, "pids"))) {
    try {
      process.kill(-Number(pid), "SIGKILL");
    } catch {
      // gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function runAgent(args: string[], env: Record<string, string> = {}): RunningAgent {
  const child = spawn(process.execPath, [mainPath, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  return { child, stderr: () => stderr, exited };
}

function lines(file: string): string[] {
  try {
    return readFileSync(file, "utf8").trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

describe("node agent/main.ts", () => {
  it("prints help and exits 0", async () => {
    const agent = runAgent(["--help"]);
    let stdout = "";
    agent.child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    expect((await agent.exited).code).toBe(0);
    expect(stdout).toContain("--bootstrap-token");
  });

  it("rejects bad flags with exit code 2 and a clear message", async () => {
    const agent = runAgent(["--server", "nope", "--sync-interval", "0"]);
    expect((await agent.exited).code).toBe(2);
    expect(agent.stderr()).toContain('--server: "nope" is not a URL');
    expect(agent.stderr()).toContain("--sync-interval");
  });

  it("keeps, adopts and restarts its saved pods across agent restarts with the server down", async () => {
    const pids = join(dir, "pids");
    cp.setPods([makePod("daemon", { uid: "u-daemon", command: ["sh", "-c", `echo $$$$ >> ${pids}; exec sleep 1000`] })]);
    const base = ["--server", cp.url, "--state-dir", dir, "--node-name", "edge-main"];

    // Enroll and start the pod, then exit on SIGTERM: the workload keeps running.
    const first = runAgent([...base, "--bootstrap-token", cp.bootstrapToken, "--sync-interval", "0.2"]);
    await waitFor(() => lines(pids).length === 1, 10_000, "the pod to start");
    const pid = Number(lines(pids)[0]);
    await waitFor(() => cp.syncs().some((r) => FakeControlPlane.parse(r).pods[0]?.status.phase === "Running"), 10_000, "a Running report");
    first.child.kill("SIGTERM");
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(isAlive(pid)).toBe(true);
    expect(first.stderr()).toContain("enrolled as node edge-main");
    expect(first.stderr()).not.toContain(cp.bootstrapToken);

    // Server down, no bootstrap token: the saved credential and assignments are enough; the live
    // workload is adopted, not duplicated, even when the agent is SIGKILLed.
    await cp.close();
    const second = runAgent(base);
    await waitFor(() => second.stderr().includes(`adopted container main (pid ${pid})`), 10_000, "adoption");
    await waitFor(() => second.stderr().includes("sync failed"), 10_000, "a failed sync");
    second.child.kill("SIGKILL");
    await second.exited;
    const third = runAgent(base, { EDGESET_STOP_PODS_ON_EXIT: "true" });
    await waitFor(() => third.stderr().includes(`adopted container main (pid ${pid})`), 10_000, "adoption after SIGKILL");
    // The start-up converge runs before the first sync: once a sync failed, it has decided, and a
    // start would have been logged before that line.
    await waitFor(() => third.stderr().split(`adopted container main (pid ${pid})`)[1]?.includes("sync failed"), 10_000, "a sync after the adoption");
    expect(third.stderr()).not.toContain("container main started");
    expect(lines(pids)).toEqual([String(pid)]);

    // --stop-pods-on-exit stops the workload; the next start brings it back from the saved assignments.
    third.child.kill("SIGTERM");
    expect(await third.exited).toEqual({ code: 0, signal: null });
    expect(isAlive(pid)).toBe(false);
    const fourth = runAgent([...base, "--stop-pods-on-exit"]);
    await waitFor(() => lines(pids).length === 2, 10_000, "the saved pod to start again offline");
    const restarted = Number(lines(pids)[1]);
    expect(isAlive(restarted)).toBe(true);
    fourth.child.kill("SIGINT");
    expect(await fourth.exited).toEqual({ code: 0, signal: null });
    expect(isAlive(restarted)).toBe(false);
  }, 60_000);
});
