import { describe, expect, it } from "vitest";
import { admitSession, sessionLimits } from "./session-limits.ts";
import { frameBytes, SessionPipe, type PipeEnd, type PipeEnds } from "./session-pipe.ts";

const limits = { maxBytes: 100, maxUnackedBytes: 40, idleMs: 1000 };
const text = (chunks: Uint8Array[]) => chunks.map((c) => new TextDecoder().decode(c)).join("");
const bytes = (s: string) => new TextEncoder().encode(s);

/** The operator's and the device's ends, recorded; `hold` makes writes wait until `release`. */
function ends(options: { hold?: boolean; failWrites?: boolean } = {}) {
  const written: Uint8Array[] = [];
  const acks: number[] = [];
  const deviceCloses: [number, string][] = [];
  let outputClosed = false;
  const held: (() => void)[] = [];
  const pipeEnds: PipeEnds = {
    write: async (chunk) => {
      if (options.failWrites) throw new Error("gone");
      if (options.hold) await new Promise<void>((resolve) => held.push(resolve));
      written.push(chunk);
    },
    closeOutput: () => (outputClosed = true),
    ack: (n) => acks.push(n),
    closeDevice: (code, reason) => deviceCloses.push([code, reason]),
  };
  return { pipeEnds, written, acks, deviceCloses, outputClosed: () => outputClosed, release: () => held.shift()?.(), held: () => held.length };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function endOf(pipe: SessionPipe): Promise<PipeEnd> {
  return new Promise((resolve) => pipe.onEnd(resolve));
}

describe("SessionPipe", () => {
  it("writes frames in order, a slow Blob read not overtaken by a later small frame, and what came before the operator attached", async () => {
    const pipe = new SessionPipe(limits, 0);
    pipe.frame(new Blob([bytes("one\n")]), 0);
    pipe.frame(bytes("two\n"), 0);
    const e = ends();
    pipe.attach(e.pipeEnds);
    pipe.frame(bytes("three\n").buffer as ArrayBuffer, 0);
    pipe.deviceClosed();
    expect(await endOf(pipe)).toMatchObject({ by: "device", code: 1000 });
    expect(text(e.written)).toBe("one\ntwo\nthree\n");
    expect(e.acks).toEqual([4, 4, 6]);
    expect(e.outputClosed()).toBe(true);
    expect(e.deviceCloses).toEqual([]);
  });

  it("acknowledges a frame only once the operator took it (back-pressure)", async () => {
    const pipe = new SessionPipe(limits, 0);
    const e = ends({ hold: true });
    pipe.attach(e.pipeEnds);
    pipe.frame(bytes("aaaa"), 0);
    pipe.frame(bytes("bbbb"), 0);
    await settle();
    expect(e.acks).toEqual([]);
    expect(e.held()).toBe(1);
    e.release();
    await settle();
    expect(e.acks).toEqual([4]);
    e.release();
    await settle();
    expect(e.acks).toEqual([4, 4]);
    expect(text(e.written)).toBe("aaaabbbb");
  });

  it("ends a device that ignores the window, and closes its socket", async () => {
    const pipe = new SessionPipe(limits, 0);
    const e = ends({ hold: true });
    pipe.attach(e.pipeEnds);
    for (let i = 0; i < 5; i++) pipe.frame(bytes("0123456789"), 0);
    expect(pipe.ended).toMatchObject({ by: "limit", code: 1008, reason: "the device ignored the acknowledgement window" });
    expect(e.deviceCloses).toEqual([[1008, "the device ignored the acknowledgement window"]]);
    expect(e.outputClosed()).toBe(true);
  });

  it("ends the session at the byte limit, dropping what is queued", async () => {
    const pipe = new SessionPipe({ ...limits, maxUnackedBytes: 1000 }, 0);
    const e = ends();
    pipe.attach(e.pipeEnds);
    for (let i = 0; i < 10; i++) {
      pipe.frame(bytes("0123456789"), 0);
      await settle();
    }
    expect(pipe.ended).toBeUndefined();
    pipe.frame(bytes("x"), 0);
    expect(pipe.ended).toMatchObject({ by: "limit", reason: "session byte limit reached" });
    expect(e.written).toHaveLength(10);
    expect(e.deviceCloses[0]![0]).toBe(1008);
  });

  it("the operator going away (a failed write) closes the device's socket; later frames are ignored", async () => {
    const pipe = new SessionPipe(limits, 0);
    const e = ends({ failWrites: true });
    pipe.attach(e.pipeEnds);
    pipe.frame(bytes("lost"), 0);
    expect(await endOf(pipe)).toMatchObject({ by: "operator" });
    expect(e.deviceCloses).toEqual([[1000, "the operator went away"]]);
    pipe.frame(bytes("more"), 0);
    expect(e.acks).toEqual([]);
  });

  it("the device closing first still delivers what it sent, then ends the operator's stream without closing the device", async () => {
    const pipe = new SessionPipe(limits, 0);
    pipe.frame(bytes("last words\n"), 0);
    pipe.deviceClosed();
    const e = ends();
    pipe.attach(e.pipeEnds);
    expect(await endOf(pipe)).toMatchObject({ by: "device" });
    expect(text(e.written)).toBe("last words\n");
    expect(e.deviceCloses).toEqual([]);
  });

  it("an end before the operator attached is passed on when it does", () => {
    const pipe = new SessionPipe(limits, 0);
    pipe.end({ by: "operator", code: 1000, reason: "aborted" });
    const e = ends();
    pipe.attach(e.pipeEnds);
    expect(e.outputClosed()).toBe(true);
    expect(e.deviceCloses).toEqual([[1000, "aborted"]]);
  });

  it("is idle after idleMs without a frame, each frame starting the clock again", () => {
    const pipe = new SessionPipe(limits, 0);
    pipe.attach(ends().pipeEnds);
    expect(pipe.checkIdle(400)).toBe(600);
    pipe.frame(bytes("x"), 900);
    expect(pipe.checkIdle(1500)).toBe(400);
    expect(pipe.checkIdle(1900)).toBeUndefined();
    expect(pipe.ended).toMatchObject({ by: "limit", code: 1000, reason: "idle timeout" });
  });

  it("reads every frame type workerd and Node hand over", async () => {
    const expected = "hé";
    for (const frame of [expected, bytes(expected), bytes(expected).buffer as ArrayBuffer, new Blob([expected]), new DataView(bytes(expected).buffer)]) {
      expect(new TextDecoder().decode(await frameBytes(frame))).toBe(expected);
    }
  });
});

describe("session limits", () => {
  it("admits up to perNode sessions per device, then 429", () => {
    const limits = sessionLimits(30);
    expect(admitSession(limits.perNode - 1, limits)).toEqual({ ok: true });
    expect(admitSession(limits.perNode, limits)).toMatchObject({ ok: false, code: 429, reason: "TooManyRequests" });
  });

  it("waits two sync intervals and 15 s for the device", () => {
    expect(sessionLimits(30).connectMs).toBe(75_000);
    expect(sessionLimits(1).connectMs).toBe(17_000);
  });
});
