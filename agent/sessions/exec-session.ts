/**
 * @module
 * One kubectl exec (or attach) on the device: kubectl's v5/v4.channel.k8s.io frames (relayed untouched by the
 * bridge) decoded into stdin, its close and resizes; the command's output encoded onto channels
 * 1 and 2; at the end its exit code as the Status on channel 3 (remote-command.ts), or the reason
 * it could not run. The caller closes the socket afterwards, which ends kubectl's side.
 *
 * kubectl attach is the container's output from now on (its log followed from its end, stdout
 * and stderr together on the stdout channel), then Success once the container ended; attach
 * never carries stdin or a terminal (the control plane refuses them).
 *
 * @example
 * await serveExec(offer.exec, pod.uid, runtime, { send, onFrame, signal });
 * await serveAttach(offer.exec, pod.uid, runtime, { send, onFrame, signal });
 */
import type { ExecOffer } from "../../src/protocol/agent.ts";
import { Channel, decodeFrame, encodeFrame, encodeStatus, exitStatus, failureStatus, parseResize, type ExecProtocol } from "../../src/protocol/remote-command.ts";
import type { ExecStreams, OutputSink, Runtime, TerminalSize } from "../runtime/runtime.ts";

const sinkOf = (io: SessionIo, channel: number): OutputSink => ({ signal: io.signal, write: (chunk) => io.send(encodeFrame(channel, chunk)) });

export interface SessionIo {
  /** Sends one message; resolves when the window lets the next one go. */
  send(message: Uint8Array): Promise<void>;
  /** Each binary message from kubectl. */
  onFrame(listener: (message: Uint8Array) => void): void;
  readonly signal: AbortSignal;
}

export async function serveExec(exec: ExecOffer, uid: string, runtime: Pick<Runtime, "execStream">, io: SessionIo): Promise<void> {
  const protocol = exec.protocol as ExecProtocol;
  // What kubectl sends before the command runs (an engine exec looks its container up first;
  // kubectl cp sends its tar at once) waits for the command: stdin in order, the latest size.
  const stdinListeners: ((chunk: Uint8Array | null) => void)[] = [];
  const resizeListeners: ((size: TerminalSize) => void)[] = [];
  const earlyStdin: (Uint8Array | null)[] = [];
  let earlySize: TerminalSize | undefined;
  const toStdin = (chunk: Uint8Array | null) => (stdinListeners.length > 0 ? stdinListeners.forEach((l) => l(chunk)) : earlyStdin.push(chunk));
  io.onFrame((message) => {
    const frame = decodeFrame(message, protocol);
    if (!frame) return;
    if ("closed" in frame) {
      if (frame.closed === Channel.stdin) toStdin(null);
      return;
    }
    if (frame.channel === Channel.stdin) toStdin(frame.data);
    if (frame.channel === Channel.resize) {
      const size = parseResize(frame.data);
      if (size && resizeListeners.length > 0) resizeListeners.forEach((l) => l(size));
      else if (size) earlySize = size;
    }
  });
  // kubectl's socket closing (v4 has no close signal) ends stdin too.
  io.signal.addEventListener("abort", () => toStdin(null), { once: true });
  const streams: ExecStreams = {
    stdout: sinkOf(io, Channel.stdout),
    ...(exec.tty ? {} : { stderr: sinkOf(io, Channel.stderr) }),
    onStdin(listener) {
      stdinListeners.push(listener);
      for (const chunk of earlyStdin.splice(0)) listener(chunk);
    },
    onResize(listener) {
      resizeListeners.push(listener);
      if (earlySize) listener(earlySize);
    },
  };
  let status;
  try {
    if (!runtime.execStream) throw new Error("this runtime cannot exec");
    status = exitStatus(await runtime.execStream(uid, { container: exec.container, command: exec.command, tty: exec.tty, stdin: exec.stdin }, streams));
  } catch (error) {
    status = failureStatus((error as Error).message);
  }
  if (!io.signal.aborted) await io.send(encodeStatus(status));
}

export async function serveAttach(attach: ExecOffer, uid: string, runtime: Pick<Runtime, "logs">, io: SessionIo): Promise<void> {
  let status;
  try {
    if (!runtime.logs) throw new Error("this runtime cannot attach");
    const out = sinkOf(io, attach.stdout ? Channel.stdout : Channel.stderr);
    await runtime.logs(uid, { container: attach.container, follow: true, previous: false, timestamps: false, tailLines: 0 }, out);
    status = exitStatus(0);
  } catch (error) {
    status = failureStatus((error as Error).message);
  }
  if (!io.signal.aborted) await io.send(encodeStatus(status));
}
