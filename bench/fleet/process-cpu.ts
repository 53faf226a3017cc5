/**
 * @module
 * CPU time of the local control plane: the workerd processes this process started (wrangler's
 * `unstable_startWorker` runs the Worker, its Durable Objects and D1 in workerd children), read
 * from /proc (Linux only; elsewhere the figures are absent). A scenario's CPU is the difference
 * of two readings, so it includes TLS and wrangler's local proxy, which a deployed Worker does not
 * pay: compare it with the `GET /healthz` baseline's, not with Cloudflare's billing.
 *
 * @example
 * const before = workerdCpuMs();
 * await scenario();
 * const cpuMs = workerdCpuMs()! - before!;
 */
import { readdirSync, readFileSync } from "node:fs";

const ticksPerSecond = 100; // USER_HZ on Linux

interface Stat {
  pid: number;
  ppid: number;
  comm: string;
  cpuTicks: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const fields = text.slice(close + 2).split(" ");
    return { pid, ppid: Number(fields[1]), comm, cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** User + system CPU in ms of every workerd process descending from this one, or undefined off Linux. */
export function workerdCpuMs(root = process.pid): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  const stats = entries.filter((e) => /^\d+$/.test(e)).map((e) => readStat(Number(e))).filter((s): s is Stat => s !== undefined);
  const children = new Map<number, Stat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  let ticks = 0;
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      if (child.comm.startsWith("workerd")) ticks += child.cpuTicks;
      walk(child.pid);
    }
  };
  walk(root);
  return (ticks * 1000) / ticksPerSecond;
}
