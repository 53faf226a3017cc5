/**
 * @module
 * Runs a short command to completion with a time limit (exec probes of the process runtime): in
 * its own process group, so a timeout kills whatever it started too; output (stdout and stderr
 * together) kept up to 10 KiB, the kubelet's probe output limit. Rejects only when the command
 * cannot be started at all (ENOENT, EACCES).
 *
 * @example
 * await runCommand(["sh", "-c", "test -f /tmp/ready"], { timeoutMs: 1000 })
 * // { exitCode: 1, output: "", timedOut: false }
 */
import { spawn } from "node:child_process";
import type { ExecResult } from "../runtime.ts";
import { killGroup } from "./terminations.ts";

export const maxProbeOutputBytes = 10 * 1024;

export interface RunCommandOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs: number;
}

export function runCommand(argv: string[], options: RunCommandOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: options.env,
      cwd: options.cwd || undefined,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      if (size >= maxProbeOutputBytes) return;
      chunks.push(chunk.subarray(0, maxProbeOutputBytes - size));
      size += chunk.length;
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) killGroup(child.pid, "SIGKILL");
    }, options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const exitCode = code ?? (signal ? 128 + (signalNumbers[signal] ?? 9) : 1);
      resolve({ exitCode, output: Buffer.concat(chunks).toString("utf8"), timedOut });
    });
  });
}

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2 };
