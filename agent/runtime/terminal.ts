/**
 * @module
 * A terminal for `kubectl exec -t` without native pty bindings: the command runs under
 * util-linux `script`, which gives it a pseudo-terminal and passes its exit code on (`-e`).
 * Resizes are applied to that pty with `stty -F` (the kernel then sends SIGWINCH to the
 * command). Devices without util-linux `script` (busybox's has no `-e`) get a clear refusal.
 *
 * @example
 * const argv = terminalArgv(["sh"]); // ["script", "-q", "-e", "-c", "exec 'sh'", "/dev/null"]
 * await resizeTerminal(child.pid, { width: 120, height: 40 });
 */
import { execFile, execFileSync } from "node:child_process";
import { readFileSync, readlinkSync } from "node:fs";
import type { TerminalSize } from "./runtime.ts";

let scriptChecked: boolean | undefined;

/** Whether util-linux `script` is on PATH (asked once per agent). */
export function terminalAvailable(): boolean {
  if (scriptChecked === undefined) {
    try {
      scriptChecked = execFileSync("script", ["--version"], { encoding: "utf8", timeout: 5000, stdio: ["ignore", "pipe", "ignore"] }).includes("util-linux");
    } catch {
      scriptChecked = false;
    }
  }
  return scriptChecked;
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/** `argv` run on a pseudo-terminal; throws a message for the operator when the device has none. */
export function terminalArgv(argv: string[]): string[] {
  if (!terminalAvailable()) throw new Error("kubectl exec -t needs util-linux `script` on the device, which it does not have; run kubectl exec without -t");
  return ["script", "-q", "-e", "-c", `exec ${argv.map(quote).join(" ")}`, "/dev/null"];
}

/** The pty `script` (pid) opened for its command, once the command runs. */
function terminalOf(scriptPid: number): string | undefined {
  try {
    const children = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    for (const child of children) {
      const tty = readlinkSync(`/proc/${child}/fd/0`);
      if (tty.startsWith("/dev/pts/")) return tty;
    }
  } catch {
    // not there yet, or gone
  }
  return undefined;
}

/** Sets the terminal size of `script`'s command; waits up to 2 s for the pty to exist. */
export async function resizeTerminal(scriptPid: number, size: TerminalSize): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const tty = terminalOf(scriptPid);
    if (tty) {
      await new Promise<void>((resolve) => execFile("stty", ["-F", tty, "rows", String(size.height), "cols", String(size.width)], { timeout: 5000 }, () => resolve()));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
