import { createDeflate, constants, inflateSync } from "node:zlib";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { encodeData, encodeHeaderBlock, encodePing, encodeRstStream, encodeSynReply, FrameReader, HeaderReader, HeaderWriter, parseHeaderBlock } from "./spdy-frames.ts";

const dictionary = (createRequire(import.meta.url)("spdy-transport/lib/spdy-transport/protocol/spdy/dictionary.js") as Record<number, Buffer>)[3]!;

/** What kubectl's framer sends: one zlib stream with the SPDY/3 dictionary, sync-flushed per block. */
async function clientBlocks(blocks: [string, string][][]): Promise<Uint8Array[]> {
  const deflate = createDeflate({ dictionary });
  const out: Uint8Array[] = [];
  for (const block of blocks) {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => chunks.push(chunk);
    deflate.on("data", onData);
    deflate.write(encodeHeaderBlock(block));
    await new Promise<void>((resolve) => deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    deflate.off("data", onData);
    out.push(Buffer.concat(chunks));
  }
  deflate.close();
  return out;
}

/** A SYN_STREAM as a client writes it: stream id, associated id, priority/slot, header block. */
function synStream(streamId: number, block: Uint8Array): Uint8Array {
  const body = new Uint8Array(10 + block.length);
  new DataView(body.buffer).setUint32(0, streamId);
  body.set(block, 10);
  const frame = new Uint8Array(8 + body.length);
  frame.set([0x80, 0x03, 0x00, 0x01, 0x00, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff]);
  frame.set(body, 8);
  return frame;
}

describe("SPDY/3.1 framing for port-forward", () => {
  it("cuts a byte stream into frames wherever the WebSocket messages split it", () => {
    const stream = new Uint8Array([...encodeData(1, new Uint8Array([1, 2, 3])), ...encodePing(7), ...encodeData(3, new Uint8Array(0), true), ...encodeRstStream(5, 5)]);
    for (const cut of [1, 5, 8, 11, 13, stream.length - 1]) {
      const reader = new FrameReader();
      const frames = [...reader.push(stream.subarray(0, cut)), ...reader.push(stream.subarray(cut))];
      expect(frames).toEqual([
        { type: "data", streamId: 1, flags: 0, data: new Uint8Array([1, 2, 3]) },
        { type: "ping", id: 7 },
        { type: "data", streamId: 3, flags: 1, data: new Uint8Array(0) },
        { type: "rst_stream", streamId: 5, status: 5 },
      ]);
    }
  });

  it("refuses another SPDY version and an oversized frame", () => {
    expect(() => new FrameReader().push(new Uint8Array([0x80, 0x02, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1]))).toThrow(/version 2/);
    expect(() => new FrameReader().push(new Uint8Array([0, 0, 0, 1, 0, 0x7f, 0xff, 0xff]))).toThrow(/larger/);
  });

  it("inflates a client's header blocks, which continue one zlib stream with the dictionary", async () => {
    const blocks = await clientBlocks([
      [["streamtype", "error"], ["port", "8080"], ["requestid", "0"]],
      [["streamtype", "data"], ["port", "8080"], ["requestid", "0"]],
    ]);
    const reader = new FrameReader();
    const frames = reader.push(new Uint8Array([...synStream(1, blocks[0]!), ...synStream(3, blocks[1]!)]));
    const headers = new HeaderReader();
    const decoded = frames.map((f) => (f.type === "syn_stream" ? [f.streamId, Object.fromEntries(headers.decode(f.headerBlock))] : undefined));
    expect(decoded).toEqual([
      [1, { streamtype: ["error"], port: ["8080"], requestid: ["0"] }],
      [3, { streamtype: ["data"], port: ["8080"], requestid: ["0"] }],
    ]);
  });

  it("writes header blocks that a zlib reader inflates, block after block", () => {
    const writer = new HeaderWriter();
    const first = writer.encode([]);
    const second = writer.encode([["x", "1"]]);
    // Each ends as a sync flush does (an empty stored block), which Go's inflater needs to hand the block on.
    expect([...first.subarray(-5)]).toEqual([0, 0, 0, 0xff, 0xff]);
    expect([...second.subarray(-5)]).toEqual([0, 0, 0, 0xff, 0xff]);
    const inflated = inflateSync(Buffer.concat([first, second]), { finishFlush: constants.Z_SYNC_FLUSH });
    expect(parseHeaderBlock(inflated.subarray(0, 4))).toEqual(new Map());
    expect(parseHeaderBlock(inflated.subarray(4))).toEqual(new Map([["x", ["1"]]]));
  });

  it("encodes SYN_REPLY with the stream id in front of the header block", () => {
    const frame = encodeSynReply(3, new Uint8Array([9, 9]));
    expect([...frame]).toEqual([0x80, 0x03, 0x00, 0x02, 0x00, 0, 0, 6, 0, 0, 0, 3, 9, 9]);
  });

  it("parses multi-valued headers and refuses cut blocks", () => {
    const block = encodeHeaderBlock([["Port", "80\u000081"]]);
    expect(parseHeaderBlock(block)).toEqual(new Map([["port", ["80", "81"]]]));
    expect(() => parseHeaderBlock(block.subarray(0, block.length - 1))).toThrow(/cut short/);
  });
});
