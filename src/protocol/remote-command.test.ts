import { describe, expect, it } from "vitest";
import { Channel, chooseProtocol, decodeFrame, encodeClose, encodeFrame, encodeResize, encodeStatus, execProtocols, exitStatus, failureStatus, parseResize } from "./remote-command.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe("remote-command codec", () => {
  it.each([
    ["v5.channel.k8s.io", "v5.channel.k8s.io"],
    ["v4.channel.k8s.io, v5.channel.k8s.io", "v4.channel.k8s.io"],
    ["SPDY/3.1+portforward.k8s.io,v5.channel.k8s.io", "v5.channel.k8s.io"],
    ["v3.channel.k8s.io", undefined],
    ["channel.k8s.io", undefined],
    ["", undefined],
    [null, undefined],
  ])("chooses the subprotocol from %j", (header, chosen) => {
    expect(chooseProtocol(header, execProtocols)).toBe(chosen);
  });

  it.each([
    [Channel.stdin, "ls\n"],
    [Channel.stdout, "hi\n"],
    [Channel.stderr, "oops"],
    [Channel.error, "{}"],
    [Channel.resize, '{"Width":80,"Height":24}'],
    [Channel.stdout, ""],
  ])("puts channel %i in the first byte and decodes it back (%j)", (channel, payload) => {
    const frame = encodeFrame(channel, bytes(payload));
    expect(frame[0]).toBe(channel);
    expect(frame.length).toBe(bytes(payload).length + 1);
    const decoded = decodeFrame(frame, "v5.channel.k8s.io");
    expect(decoded).toEqual({ channel, data: bytes(payload) });
  });

  it.each([
    ["v5 close of stdin", encodeClose(Channel.stdin), "v5.channel.k8s.io", { closed: 0 }],
    ["v5 close without a channel", Uint8Array.of(255), "v5.channel.k8s.io", undefined],
    ["v4 knows no close", encodeClose(Channel.stdin), "v4.channel.k8s.io", undefined],
    ["an empty message", new Uint8Array(0), "v5.channel.k8s.io", undefined],
  ] as const)("%s", (_name, frame, protocol, expected) => {
    expect(decodeFrame(frame, protocol)).toEqual(expected);
  });

  it.each([
    ['{"Width":80,"Height":24}', { width: 80, height: 24 }],
    ['{"Width":0,"Height":0}', { width: 0, height: 0 }],
    ['{"Width":-1,"Height":24}', undefined],
    ['{"Width":1.5,"Height":24}', undefined],
    ['{"Width":"80","Height":24}', undefined],
    ['{"Width":100000,"Height":24}', undefined],
    ["not json", undefined],
    [`{"Width":80,"Height":24,"x":"${"a".repeat(300)}"}`, undefined],
  ])("parses the resize message %j", (message, size) => {
    expect(parseResize(bytes(message))).toEqual(size);
  });

  it("encodes a resize as kubectl does", () => {
    expect(text(encodeResize({ width: 120, height: 40 }))).toBe('{"Width":120,"Height":40}');
  });

  it("answers exit code 0 with Success", () => {
    expect(exitStatus(0)).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" });
  });

  it.each([
    [3, "3"],
    [255, "255"],
    [300, "1"],
    [-9, "1"],
  ])("answers exit code %i with NonZeroExitCode and the ExitCode cause %s", (code, cause) => {
    const status = exitStatus(code);
    expect(status).toMatchObject({ status: "Failure", reason: "NonZeroExitCode", details: { causes: [{ reason: "ExitCode", message: cause }] } });
    // kubectl parses the cause with strconv.ParseUint(message, 10, 8).
    expect(Number(status.details!.causes[0]!.message)).toBeLessThan(256);
  });

  it("writes the Status on the error channel as JSON", () => {
    const frame = encodeStatus(failureStatus("no such container", 404));
    expect(frame[0]).toBe(Channel.error);
    expect(JSON.parse(text(frame.subarray(1)))).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "no such container", reason: "InternalError", code: 404 });
  });
});
