/**
 * @module
 * One session's frames from the device to the operator, in order and bounded, with no I/O of its
 * own: the bridge (session-bridge.ts) gives it the two ends. Frames are taken from the device's
 * first message on, before the operator's end is attached, and written one at a time.
 *
 * Platform facts it absorbs: workerd hands binary WebSocket messages to a Durable Object as
 * `Blob` (not `ArrayBuffer`), and reading a Blob is asynchronous, so frames are converted inside
 * the one ordered loop, never in the event handler (a later small frame would overtake a big one).
 *
 * @example
 * const pipe = new SessionPipe({ maxBytes: 1 << 20, maxUnackedBytes: 1 << 19, idleMs: 60_000 }, Date.now());
 * pipe.frame(blob, Date.now()); // from the socket's "message" events
 * pipe.attach({ write, closeOutput, ack, closeDevice }); // the operator's response stream
 */

/** What a WebSocket message may carry in workerd and in Node. */
export type Frame = string | ArrayBuffer | ArrayBufferView | Blob;

export interface PipeEnds {
  /** Writes to the operator; resolves once taken (the stream's back-pressure), rejects when gone. */
  write(chunk: Uint8Array): Promise<void>;
  /** Ends the operator's stream (the session is over). */
  closeOutput(): void;
  /** Tells the device these bytes were passed on (it keeps a window of unacknowledged bytes). */
  ack(bytes: number): void;
  /** Closes the device's socket with a WebSocket close code. */
  closeDevice(code: number, reason: string): void;
}

export interface PipeLimits {
  /** Bytes the session may carry in all. */
  maxBytes: number;
  /** Bytes the device may have sent and not seen acknowledged: past it, the device ignores the window. */
  maxUnackedBytes: number;
  /** No frame for this long ends the session. */
  idleMs: number;
}

export type PipeEnd = { by: "device" | "operator" | "limit"; code: number; reason: string };

export async function frameBytes(frame: Frame): Promise<Uint8Array> {
  if (typeof frame === "string") return new TextEncoder().encode(frame);
  if (frame instanceof ArrayBuffer) return new Uint8Array(frame);
  if (ArrayBuffer.isView(frame)) return new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  return new Uint8Array(await frame.arrayBuffer());
}

const sizeOf = (frame: Frame): number => (typeof frame === "string" ? frame.length : frame instanceof Blob ? frame.size : frame.byteLength);

export class SessionPipe {
  private readonly queue: Frame[] = [];
  private ends: PipeEnds | undefined;
  private draining = false;
  private deviceDone = false;
  /** Bytes received from the device (all), and those not acknowledged yet. */
  private received = 0;
  private unacked = 0;
  private lastActivity: number;
  private outcome: PipeEnd | undefined;
  private readonly limits: PipeLimits;
  private readonly listeners: ((end: PipeEnd) => void)[] = [];

  constructor(limits: PipeLimits, now: number) {
    this.limits = limits;
    this.lastActivity = now;
  }

  /** Traffic either way (a frame, an operator's input): the idle clock starts again. */
  touch(now: number): void {
    this.lastActivity = Math.max(this.lastActivity, now);
  }

  /** Ends an idle session; otherwise the milliseconds until it would be idle (when to ask again). */
  checkIdle(now: number): number | undefined {
    if (this.outcome) return undefined;
    const left = this.lastActivity + this.limits.idleMs - now;
    if (left > 0) return left;
    this.end({ by: "limit", code: 1000, reason: "idle timeout" });
    return undefined;
  }

  /** Called once when the session ends, by whichever side (at once if it has). */
  onEnd(listener: (end: PipeEnd) => void): void {
    if (this.outcome) listener(this.outcome);
    else this.listeners.push(listener);
  }

  get ended(): PipeEnd | undefined {
    return this.outcome;
  }

  /** A binary frame of output from the device (text frames are control messages, not output). */
  frame(frame: Frame, now: number): void {
    if (this.outcome) return;
    this.touch(now);
    const size = sizeOf(frame);
    this.received += size;
    this.unacked += size;
    if (this.received > this.limits.maxBytes) return this.end({ by: "limit", code: 1008, reason: "session byte limit reached" });
    if (this.unacked > this.limits.maxUnackedBytes) return this.end({ by: "limit", code: 1008, reason: "the device ignored the acknowledgement window" });
    this.queue.push(frame);
    this.drain();
  }

  /** The device closed its socket: what it sent before still reaches the operator, then the stream ends. */
  deviceClosed(): void {
    this.deviceDone = true;
    this.drain();
  }

  /** The operator's end; frames that came before it are written first. */
  attach(ends: PipeEnds): void {
    this.ends = ends;
    if (this.outcome) this.finish(this.outcome);
    else this.drain();
  }

  /** Ends the session from outside (idle timeout, the operator's request aborted). */
  end(end: PipeEnd): void {
    if (this.outcome) return;
    this.outcome = end;
    this.queue.length = 0;
    if (this.ends) this.finish(end);
    for (const listener of this.listeners.splice(0)) listener(end);
  }

  private finish(end: PipeEnd): void {
    this.ends!.closeOutput();
    if (end.by !== "device") this.ends!.closeDevice(end.code, end.reason);
  }

  private drain(): void {
    if (this.draining || !this.ends || this.outcome) return;
    this.draining = true;
    void this.loop().finally(() => {
      this.draining = false;
      // A frame (or the device's close) that came while the loop was returning.
      if (this.queue.length || this.deviceDone) this.drain();
    });
  }

  private async loop(): Promise<void> {
    const ends = this.ends!;
    while (!this.outcome) {
      const next = this.queue.shift();
      if (next === undefined) {
        if (this.deviceDone) this.end({ by: "device", code: 1000, reason: "the device ended the session" });
        return;
      }
      const chunk = await frameBytes(next);
      try {
        await ends.write(chunk);
      } catch {
        return this.end({ by: "operator", code: 1000, reason: "the operator went away" });
      }
      if (this.outcome) return;
      this.unacked -= sizeOf(next);
      ends.ack(sizeOf(next));
    }
  }
}
