/**
 * @module
 * What a session handler (one per kind: log-session.ts, and exec / port-forward beside it) gets
 * from the transport (session-client.ts): the offer the control plane announced, a windowed
 * output, and the bridge's other messages. A handler accepts (or the first write does), refuses
 * with a Kubernetes status code, and returns when the session is over.
 *
 * @example
 * const serveEcho: SessionHandler = async (offer, channel) => {
 *   channel.accept();
 *   await channel.out.write(new TextEncoder().encode(`hello ${offer.pod}\n`));
 * };
 */
import type { SessionKind, SessionOffer } from "../../src/protocol/agent.ts";
import type { OutputSink } from "../runtime/runtime.ts";

export interface SessionChannel {
  /** Tells the operator the session is served (a 200 hello); implied by the first write. */
  accept(): void;
  /** Binary frames to the operator, at most the window unacknowledged (`write` waits for acks). */
  out: OutputSink;
  /** The bridge's messages after the hello, acknowledgements left out (exec: stdin, resize). */
  onMessage(listener: (data: Buffer, isBinary: boolean) => void): void;
}

export type SessionHandler = (offer: SessionOffer, channel: SessionChannel) => Promise<void>;

export type SessionHandlers = Partial<Record<SessionKind, SessionHandler>>;

/** A refusal with the status the operator sees (a plain Error is a 400, as the kubelet answers). */
export class SessionRefused extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}
