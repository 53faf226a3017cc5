import { describe, expect, it } from "vitest";
import { Channel, encodeClose, encodeFrame, encodeResize } from "../../src/protocol/remote-command.ts";
import type { ExecRequest, ExecStreams, LogRequest, OutputSink, TerminalSize } from "../runtime/runtime.ts";
import { serveAttach, serveExec } from "./exec-session.ts";

const text = (s: string) => new TextEncoder().encode(s);
const offer = { container: "main", command: ["cat"], stdin: true, stdout: true, stderr: true, tty: true, protocol: "v5.channel.k8s.io" };

/** Frames kubectl sends, then the command starts `delayMs` later (as an engine exec looks its container up first). */
async function run(frames: Uint8Array[], delayMs: number) {
  let frameListener: ((m: Uint8Array) => void) | undefined;
  const sent: Uint8Array[] = [];
  const seen = { stdin: [] as (string | null)[], sizes: [] as TerminalSize[] };
  const runtime = {
    async execStream(_uid: string, _request: ExecRequest, streams: ExecStreams) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      streams.onResize((size) => seen.sizes.push(size));
      await new Promise<void>((resolve) =>
        streams.onStdin((chunk) => {
          seen.stdin.push(chunk === null ? null : new TextDecoder().decode(chunk));
          if (chunk === null) resolve();
        }),
      );
      return 0;
    },
  };
  const io = { send: async (m: Uint8Array) => void sent.push(m), onFrame: (l: (m: Uint8Array) => void) => (frameListener = l), signal: new AbortController().signal };
  const served = serveExec(offer, "uid", runtime, io);
  for (const frame of frames) frameListener!(frame);
  await served;
  return { ...seen, status: JSON.parse(new TextDecoder().decode(sent.at(-1)!.subarray(1))) };
}

describe("serveExec", () => {
  const frames = [encodeFrame(Channel.resize, encodeResize({ width: 80, height: 24 })), encodeFrame(Channel.resize, encodeResize({ width: 100, height: 30 })), encodeFrame(Channel.stdin, text("a")), encodeFrame(Channel.stdin, text("b")), encodeClose(Channel.stdin)];
  it.each([
    ["before the command runs", 20],
    ["as the command runs", 0],
  ])("keeps stdin in order, its end and the latest size when kubectl sends them %s", async (_when, delayMs) => {
    const seen = await run(frames, delayMs);
    expect(seen.stdin).toEqual(["a", "b", null]);
    expect(seen.sizes.at(-1)).toEqual({ width: 100, height: 30 });
    expect(seen.status.status).toBe("Success");
  });
});

describe("serveAttach", () => {
  const attach = { ...offer, command: [], stdin: false, tty: false };
  const io = (sent: Uint8Array[]) => ({ send: async (m: Uint8Array) => void sent.push(m), onFrame: () => {}, signal: new AbortController().signal });
  const decode = (m: Uint8Array) => [m[0], new TextDecoder().decode(m.subarray(1))];

  it("follows the container's log from its end on stdout, then Success once it ends", async () => {
    const sent: Uint8Array[] = [];
    let asked: LogRequest | undefined;
    const logs = async (_uid: string, request: LogRequest, out: OutputSink) => {
      asked = request;
      await out.write(text("after attach\n"));
    };
    await serveAttach(attach, "uid", { logs }, io(sent));
    expect(asked).toEqual({ container: "main", follow: true, previous: false, timestamps: false, tailLines: 0 });
    expect(decode(sent[0]!)).toEqual([Channel.stdout, "after attach\n"]);
    expect(JSON.parse(decode(sent[1]!)[1] as string).status).toBe("Success");
  });

  it("tells kubectl why when the log cannot be read", async () => {
    const sent: Uint8Array[] = [];
    await serveAttach(attach, "uid", { logs: async () => Promise.reject(new Error('container "main" is not running')) }, io(sent));
    expect(JSON.parse(decode(sent[0]!)[1] as string)).toMatchObject({ status: "Failure", message: 'container "main" is not running' });
  });
});
