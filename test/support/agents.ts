/**
 * Real agent processes for end-to-end tests (`node agent/main.ts`), each with its own state
 * directory, and a way to see which workloads run where: every agent gets `E2E_NODE=<name>` in
 * its environment, which the process runtime passes on to workloads, so a scan of /proc tells
 * which node runs a workload, whatever process tree it lives in.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ControlPlane } from "./control-plane.ts";
import type { Link } from "./link.ts";

export interface AgentOptions {
  nodeName: string;
  labels?: Record<string, string>;
  bootstrapToken?: string;
  syncIntervalSeconds?: number;
  stateDir?: string;
  extraArgs?: string[];
  /** Connect through this link (test/support/link.ts) rather than straight to the control plane. */
  link?: Link;
  /** Variables set for this agent over the test's own environment (e.g. a PATH that finds a stand-in engine). */
  env?: Record<string, string>;
}

export interface AgentProcess {
  nodeName: string;
  stateDir: string;
  process: ChildProcess;
  output: () => string;
  /** SIGTERM (or the given signal) and wait for exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function createBootstrapToken(cp: ControlPlane): Promise<string> {
  const res = await cp.api("POST", "/edgeset/v1/bootstraptokens", { ttlSeconds: 3600 });
  if (res.status !== 201) throw new Error(`token create failed: ${res.body}`);
  return res.json().token;
}

export async function startAgent(cp: ControlPlane, options: AgentOptions): Promise<AgentProcess> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), `edgeset-e2e-${options.nodeName}-`));
  const args = [
    "agent/main.ts",
    "--server", options.link?.url ?? cp.url,
    "--ca-file", cp.caFile,
    "--node-name", options.nodeName,
    "--state-dir", stateDir,
    "--sync-interval", String(options.syncIntervalSeconds ?? 1),
    ...(options.labels ? ["--labels", Object.entries(options.labels).map(([k, v]) => `${k}=${v}`).join(",")] : []),
    ...(options.bootstrapToken !== undefined ? ["--bootstrap-token", options.bootstrapToken] : ["--bootstrap-token", await createBootstrapToken(cp)]),
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...options.env, E2E_NODE: options.nodeName }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  return {
    nodeName: options.nodeName,
    stateDir,
    process: child,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill(signal);
      await gone;
    },
  };
}

export interface Workload {
  pid: number;
  node: string;
  cmdline: string[];
}

/**
 * Live processes whose command line contains `marker`, with the node whose agent started them.
 * A shell's child that has forked but not yet exec'd briefly carries the same command line; it is
 * not a second workload, so processes whose parent also matches are left out.
 */
export function findWorkloads(marker: string): Workload[] {
  const found: (Workload & { ppid: number })[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean);
      if (!cmdline.some((arg) => arg.includes(marker))) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      if (stat[0] === "Z") continue;
      const env = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      const node = env.find((e) => e.startsWith("E2E_NODE="))?.slice("E2E_NODE=".length) ?? "";
      found.push({ pid: Number(entry), ppid: Number(stat[1]), node, cmdline });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  const pids = new Set(found.map((w) => w.pid));
  return found.filter((w) => !pids.has(w.ppid)).map(({ ppid: _ppid, ...w }) => w);
}

/** A container that runs until stopped, findable by `marker`. */
export const workloadContainer = (marker: string, name = "main") => ({
  name,
  image: "busybox:1.36",
  command: ["sh", "-c", "while true; do sleep 1; done", marker],
});

/** Kills every process whose command line contains the marker (test cleanup). */
export function killWorkloads(marker: string): void {
  for (const w of findWorkloads(marker)) {
    try {
      process.kill(w.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

export function removeStateDir(agent: AgentProcess): void {
  rmSync(agent.stateDir, { recursive: true, force: true });
}
