import { describe, expect, it } from "vitest";
import { Channel, encodeClose, encodeFrame, encodeResize } from "../../src/protocol/remote-command.ts";
import type { ExecRequest, ExecStreams, TerminalSize } from "../runtime/runtime.ts";
import { serveExec } from "./exec-session.ts";

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
