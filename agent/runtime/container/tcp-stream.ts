/**
 * @module
 * A TCP connection as a `PortStream` (port-forward): writes wait for the socket to take the bytes,
 * data arrives through the listener, then null once the pod's side closed.
 *
 * @example
 * const stream = await connectTcp("127.0.0.1", 8080);
 * stream.onData((chunk) => …); await stream.write(request);
 */
import { connect } from "node:net";
import type { PortStream } from "../runtime.ts";

export function connectTcp(host: string, port: number): Promise<PortStream> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      socket.on("error", () => socket.destroy());
      const listeners: Array<(chunk: Uint8Array | null) => void> = [];
      const buffered: Array<Uint8Array | null> = [];
      const deliver = (chunk: Uint8Array | null) => (listeners.length > 0 ? listeners.forEach((l) => l(chunk)) : buffered.push(chunk));
      socket.on("data", (chunk: Buffer) => deliver(chunk));
      socket.once("close", () => deliver(null));
      resolve({
        write: (chunk) => new Promise<void>((done, fail) => socket.write(chunk, (error) => (error ? fail(error) : done()))),
        onData(listener) {
          listeners.push(listener);
          for (const chunk of buffered.splice(0)) listener(chunk);
        },
        close: () => socket.end(),
      });
    });
  });
}
