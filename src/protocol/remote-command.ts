/**
 * @module
 * kubectl exec's WebSocket subprotocols (`v5.channel.k8s.io`, `v4.channel.k8s.io`), as a pure
 * codec shared by the Worker (which answers the handshake and reports early failures) and the
 * agent (which runs the command).
 *
 * Every WebSocket message is binary; its first byte names the channel (client-go
 * `tools/remotecommand/websocket.go`, apimachinery `util/remotecommand/constants.go`):
 * 0 stdin (client → server), 1 stdout, 2 stderr, 3 error (the final `metav1.Status`, JSON),
 * 4 resize (client → server, `{"Width":80,"Height":24}`). v5 adds 255, "close": `[255, ch]`
 * half-closes channel `ch` (kubectl sends `[255, 0]` when its stdin ends). The server ends the
 * session by writing the Status on channel 3 and closing the socket normally (1000): kubectl
 * reads stdout/stderr until that close and then decodes channel 3 (`errorDecoderV4`).
 *
 * @example
 * const frame = encodeFrame(Channel.stdout, new TextEncoder().encode("hi\n"));
 * decodeFrame(frame, "v5.channel.k8s.io"); // { channel: 1, data: Uint8Array("hi\n") }
 * exitStatus(3); // Failure, reason NonZeroExitCode, details.causes [{ reason: "ExitCode", message: "3" }]
 */

export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** In the order the server prefers them; kubectl 1.32 offers only v5. */
export const execProtocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"] as const;
export type ExecProtocol = (typeof execProtocols)[number];

/**
 * The subprotocol to answer from a `Sec-WebSocket-Protocol` header: the first one the client
 * lists that `supported` holds (wsstream `handshake` picks in the client's order).
 */
export function chooseProtocol<T extends string>(header: string | null | undefined, supported: readonly T[]): T | undefined {
  if (!header) return undefined;
  for (const offered of header.split(",")) {
    const name = offered.trim() as T;
    if (supported.includes(name)) return name;
  }
  return undefined;
}

export function encodeFrame(channel: number, data: Uint8Array): Uint8Array {
  const frame = new Uint8Array(data.length + 1);
  frame[0] = channel;
  frame.set(data, 1);
  return frame;
}

/** v5 only: "channel `channel` is done" (for stdin, the end of the input). */
export const encodeClose = (channel: number): Uint8Array => Uint8Array.of(Channel.close, channel);

export type DecodedFrame = { channel: number; data: Uint8Array } | { closed: number };

/** A received message; undefined when it is empty or a close that the protocol does not know. */
export function decodeFrame(frame: Uint8Array, protocol: ExecProtocol): DecodedFrame | undefined {
  if (frame.length === 0) return undefined;
  const channel = frame[0]!;
  if (channel === Channel.close) {
    if (protocol !== "v5.channel.k8s.io" || frame.length < 2) return undefined;
    return { closed: frame[1]! };
  }
  return { channel, data: frame.subarray(1) };
}

export interface TerminalSize {
  width: number;
  height: number;
}

/** A resize message (`remotecommand.TerminalSize` as JSON); undefined when malformed or absurd. */
export function parseResize(data: Uint8Array): TerminalSize | undefined {
  if (data.length > 256) return undefined;
  try {
    const value = JSON.parse(new TextDecoder().decode(data)) as { Width?: unknown; Height?: unknown };
    const ok = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 10_000;
    return ok(value.Width) && ok(value.Height) ? { width: value.Width, height: value.Height } : undefined;
  } catch {
    return undefined;
  }
}

export const encodeResize = (size: TerminalSize): Uint8Array => new TextEncoder().encode(JSON.stringify({ Width: size.width, Height: size.height }));

export interface ExecStatus {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: { causes: { reason: string; message: string }[] };
  code?: number;
}

/**
 * The Status that ends an exec (kubelet `remotecommand.ServeExec` → `writeStatus`): Success for
 * 0; otherwise kubectl exits with the code in the `ExitCode` cause (it must parse as a uint8).
 */
export function exitStatus(code: number): ExecStatus {
  if (code === 0) return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" };
  const rc = Number.isInteger(code) && code > 0 && code < 256 ? code : 1;
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: error executing command, exit status ${rc}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(rc) }] },
  };
}

/** A session that could not run the command: kubectl prints `error: <message>` and exits 1. */
export function failureStatus(message: string, code = 500): ExecStatus {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "InternalError", code };
}

export const encodeStatus = (status: ExecStatus): Uint8Array => encodeFrame(Channel.error, new TextEncoder().encode(JSON.stringify(status)));
