/**
 * @module
 * One container's log files, kept as the kubelet keeps them: the agent writes CRI lines
 * (cri-line.ts) for each instance of the container to `<dir>/<instance>.log`, rotated by size
 * (`<instance>.log.1` … up to `maxFiles` files, the live one included; kubelet defaults 10 MiB × 5),
 * and keeps the previous instance's files for `kubectl logs --previous`.
 *
 * The workload writes to two FIFOs (`<instance>.stdout`, `<instance>.stderr`) that it holds open
 * read-write: there is always a reader, so it never gets SIGPIPE while the agent is away (a
 * restart, an upgrade); it blocks once the pipe buffer (64 KiB) is full until the agent is back and
 * drains it. Lines read after such a gap carry the time they were read.
 *
 * @example
 * const log = new ContainerLog("/var/lib/edgeset/pods/default_web_u1/logs/main", kubeletLogRotation);
 * const fds = log.createPipes(0);       // hand fds.stdout / fds.stderr to the child
 * log.attach(0);                        // read them into 0.log
 * await log.read(0, { container: "main", follow: true, … }, sink);
 */
import { execFileSync } from "node:child_process";
import { closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import type { LogRequest, OutputSink } from "../runtime/runtime.ts";
import { formatCriLine, type LogStream, maxLineBytes } from "./cri-line.ts";
import { ByteBudget, parseLogText, renderLines, tailOf } from "./select-lines.ts";

export interface LogRotationOptions {
  /** Size at which the live file is rotated. */
  maxBytes: number;
  /** Files kept per instance, the live one included. */
  maxFiles: number;
}

/** The kubelet's `containerLogMaxSize` and `containerLogMaxFiles` defaults. */
export const kubeletLogRotation: LogRotationOptions = { maxBytes: 10 * 1024 * 1024, maxFiles: 5 };

const encoder = new TextEncoder();
/** Bytes handed to the sink per write. */
const chunkBytes = 64 * 1024;

/** Sub-millisecond digits for the timestamps (the clock gives milliseconds). */
function nanosNow(): number {
  return Number(process.hrtime.bigint() % 1_000_000n);
}

type Follower = (text: string | null) => void;

interface Writer {
  instance: number;
  fd: number;
  bytes: number;
  open: number;
  sockets: net.Socket[];
  pending: Record<LogStream, string>;
  followers: Set<Follower>;
}

export class ContainerLog {
  private writer?: Writer;
  /** Read ends opened before the child was spawned: a child that exits at once must not take its output with it. */
  private readers?: { instance: number; fds: Record<LogStream, number> };

  readonly dir: string;
  private readonly rotation: LogRotationOptions;
  private readonly now: () => number;

  constructor(dir: string, rotation: LogRotationOptions, now: () => number = Date.now) {
    this.dir = dir;
    this.rotation = rotation;
    this.now = now;
  }

  /** The live file of an instance. */
  pathOf(instance: number): string {
    return join(this.dir, `${instance}.log`);
  }

  /**
   * Creates the instance's FIFOs and opens them read-write for the child (close the fds once it
   * was spawned). Drops the files of instances older than the one before it.
   */
  createPipes(instance: number): { stdout: number; stderr: number } {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.prune(instance);
    this.dropReaders();
    const fds = { stdout: -1, stderr: -1 };
    const readers = { stdout: -1, stderr: -1 };
    for (const stream of ["stdout", "stderr"] as const) {
      const fifo = join(this.dir, `${instance}.${stream}`);
      rmSync(fifo, { force: true });
      execFileSync("mkfifo", ["-m", "600", fifo]);
      readers[stream] = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
      fds[stream] = openSync(fifo, constants.O_RDWR);
    }
    this.readers = { instance, fds: readers };
    return fds;
  }

  /** Starts copying the instance's FIFOs into its log (also after an agent restart, for an adopted process). */
  attach(instance: number): void {
    const readers = this.readers?.instance === instance ? this.readers : undefined;
    this.readers = undefined;
    this.detach();
    this.readers = readers;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const fd = openSync(this.pathOf(instance), "a", 0o600);
    const writer: Writer = { instance, fd, bytes: fstatSync(fd).size, open: 0, sockets: [], pending: { stdout: "", stderr: "" }, followers: new Set() };
    this.writer = writer;
    for (const stream of ["stdout", "stderr"] as const) {
      const fifo = join(this.dir, `${instance}.${stream}`);
      const opened = this.readers?.instance === instance ? this.readers.fds[stream] : undefined;
      if (opened === undefined && !existsSync(fifo)) continue;
      const socket = new net.Socket({ fd: opened ?? openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false });
      socket.setEncoding("utf8");
      socket.on("data", (text: string) => this.take(writer, stream, text));
      socket.on("error", () => {});
      socket.once("close", () => this.streamEnded(writer, stream));
      writer.sockets.push(socket);
      writer.open++;
    }
    this.readers = undefined;
    if (writer.open === 0) this.finish(writer);
  }

  private dropReaders(): void {
    if (this.readers) for (const fd of Object.values(this.readers.fds)) closeSync(fd);
    this.readers = undefined;
  }

  /** Stops reading (the agent exits); the workload keeps its FIFOs and the next agent attaches again. */
  detach(): void {
    this.dropReaders();
    const writer = this.writer;
    if (!writer) return;
    this.writer = undefined;
    for (const socket of writer.sockets) {
      socket.removeAllListeners("close");
      socket.destroy();
    }
    this.finish(writer);
  }

  /**
   * Writes what `kubectl logs` shows of instance `current` (or the one before it, `--previous`),
   * then, with `follow`, each new line until the instance ends or `out.signal` aborts.
   */
  async read(current: number | undefined, request: LogRequest, out: OutputSink): Promise<void> {
    const instance = request.previous ? this.previousOf(current) : current;
    if (instance === undefined) {
      throw new Error(request.previous ? `previous terminated container "${request.container}" not found` : `container "${request.container}" has not started yet`);
    }
    const live = this.writer?.instance === instance && !request.previous ? this.writer : undefined;
    // Files read and the follower subscribed in one tick: no line is lost or shown twice.
    const queue: Array<string | null> = [];
    let wake: (() => void) | undefined;
    const follower: Follower = (text) => {
      queue.push(text);
      wake?.();
    };
    if (request.follow && live) live.followers.add(follower);
    const text = this.filesOf(instance).map((file) => readFileSync(file, "utf8")).join("");
    const budget = new ByteBudget(request.limitBytes);
    const send = async (rendered: string): Promise<void> => {
      const bytes = encoder.encode(rendered);
      for (let at = 0; at < bytes.length && !budget.exhausted && !out.signal.aborted; at += chunkBytes) {
        await out.write(budget.take(bytes.subarray(at, at + chunkBytes)));
      }
    };
    try {
      await send(renderLines(tailOf(parseLogText(text, request.sinceTime), request.tailLines), request.timestamps));
      if (!request.follow || !live) return;
      if (out.signal.aborted) return;
      const aborted = new Promise<void>((resolve) => out.signal.addEventListener("abort", () => resolve(), { once: true }));
      for (;;) {
        while (queue.length) {
          const next = queue.shift()!;
          if (next === null) return;
          await send(renderLines(parseLogText(next, request.sinceTime), request.timestamps));
          if (budget.exhausted || out.signal.aborted) return;
        }
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
        wake = undefined;
        if (out.signal.aborted) return;
      }
    } finally {
      live?.followers.delete(follower);
    }
  }

  /** The instance before `current` whose files are still kept. */
  previousOf(current: number | undefined): number | undefined {
    const older = this.instances().filter((n) => current === undefined || n < current);
    return older.length ? Math.max(...older) : undefined;
  }

  /** The instance's files, oldest first. */
  private filesOf(instance: number): string[] {
    const files: string[] = [];
    for (let i = this.rotation.maxFiles - 1; i >= 1; i--) {
      const rotated = `${this.pathOf(instance)}.${i}`;
      if (existsSync(rotated)) files.push(rotated);
    }
    if (existsSync(this.pathOf(instance))) files.push(this.pathOf(instance));
    return files;
  }

  private instances(): number[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return [...new Set(names.map((name) => /^(\d+)\.log/.exec(name)?.[1]).filter((n): n is string => n !== undefined).map(Number))];
  }

  /** Keeps `instance` and the one before it. */
  private prune(instance: number): void {
    const keep = new Set([instance, this.previousOf(instance)]);
    for (const name of readdirSync(this.dir)) {
      const n = /^(\d+)\./.exec(name)?.[1];
      if (n !== undefined && !keep.has(Number(n))) rmSync(join(this.dir, name), { force: true });
      else if (n !== undefined && Number(n) !== instance && !/\.log(\.\d+)?$/.test(name)) rmSync(join(this.dir, name), { force: true });
    }
  }

  private take(writer: Writer, stream: LogStream, text: string): void {
    let rest = writer.pending[stream] + text;
    const ms = this.now();
    const nanos = nanosNow();
    for (;;) {
      const newline = rest.indexOf("\n");
      if (newline === -1) break;
      this.append(writer, this.lines(ms, nanos, stream, rest.slice(0, newline), "F"));
      rest = rest.slice(newline + 1);
    }
    while (rest.length > maxLineBytes) {
      this.append(writer, formatCriLine(ms, nanos, stream, "P", rest.slice(0, maxLineBytes)));
      rest = rest.slice(maxLineBytes);
    }
    writer.pending[stream] = rest;
  }

  /** A full line, as partial lines first when it is longer than `maxLineBytes`. */
  private lines(ms: number, nanos: number, stream: LogStream, line: string, tag: "F"): string {
    let out = "";
    while (line.length > maxLineBytes) {
      out += formatCriLine(ms, nanos, stream, "P", line.slice(0, maxLineBytes));
      line = line.slice(maxLineBytes);
    }
    return out + formatCriLine(ms, nanos, stream, tag, line);
  }

  private append(writer: Writer, text: string): void {
    const bytes = Buffer.from(text);
    if (writer.bytes > 0 && writer.bytes + bytes.length > this.rotation.maxBytes) this.rotate(writer);
    try {
      writeSync(writer.fd, bytes);
      writer.bytes += bytes.length;
    } catch {
      // A full disk loses lines, never the workload.
    }
    for (const follower of writer.followers) follower(text);
  }

  /** `<n>.log` → `<n>.log.1` → … ; the oldest beyond `maxFiles` goes. The agent is the only writer: a rename is enough. */
  private rotate(writer: Writer): void {
    const path = this.pathOf(writer.instance);
    const keep = Math.max(0, this.rotation.maxFiles - 1);
    closeSync(writer.fd);
    if (keep === 0) rmSync(path, { force: true });
    else {
      rmSync(`${path}.${keep}`, { force: true });
      for (let i = keep - 1; i >= 1; i--) if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
      renameSync(path, `${path}.1`);
    }
    writer.fd = openSync(path, "a", 0o600);
    writer.bytes = 0;
  }

  private streamEnded(writer: Writer, stream: LogStream): void {
    const rest = writer.pending[stream];
    writer.pending[stream] = "";
    if (rest) this.append(writer, this.lines(this.now(), nanosNow(), stream, rest, "F"));
    if (--writer.open === 0) {
      this.finish(writer);
      if (this.writer === writer) this.writer = undefined;
    }
  }

  private finish(writer: Writer): void {
    for (const follower of writer.followers) follower(null);
    writer.followers.clear();
    try {
      closeSync(writer.fd);
    } catch {
      // closed already
    }
  }
}
