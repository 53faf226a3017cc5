/**
 * @module
 * One agent per state directory. Two agents on the same directory would each start the saved pods
 * (duplicate workloads, the thing adoption exists to prevent), so the second one refuses to start.
 * The lock file holds the owner's pid, start time and boot id; a lock whose owner is gone (a
 * SIGKILLed agent, a reboot) is taken over.
 *
 * @example
 * const lock = acquireInstanceLock("/var/lib/edgeset"); // throws if another agent runs there
 * // … later
 * lock.release();
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { isSameProcess, readBootId, readProcStat } from "../runtime/process/proc-stat.ts";

interface LockOwner {
  pid: number;
  startTicks?: string;
  bootId?: string;
}

export interface InstanceLock {
  release(): void;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LockOwner;
  } catch {
    return undefined;
  }
}

export function acquireInstanceLock(dir: string): InstanceLock {
  const path = join(dir, "agent.lock");
  const me: LockOwner = { pid: process.pid, startTicks: readProcStat(process.pid)?.startTicks, bootId: readBootId() };
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx", 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = readOwner(path);
      if (owner && isSameProcess(owner.pid, owner.startTicks, owner.bootId)) {
        throw new Error(`another agent (pid ${owner.pid}) is using ${dir}`);
      }
      rmSync(path, { force: true });
      continue;
    }
    writeSync(fd, JSON.stringify(me));
    closeSync(fd);
    return {
      release: () => {
        const owner = readOwner(path);
        if (owner?.pid === me.pid && owner.startTicks === me.startTicks) rmSync(path, { force: true });
      },
    };
  }
  throw new Error(`cannot take the lock ${path}: another agent keeps taking it`);
}
