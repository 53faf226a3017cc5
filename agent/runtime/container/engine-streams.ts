/**
 * @module
 * `kubectl logs` and `kubectl exec` for engine containers, through the engine's CLI: the log is
 * the engine's own (`docker logs` / `podman logs` with `--timestamps`, `--since`, `--tail`,
 * `--follow`), the exec is `exec --interactive` wired to the operator's streams (exec-stream.ts).
 * Output waits for the operator to take each chunk (the CLI's pipe is paused meanwhile), and an
 * aborted sink kills the CLI. A TTY needs a terminal on the CLI's side, which a pipe is not: with
 * `tty` the CLI runs under `script` (terminal.ts), or is refused with a message.
 *
 * @example
 * await streamEngineLogs(cli, id, { container: "web", follow: true, previous: false, timestamps: false }, out);
 * const code = await execEngineStream(cli, id, { container: "web", command: ["sh", "-c", "exit 3"], tty: false, stdin: false }, streams);
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import type { ExecRequest, ExecStreams, LogRequest, OutputSink } from "../runtime.ts";
import type { EngineCli } from "./engine-cli.ts";
import { runExecStream } from "../exec-stream.ts";

/** The CLI arguments of a log request for container `id`. Pure. */
export function logArgs(id: string, request: LogRequest): string[] {
  const args = ["logs"];
  if (request.follow) args.push("--follow");
  if (request.timestamps) args.push("--timestamps");
  if (request.sinceTime !== undefined) args.push("--since", new Date(request.sinceTime).toISOString());
  if (request.tailLines !== undefined) args.push("--tail", String(request.tailLines));
  args.push("--", id);
  return args;
}

/** Copies `from` into `to`, one chunk at a time; `budget` (bytes left) is shared by both streams. */
function pump(from: Readable, to: OutputSink, budget: { left: number; reached: () => void }): Promise<void> {
  return new Promise((resolve) => {
    from.on("data", (chunk: Buffer) => {
      if (budget.left <= 0) return;
      const part = chunk.length > budget.left ? chunk.subarray(0, budget.left) : chunk;
      budget.left -= part.length;
      from.pause();
      to.write(part).then(
        () => (budget.left <= 0 ? budget.reached() : from.resume()),
        () => from.destroy(),
      );
    });
    from.once("close", () => resolve());
    from.once("error", () => resolve());
  });
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Writes the container's engine log to `out`; rejects with the engine's message when it cannot. */
export async function streamEngineLogs(cli: EngineCli, id: string, request: LogRequest, out: OutputSink): Promise<void> {
  const child = spawn(cli.command, logArgs(id, request), { env: cli.env, stdio: ["ignore", "pipe", "pipe"] });
  const kill = () => child.kill("SIGKILL");
  out.signal.addEventListener("abort", kill, { once: true });
  const budget = { left: request.limitBytes ?? Number.POSITIVE_INFINITY, reached: kill };
  // The engine writes the container's stderr to its own stderr, as kubectl logs shows both; an
  // error of the CLI itself (the container went meanwhile) comes there too and is kept for the message.
  let errorText = "";
  child.stderr!.on("data", (chunk: Buffer) => (errorText = `${errorText}${chunk.toString("utf8")}`.slice(-2000)));
  const stdout = pump(child.stdout!, out, budget);
  const stderr = pump(child.stderr!, out, budget);
  try {
    const code = await exited(child);
    await Promise.all([stdout, stderr]);
    if (code !== 0 && !out.signal.aborted && budget.left > 0 && errorText.trim()) throw new Error(errorText.trim().split("\n").at(-1)!.replace(/^Error( response from daemon)?:\s*/i, ""));
  } finally {
    out.signal.removeEventListener("abort", kill);
  }
}

/**
 * Runs the command in container `id` with the operator's streams (`exec --interactive`, and
 * `--tty` on a terminal of the agent's own: the CLI refuses -t without one); resolves with its exit code.
 */
export function execEngineStream(cli: EngineCli, id: string, request: ExecRequest, streams: ExecStreams): Promise<number> {
  const args = ["exec", ...(request.stdin ? ["--interactive"] : []), ...(request.tty ? ["--tty"] : []), "--", id, ...request.command];
  return runExecStream([cli.command, ...args], { env: cli.env }, request, streams);
}
