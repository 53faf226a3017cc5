/**
 * @module
 * The two-way half of the session bridge, for kubectl exec and port-forward: kubectl's WebSocket
 * and the device's, joined message for message. The bridge does not read the subprotocol
 * (v5.channel.k8s.io frames, or SPDY inside WebSocket messages for port-forward): the device
 * speaks it, so what kubectl sends reaches the device byte for byte, in order, and back.
 *
 * Device → kubectl goes through the session's pipe (session-pipe.ts: order, the ack window, the
 * byte bound); kubectl → device is sent as it comes. Either direction resets the idle timer.
 * Either side closing closes the other: the device's normal close (after the exit Status) ends
 * kubectl's socket normally, so kubectl returns the command's exit code.
 */
import { encodeStatus, failureStatus } from "../protocol/remote-command.ts";
import type { Arrival } from "./session-bridge.ts";

const closeQuietly = (socket: WebSocket, code: number, why: string) => {
  try {
    socket.close(code, why.slice(0, 120));
  } catch {
    // closed already
  }
};

const sendQuietly = (socket: WebSocket, data: string | ArrayBuffer | Uint8Array) => {
  try {
    socket.send(data);
    return true;
  } catch {
    return false;
  }
};

/** Joins kubectl's socket (a new pair, answered 101) to the device's; runs until either ends. */
export function relayStreams({ socket: device, pipe }: Arrival, signal: AbortSignal): Response {
  const pair = new WebSocketPair();
  const [client, operator] = [pair[0], pair[1]];
  // kubectl's messages as ArrayBuffers (the standard binary type would hand Blobs, which send refuses).
  operator.binaryType = "arraybuffer";
  operator.accept();
  let idle: ReturnType<typeof setTimeout> | undefined;
  const checkIdle = () => {
    const wait = pipe.checkIdle(Date.now());
    if (wait !== undefined) idle = setTimeout(checkIdle, wait);
  };
  checkIdle();
  const gone = (reason: string) => pipe.end({ by: "operator", code: 1000, reason });
  signal.addEventListener("abort", () => gone("the operator went away"));
  operator.addEventListener("message", (event) => {
    if (pipe.ended || typeof event.data === "string") return;
    pipe.touch(Date.now());
    if (!sendQuietly(device, event.data as ArrayBuffer)) pipe.end({ by: "device", code: 1000, reason: "the device went away" });
  });
  operator.addEventListener("close", () => gone("kubectl closed the session"));
  operator.addEventListener("error", () => gone("kubectl's connection failed"));
  pipe.attach({
    write: async (chunk) => {
      if (!sendQuietly(operator, chunk)) throw new Error("kubectl went away");
    },
    closeOutput: () => {
      if (idle) clearTimeout(idle);
      closeQuietly(operator, 1000, "done");
    },
    ack: (bytes) => sendQuietly(device, JSON.stringify({ ack: bytes })),
    closeDevice: (code, reason) => closeQuietly(device, code, reason),
  });
  return new Response(null, { status: 101, webSocket: client });
}

/** kubectl's socket, accepted only to say why there is no session (exec: on channel 3). */
export function refuseOnSocket(protocol: string, message: string, speaksChannels: boolean): Response {
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  server.accept();
  if (speaksChannels) server.send(encodeStatus(failureStatus(message)));
  closeQuietly(server, speaksChannels ? 1000 : 1011, message);
  return new Response(null, { status: 101, webSocket: client, headers: { "Sec-WebSocket-Protocol": protocol } });
}
