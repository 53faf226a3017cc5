import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../testing/wait.ts";
import type { LogRequest, OutputSink } from "../runtime/runtime.ts";
import { ContainerLog } from "./container-log.ts";

let dir: string;
const logs: ContainerLog[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "edgeset-clog-"));
});
afterEach(() => {
  for (const log of logs.splice(0)) log.detach();
  rmSync(dir, { recursive: true, force: true });
});

function newLog(maxBytes = 1 << 20, maxFiles = 3, now = () => Date.parse("2026-12-03T10:00:00Z")): ContainerLog {
  const log = new ContainerLog(join(dir, "main"), { maxBytes, maxFiles }, now);
  logs.push(log);
  return log;
}

/** Runs `script` as instance `n` with its output in the log; resolves when it exited and the log has everything. */
async function run(log: ContainerLog, n: number, script: string): Promise<void> {
  const fds = log.createPipes(n);
  const child = spawn("sh", ["-c", script], { stdio: ["ignore", fds.stdout, fds.stderr] });
  closeSync(fds.stdout);
  closeSync(fds.stderr);
  log.attach(n);
  await new Promise((resolve) => child.once("exit", resolve));
}

function sink(): OutputSink & { text(): string; abort(): void } {
  const chunks: Uint8Array[] = [];
  const controller = new AbortController();
  return {
    signal: controller.signal,
    async write(chunk) {
      chunks.push(chunk.slice());
    },
    text: () => Buffer.concat(chunks).toString("utf8"),
    abort: () => controller.abort(),
  };
}

const base: LogRequest = { container: "main", follow: false, previous: false, timestamps: false };

describe("ContainerLog", { timeout: 20_000 }, () => {
  it("writes CRI lines per stream, with a final line without newline", async () => {
    const log = newLog();
    await run(log, 0, "echo out; echo err >&2; printf tail");
    await waitFor(() => readFileSync(log.pathOf(0), "utf8").includes("tail"));
    const lines = readFileSync(log.pathOf(0), "utf8").trimEnd().split("\n");
    for (const line of lines) expect(line).toMatch(/^2026-12-03T10:00:00\.000\d{6}Z (stdout|stderr) F \w+$/);
    expect(lines.map((line) => line.slice(31)).sort()).toEqual(["stderr F err", "stdout F out", "stdout F tail"]);
  });

  it("reads with --tail, --timestamps, --since-time and --limit-bytes", async () => {
    let t = Date.parse("2026-12-03T10:00:00Z");
    const log = newLog(1 << 20, 3, () => (t += 1000));
    await run(log, 0, "for i in 1 2 3 4 5; do echo line$i; sleep 0.05; done");
    await waitFor(() => readFileSync(log.pathOf(0), "utf8").includes("line5"));
    const read = async (request: Partial<LogRequest>) => {
      const out = sink();
      await log.read(0, { ...base, ...request }, out);
      return out.text();
    };
    expect(await read({})).toBe("line1\nline2\nline3\nline4\nline5\n");
    expect(await read({ tailLines: 2 })).toBe("line4\nline5\n");
    expect(await read({ tailLines: 0 })).toBe("");
    expect(await read({ limitBytes: 8 })).toBe("line1\nli");
    expect(await read({ tailLines: 1, timestamps: true })).toMatch(/^2026-12-03T10:00:\d\d\.\d{9}Z line5\n$/);
    const all = readFileSync(log.pathOf(0), "utf8").split("\n");
    const third = Date.parse(all[2]!.split(" ")[0]!);
    expect(await read({ sinceTime: third })).toBe("line3\nline4\nline5\n");
  });

  it("rotates by size and keeps maxFiles files, read oldest first", async () => {
    const log = newLog(100, 3);
    await run(log, 0, "for i in $(seq 1 30); do echo 0123456789-$i; done");
    await waitFor(() => readFileSync(log.pathOf(0), "utf8").includes("-30"));
    expect(existsSync(`${log.pathOf(0)}.1`)).toBe(true);
    expect(existsSync(`${log.pathOf(0)}.2`)).toBe(true);
    expect(existsSync(`${log.pathOf(0)}.3`)).toBe(false);
    for (const file of [log.pathOf(0), `${log.pathOf(0)}.1`, `${log.pathOf(0)}.2`]) expect(readFileSync(file).length).toBeLessThanOrEqual(100);
    const out = sink();
    await log.read(0, base, out);
    const numbers = out.text().trimEnd().split("\n").map((l) => Number(l.split("-")[1]));
    expect(numbers.at(-1)).toBe(30);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(numbers.length).toBeLessThan(30);
  });

  it("keeps the previous instance for --previous and drops older ones", async () => {
    const log = newLog();
    await run(log, 0, "echo first");
    await run(log, 1, "echo second");
    await run(log, 2, "echo third");
    await waitFor(() => readFileSync(log.pathOf(2), "utf8").includes("third"));
    const current = sink();
    await log.read(2, base, current);
    expect(current.text()).toBe("third\n");
    const previous = sink();
    await log.read(2, { ...base, previous: true }, previous);
    expect(previous.text()).toBe("second\n");
    expect(readdirSync(join(dir, "main")).filter((f) => f.endsWith(".log")).sort()).toEqual(["1.log", "2.log"]);
    await expect(log.read(0, { ...base, previous: true }, sink())).rejects.toThrow(/previous terminated container "main" not found/);
  });

  it("follows new lines until the instance ends, and stops when the reader aborts", async () => {
    const log = newLog();
    const fds = log.createPipes(0);
    const child = spawn("sh", ["-c", "echo before; read x; echo after; read y"], { stdio: ["pipe", fds.stdout, fds.stderr] });
    closeSync(fds.stdout);
    closeSync(fds.stderr);
    log.attach(0);
    await waitFor(() => readFileSync(log.pathOf(0), "utf8").includes("before"));
    const out = sink();
    const done = log.read(0, { ...base, follow: true }, out);
    child.stdin!.write("go\n");
    await waitFor(() => out.text() === "before\nafter\n");
    const aborted = sink();
    const following = log.read(0, { ...base, follow: true, tailLines: 0 }, aborted);
    aborted.abort();
    await following;
    child.stdin!.end("\n");
    await done;
    expect(out.text()).toBe("before\nafter\n");
  });
});
