/**
 * @module
 * One kubectl port-forward on the device: the server's half of portforward.k8s.io over the
 * SPDY/3.1 kubectl tunnels in its WebSocket (spdy-frames.ts), as the kubelet serves it
 * (`kubelet/cri/streaming/portforward/httpstream.go`). For each local connection kubectl opens two
 * streams with the same `requestID` and `port` headers: `streamType: error`, then `data`. Each is
 * answered (SYN_REPLY); once both exist the agent connects to the pod's port (127.0.0.1 for a
 * process pod) and pipes bytes both ways. When the pod's side closes, the data stream and then
 * the error stream are finished; a failed connect is written on the error stream (kubectl prints
 * it) before both finish. kubectl's pings are answered.
 *
 * @example
 * await servePortForward(pod.uid, runtime, { send, onFrame, signal });
 */
import type { PortStream, Runtime } from "../runtime/runtime.ts";
import type { SessionIo } from "./exec-session.ts";
import { encodeData, encodePing, encodeRstStream, encodeSynReply, FrameReader, HeaderReader, HeaderWriter, RstStatus, type SpdyFrame } from "./spdy-frames.ts";

/** Local connections one kubectl port-forward may have open at once through the device. */
export const maxForwardedConnections = 64;

interface Forward {
  port: number;
  errorStream?: number;
  dataStream?: number;
  tcp?: PortStream;
  /** kubectl's bytes that came before the pod's port was connected. */
  early: Uint8Array[];
  finEarly: boolean;
  done: boolean;
}

export function servePortForward(uid: string, runtime: Pick<Runtime, "connectPort">, io: SessionIo): Promise<void> {
  const reader = new FrameReader();
  const headers = new HeaderReader();
  const replies = new HeaderWriter();
  const forwards = new Map<string, Forward>();
  const byStream = new Map<number, string>();
  const encoder = new TextEncoder();
  // One queue: frames leave in the order they were made, whatever the window does.
  let queue = Promise.resolve();
  const send = (frame: Uint8Array) => {
    queue = queue.then(() => io.send(frame)).catch(() => {});
  };

  const finish = (id: string, forward: Forward, message?: string) => {
    if (forward.done) return;
    forward.done = true;
    if (forward.dataStream !== undefined) send(encodeData(forward.dataStream, new Uint8Array(0), true));
    if (forward.errorStream !== undefined) {
      if (message) send(encodeData(forward.errorStream, encoder.encode(message)));
      send(encodeData(forward.errorStream, new Uint8Array(0), true));
    }
    forward.tcp?.close();
    forwards.delete(id);
    if (forward.dataStream !== undefined) byStream.delete(forward.dataStream);
    if (forward.errorStream !== undefined) byStream.delete(forward.errorStream);
  };

  const connect = (id: string, forward: Forward) => {
    runtime.connectPort!(uid, forward.port).then(
      (tcp) => {
        if (forward.done) return tcp.close();
        forward.tcp = tcp;
        for (const chunk of forward.early.splice(0)) void tcp.write(chunk).catch(() => {});
        if (forward.finEarly) tcp.close();
        tcp.onData((chunk) => (chunk === null ? finish(id, forward) : send(encodeData(forward.dataStream!, chunk))));
      },
      (error: Error) => finish(id, forward, `error forwarding port ${forward.port} to pod ${uid}: ${error.message}`),
    );
  };

  const open = (frame: Extract<SpdyFrame, { type: "syn_stream" }>) => {
    const h = headers.decode(frame.headerBlock);
    const type = h.get("streamtype")?.[0];
    const portText = h.get("port")?.[0] ?? "";
    const port = /^\d{1,5}$/.test(portText) ? Number(portText) : 0;
    const id = h.get("requestid")?.[0] ?? `stream-${frame.streamId}`;
    if ((type !== "data" && type !== "error") || port < 1 || port > 65535 || (!forwards.has(id) && forwards.size >= maxForwardedConnections)) {
      send(encodeRstStream(frame.streamId, RstStatus.refusedStream));
      return;
    }
    send(encodeSynReply(frame.streamId, replies.encode([])));
    const forward = forwards.get(id) ?? { port, early: [], finEarly: false, done: false };
    forwards.set(id, forward);
    byStream.set(frame.streamId, id);
    if (type === "error") forward.errorStream = frame.streamId;
    else forward.dataStream = frame.streamId;
    if (forward.errorStream !== undefined && forward.dataStream !== undefined) connect(id, forward);
  };

  const receive = (frame: SpdyFrame) => {
    if (frame.type === "syn_stream") return open(frame);
    if (frame.type === "ping") return send(encodePing(frame.id));
    if (frame.type === "rst_stream") {
      const id = byStream.get(frame.streamId);
      const forward = id === undefined ? undefined : forwards.get(id);
      if (id !== undefined && forward) finish(id, forward);
      return;
    }
    if (frame.type !== "data") return;
    const id = byStream.get(frame.streamId);
    const forward = id === undefined ? undefined : forwards.get(id);
    // The error stream is kubectl's to close at once; only the data stream carries bytes.
    if (!forward || frame.streamId !== forward.dataStream) return;
    if (frame.data.length > 0) {
      if (forward.tcp) void forward.tcp.write(frame.data).catch(() => {});
      else forward.early.push(frame.data.slice());
    }
    if (frame.flags & 0x01) {
      if (forward.tcp) forward.tcp.close();
      else forward.finEarly = true;
    }
  };

  return new Promise<void>((resolve) => {
    io.onFrame((message) => {
      if (io.signal.aborted) return;
      try {
        for (const frame of reader.push(message)) receive(frame);
      } catch {
        // A stream that is not SPDY/3.1: nothing sensible can follow.
        for (const [id, forward] of forwards) finish(id, forward);
        resolve();
      }
    });
    io.signal.addEventListener(
      "abort",
      () => {
        for (const forward of forwards.values()) forward.tcp?.close();
        forwards.clear();
        resolve();
      },
      { once: true },
    );
  });
}
