/**
 * @module
 * Process identity from /proc (Linux). A pid alone can be reused after its process exits; the
 * pair (pid, start time in clock ticks since boot, field 22 of /proc/<pid>/stat) cannot, so it is
 * what the agent records to adopt its workloads after a restart without mistaking a stranger.
 * Start ticks restart from zero at boot, so the boot id is recorded too. Without /proc (not
 * Linux) nothing is ever adopted.
 *
 * @example
 * const stat = readProcStat(1234);          // { state: "S", startTicks: "8812345" }
 * isSameProcess(1234, stat?.startTicks);    // true while that very process lives
 */
import { readFileSync } from "node:fs";

export interface ProcStat {
  /** Field 3: R, S, D, Z (zombie), X (dead), … */
  state: string;
  /** Field 22: start time in clock ticks after boot, kept as a string (it may pass 2^53 one day). */
  startTicks: string;
}

/** Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may hold spaces or ")". */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(")");
  if (close < 0) return undefined;
  const fields = text.slice(close + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state), so field 22 is fields[19].
  const state = fields[0];
  const startTicks = fields[19];
  if (!state || !startTicks || !/^\d+$/.test(startTicks)) return undefined;
  return { state, startTicks };
}

export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

let bootId: string | undefined;

/** /proc/sys/kernel/random/boot_id, read once: it changes only with a reboot. */
export function readBootId(): string | undefined {
  if (bootId === undefined) {
    try {
      bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    } catch {
      bootId = "";
    }
  }
  return bootId || undefined;
}

/**
 * True while the process that had this pid and start time (in this boot) still runs; a zombie
 * has ended.
 */
export function isSameProcess(pid: number, startTicks: string | undefined, recordedBootId = readBootId()): boolean {
  if (!startTicks || !recordedBootId || recordedBootId !== readBootId()) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = readProcStat(pid);
  return stat !== undefined && stat.startTicks === startTicks && stat.state !== "Z" && stat.state !== "X";
}
