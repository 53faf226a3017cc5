/**
 * @module
 * Polling helpers for tests that watch real processes and servers.
 *
 * @example
 * await waitFor(() => runtime.listPods()[0]?.phase === "stopped");
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie still answers kill(0); it has ended all the same.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return process.platform !== "linux";
  }
}

/** SIGKILLs the process group of every pid recorded under a process runtime's pod directories. */
export function killRecordedGroups(podsDir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(podsDir);
  } catch {
    return;
  }
  for (const entry of entries) {
    let text: string;
    try {
      text = readFileSync(join(podsDir, entry, "state.json"), "utf8");
    } catch {
      continue;
    }
    for (const match of text.matchAll(/"pid":(\d+)|process:\/\/(\d+)/g)) {
      const pid = Number(match[1] ?? match[2]);
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
}
