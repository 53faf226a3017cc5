/**
 * @module
 * The SPDY/3.1 framing that kubectl port-forward tunnels inside its WebSocket
 * (`SPDY/3.1+portforward.k8s.io`, client-go `portforward/tunneling_dialer.go`): the server's
 * half, as far as port-forward needs it. The WebSocket carries a byte stream; `FrameReader`
 * cuts it into frames. Header blocks are zlib streams (one per direction and connection, with the
 * SPDY/3 dictionary): incoming ones are inflated with the dictionary; outgoing ones are written
 * as stored (uncompressed) deflate blocks without the dictionary, which every zlib reader takes.
 * Flow control is not applied: kubectl's spdystream does not use it.
 *
 * @example
 * const reader = new FrameReader();
 * for (const frame of reader.push(bytes)) if (frame.type === "syn_stream") headers.decode(frame.headerBlock);
 * socket.send(encodeSynReply(1, headerWriter.encode([])));
 */
import { constants, inflateSync } from "node:zlib";
import spdyDictionaries from "spdy-transport/lib/spdy-transport/protocol/spdy/dictionary.js";

export const ControlType = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goaway: 7, headers: 8, windowUpdate: 9 } as const;
export const Flag = { fin: 0x01, unidirectional: 0x02 } as const;
/** RST_STREAM status codes used here. */
export const RstStatus = { protocolError: 1, refusedStream: 3, cancel: 5 } as const;

export type SpdyFrame =
  | { type: "data"; streamId: number; flags: number; data: Uint8Array }
  | { type: "syn_stream"; streamId: number; flags: number; headerBlock: Uint8Array }
  | { type: "rst_stream"; streamId: number; status: number }
  | { type: "ping"; id: number }
  | { type: "goaway" }
  | { type: "other"; control: number };

/** Frames larger than this end the connection (kubectl's are at most 32 KiB of data). */
export const maxFrameBytes = 1 << 20;

const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

/** Cuts a byte stream into SPDY frames; throws on a version other than 3 or an oversized frame. */
export class FrameReader {
  private buffer = new Uint8Array(0);

  push(chunk: Uint8Array): SpdyFrame[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    const frames: SpdyFrame[] = [];
    let at = 0;
    while (joined.length - at >= 8) {
      const length = ((joined[at + 5]! << 16) | (joined[at + 6]! << 8) | joined[at + 7]!) >>> 0;
      if (length > maxFrameBytes) throw new Error(`a SPDY frame of ${length} bytes is larger than ${maxFrameBytes}`);
      if (joined.length - at < 8 + length) break;
      frames.push(parseFrame(joined.subarray(at, at + 8 + length)));
      at += 8 + length;
    }
    this.buffer = joined.slice(at);
    return frames;
  }
}

function parseFrame(frame: Uint8Array): SpdyFrame {
  const flags = frame[4]!;
  const body = frame.subarray(8);
  if ((frame[0]! & 0x80) === 0) return { type: "data", streamId: u32(frame, 0) & 0x7fffffff, flags, data: body };
  const version = ((frame[0]! & 0x7f) << 8) | frame[1]!;
  if (version !== 3) throw new Error(`SPDY version ${version} is not spoken here (3 is)`);
  const control = (frame[2]! << 8) | frame[3]!;
  const need = (n: number) => {
    if (body.length < n) throw new Error(`a SPDY control frame of type ${control} is too short`);
  };
  switch (control) {
    case ControlType.synStream:
      need(10);
      return { type: "syn_stream", streamId: u32(body, 0) & 0x7fffffff, flags, headerBlock: body.subarray(10) };
    case ControlType.rstStream:
      need(8);
      return { type: "rst_stream", streamId: u32(body, 0) & 0x7fffffff, status: u32(body, 4) };
    case ControlType.ping:
      need(4);
      return { type: "ping", id: u32(body, 0) };
    case ControlType.goaway:
      return { type: "goaway" };
    default:
      return { type: "other", control };
  }
}

/** The 8-byte frame header: the first word (control bit, version, type; or the stream id), flags, length. */
function header(first: number, flags: number, length: number): Uint8Array {
  const h = new Uint8Array(8);
  new DataView(h.buffer).setUint32(0, first >>> 0);
  h[4] = flags;
  h[5] = (length >> 16) & 0xff;
  h[6] = (length >> 8) & 0xff;
  h[7] = length & 0xff;
  return h;
}

function frameOf(head: Uint8Array, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

const control = (type: number, flags: number, body: Uint8Array) => frameOf(header(0x80030000 | type, flags, body.length), body);

const words = (...values: number[]) => {
  const body = new Uint8Array(values.length * 4);
  const view = new DataView(body.buffer);
  values.forEach((v, i) => view.setUint32(i * 4, v >>> 0));
  return body;
};

export const encodeData = (streamId: number, data: Uint8Array, fin = false): Uint8Array => frameOf(header(streamId & 0x7fffffff, fin ? Flag.fin : 0, data.length), data);

export function encodeSynReply(streamId: number, headerBlock: Uint8Array, fin = false): Uint8Array {
  return control(ControlType.synReply, fin ? Flag.fin : 0, frameOf(words(streamId & 0x7fffffff), headerBlock));
}

export const encodeRstStream = (streamId: number, status: number): Uint8Array => control(ControlType.rstStream, 0, words(streamId & 0x7fffffff, status));
export const encodePing = (id: number): Uint8Array => control(ControlType.ping, 0, words(id));

/** An uncompressed SPDY/3 name/value block: count, then length-prefixed names and values. */
export function encodeHeaderBlock(headers: [string, string][]): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [words(headers.length)];
  for (const [name, value] of headers) {
    const n = encoder.encode(name.toLowerCase());
    const v = encoder.encode(value);
    parts.push(words(n.length), n, words(v.length), v);
  }
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Names (lowercase) to values; a value holding NULs is several values. Throws when malformed. */
export function parseHeaderBlock(block: Uint8Array): Map<string, string[]> {
  const decoder = new TextDecoder();
  const headers = new Map<string, string[]>();
  let at = 0;
  const take = () => {
    if (block.length - at < 4) throw new Error("a SPDY header block is cut short");
    const length = u32(block, at);
    at += 4;
    if (block.length - at < length) throw new Error("a SPDY header block is cut short");
    const text = decoder.decode(block.subarray(at, at + length));
    at += length;
    return text;
  };
  if (block.length < 4) throw new Error("a SPDY header block is cut short");
  const count = u32(block, 0);
  at = 4;
  if (count > 1000) throw new Error(`a SPDY header block of ${count} headers is too large`);
  for (let i = 0; i < count; i++) {
    const name = take().toLowerCase();
    headers.set(name, take().split("\0"));
  }
  return headers;
}

/**
 * The SPDY/3 header dictionary (spdy-transport's copy of the spec's table), imported statically so
 * the agent bundle carries it: a device has no node_modules to look it up in at run time.
 */
function spdyDictionary(): Buffer {
  return spdyDictionaries[3]!;
}

/**
 * Inflates the peer's header blocks, which continue one zlib stream. Node's one-shot inflate
 * keeps no state, so the stream so far is inflated again and the new output taken: header blocks
 * are small and bounded (`maxBytes`), which keeps this cheap.
 */
export class HeaderReader {
  private compressed = new Uint8Array(0);
  private seen = 0;
  private readonly dictionary = spdyDictionary();
  private readonly maxBytes: number;

  constructor(maxBytes = 256 * 1024) {
    this.maxBytes = maxBytes;
  }

  decode(block: Uint8Array): Map<string, string[]> {
    if (this.compressed.length + block.length > this.maxBytes) throw new Error("too many SPDY header bytes on one connection");
    const joined = new Uint8Array(this.compressed.length + block.length);
    joined.set(this.compressed);
    joined.set(block, this.compressed.length);
    this.compressed = joined;
    const all = inflateSync(joined, { dictionary: this.dictionary, finishFlush: constants.Z_SYNC_FLUSH });
    const fresh = all.subarray(this.seen);
    this.seen = all.length;
    return parseHeaderBlock(fresh);
  }
}

/** Writes our header blocks as one zlib stream of stored deflate blocks (no dictionary needed). */
export class HeaderWriter {
  private started = false;

  encode(headers: [string, string][]): Uint8Array {
    const raw = encodeHeaderBlock(headers);
    if (raw.length > 0xffff) throw new Error("a header block larger than one stored deflate block");
    // zlib header 0x78 0x01 (deflate, 32 KiB window, no dictionary; 0x7801 % 31 === 0).
    const prefix = this.started ? [] : [0x78, 0x01];
    this.started = true;
    // The block, then an empty stored block, as a sync flush ends: Go's inflater hands the data
    // on only when it reaches that marker (it would otherwise read past the frame and fail).
    const out = new Uint8Array(prefix.length + 5 + raw.length + 5);
    out.set(prefix);
    const at = prefix.length;
    // A stored block, not final: BFINAL 0, BTYPE 00, then LEN and its complement, little-endian.
    out[at] = 0x00;
    out[at + 1] = raw.length & 0xff;
    out[at + 2] = (raw.length >> 8) & 0xff;
    out[at + 3] = ~raw.length & 0xff;
    out[at + 4] = (~raw.length >> 8) & 0xff;
    out.set(raw, at + 5);
    out.set([0x00, 0x00, 0x00, 0xff, 0xff], at + 5 + raw.length);
    return out;
  }
}
