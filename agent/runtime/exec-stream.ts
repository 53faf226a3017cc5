/**
 * @module
 * Runs one `kubectl exec` command on the device, wired to the operator's streams: stdin in
 * (ended when the operator closes it), stdout and stderr out (each chunk waits until the operator
 * took the previous one: the child's pipe is paused meanwhile), resizes to the terminal, and the
 * exit code back (128 + signal when killed). With `tty` the command runs on a pseudo-terminal
 * (terminal.ts), whose output is one stream. An aborted sink (the operator went away, a limit)
 * kills the command's whole process group.
 *
 * @example
 * const code = await runExecStream(["sh", "-c", "exit 3"], { env, cwd }, request, streams); // 3
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import type { Readable } from "node:stream";
import { killGroup } from "./process/terminations.ts";
import type { ExecRequest, ExecStreams, OutputSink } from "./runtime.ts";
import { resizeTerminal, terminalArgv } from "./terminal.ts";

export interface ExecContext {
  env?: Record<string, string | undefined>;
  cwd?: string;
  uid?: number;
  gid?: number;
}

function copy(from: Readable, to: OutputSink): Promise<void> {
  return new Promise((resolve) => {
    from.on("data", (chunk: Buffer) => {
      from.pause();
      to.write(chunk).then(
        () => from.resume(),
        () => from.destroy(),
      );
    });
    from.once("close", () => resolve());
    from.once("error", () => resolve());
  });
}

/** Resolves with the exit code; rejects (a message for the operator) when it cannot start. */
export function runExecStream(argv: string[], context: ExecContext, request: ExecRequest, streams: ExecStreams): Promise<number> {
  let command: string[];
  try {
    command = request.tty ? terminalArgv(argv) : argv;
  } catch (error) {
    return Promise.reject(error as Error);
  }
  const env = request.tty ? { TERM: "xterm", ...context.env, SHELL: context.env?.SHELL || "/bin/sh" } : context.env;
  const child = spawn(command[0]!, command.slice(1), {
    env,
    cwd: context.cwd || undefined,
    uid: context.uid,
    gid: context.gid,
    detached: true,
    stdio: [request.stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  const kill = () => child.pid !== undefined && killGroup(child.pid, "SIGKILL");
  streams.stdout.signal.addEventListener("abort", kill, { once: true });
  if (request.stdin && child.stdin) {
    const stdin = child.stdin;
    stdin.on("error", () => {});
    streams.onStdin((chunk) => {
      if (stdin.destroyed) return;
      if (chunk === null) stdin.end();
      else stdin.write(chunk);
    });
  }
  if (request.tty) streams.onResize((size) => child.pid !== undefined && void resizeTerminal(child.pid, size));
  const copies = [copy(child.stdout!, streams.stdout), copy(child.stderr!, streams.stderr ?? streams.stdout)];
  return new Promise<number>((resolve, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) => {
      streams.stdout.signal.removeEventListener("abort", kill);
      reject(new Error(error.code === "ENOENT" ? `exec: ${JSON.stringify(argv[0])}: executable file not found in $PATH` : `exec ${JSON.stringify(argv[0])}: ${error.message}`));
    });
    child.once("close", (code, signal) => {
      streams.stdout.signal.removeEventListener("abort", kill);
      const signalNumber = signal ? (constants.signals as Record<string, number>)[signal] ?? 9 : 0;
      void Promise.all(copies).then(() => resolve(code ?? 128 + signalNumber));
    });
  });
}
