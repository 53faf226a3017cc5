/**
 * @module
 * The two-way half of the session bridge, for kubectl exec and port-forward: kubectl's WebSocket
 * and the device's, joined message for message. The bridge does not read the subprotocol
 * (v5.channel.k8s.io frames, or SPDY inside WebSocket messages for port-forward): the device
 * speaks it, so what kubectl sends reaches the device byte for byte, in order, and back.
 *
 * Device → kubectl keeps the bridge's ack window (`{"ack": n}` per message passed on, the same as
 * for logs). Both directions count against the session's byte bound and reset its idle timer.
 * Either side closing closes the other: the device's normal close (after the exit Status) ends
 * kubectl's socket normally, so kubectl returns the command's exit code.
 */
import { encodeStatus, failureStatus } from "../protocol/remote-command.ts";
import type { SessionLimits } from "./session-limits.ts";

/** What a device socket delivers (the bridge's inbox keeps it from the first message). */
export interface DeviceEvents {
  listen(listener: (event: { data?: string | ArrayBuffer; closed?: true; error?: true }) => void): void;
}

export interface RelayOptions {
  limits: Pick<SessionLimits, "idleMs" | "maxBytes">;
  /** For exec: kubectl is told why the bridge ended a session (a Status on channel 3). */
  speaksChannels: boolean;
  onEnd: () => void;
}

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

/** Joins an accepted kubectl socket to the device's; returns at once, runs until either ends. */
export function relayStreams(operator: WebSocket, device: WebSocket, events: DeviceEvents, options: RelayOptions): void {
  const { limits } = options;
  let bytes = 0;
  let ended = false;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const end = (why: string, tellOperator: boolean) => {
    if (ended) return;
    ended = true;
    if (idle) clearTimeout(idle);
    if (tellOperator && options.speaksChannels) sendQuietly(operator, encodeStatus(failureStatus(why)));
    closeQuietly(operator, 1000, why);
    closeQuietly(device, 1000, why);
    options.onEnd();
  };
  const count = (size: number): boolean => {
    bytes += size;
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => end(`the session was idle for ${Math.round(limits.idleMs / 1000)}s`, true), limits.idleMs);
    if (bytes <= limits.maxBytes) return true;
    end(`the session reached its limit of ${limits.maxBytes} bytes`, true);
    return false;
  };
  count(0);

  events.listen((event) => {
    if (ended) return;
    if (event.error) return end("the device connection failed", true);
    if (event.closed) return end("done", false);
    if (!(event.data instanceof ArrayBuffer)) return;
    const size = event.data.byteLength;
    if (!count(size)) return;
    if (!sendQuietly(operator, event.data)) return end("kubectl went away", false);
    sendQuietly(device, JSON.stringify({ ack: size }));
  });
  operator.addEventListener("message", (event) => {
    if (ended || !(event.data instanceof ArrayBuffer)) return;
    const data = event.data;
    if (!count(data.byteLength)) return;
    if (!sendQuietly(device, data)) end("the device went away", true);
  });
  operator.addEventListener("close", () => end("kubectl closed the session", false));
  operator.addEventListener("error", () => end("kubectl's connection failed", false));
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
