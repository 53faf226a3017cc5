/**
 * @module
 * Runs the container engine's CLI (`docker` or `podman`) and collects its output. A non-zero exit
 * resolves (the caller reads stderr); only a CLI that cannot be started at all rejects.
 *
 * @example
 * const { code, stdout } = await runCli("docker", ["inspect", id], { timeoutMs: 30_000 });
 */
import { spawn } from "node:child_process";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  timeoutMs: number;
  env?: Record<string, string | undefined>;
}

export function runCli(command: string, args: string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr: signal === "SIGKILL" && code === null ? `${stderr}timed out after ${options.timeoutMs / 1000}s` : stderr });
    });
  });
}

/** The last meaningful line of an engine's error output, for a waiting message. */
export function lastErrorLine(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  return (lines.at(-1) ?? "").replace(/^Error( response from daemon)?:\s*/i, "").slice(0, 500);
}
