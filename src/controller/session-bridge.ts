/**
 * @module
 * `SessionBridge`, one Durable Object per node (`node:<name>`): the meeting point of an operator's
 * request (kubectl logs) and the device, which has no inbound port and only polls.
 *
 * 1. `open` (the Worker, for an authorized operator): records the session, tells the node's shard
 *    how many wait (the shard carries that in its sync answer, X-Edgeset-Sessions, at no extra
 *    cost), and waits up to `connectMs` for the device.
 * 2. `pending` (the device, with its node credential): the sessions that wait for it.
 * 3. `connect` (the device's outbound WebSocket): its first message says whether it can serve the
 *    session (a Kubernetes status code and message); then its binary frames are the output, piped
 *    in order to the operator's HTTP response. Each frame is acknowledged (`{"ack": n}`) once the
 *    response stream took it, so a slow operator slows the device (back-pressure), never the
 *    object's memory.
 * The session ends when the device closes (end of the log), the operator goes away (the write
 * fails), or a bound is hit (idle, bytes). Nothing is stored: a session lives as long as both
 * connections, and a restarted object has none.
 */
import { DurableObject } from "cloudflare:workers";
import type { SessionHello, SessionOffer } from "../protocol/agent.ts";
import { settingsOf } from "../config.ts";
import { nodeShardOf } from "./node-shards.ts";
import { admitSession, sessionLimits, type SessionLimits } from "./session-limits.ts";
import { refuseOnSocket, relayStreams } from "./session-stream.ts";

interface Session {
  offer: SessionOffer;
  connected: boolean;
  /** Resolves with the device's socket and its first message. */
  arrive: (socket: WebSocket, hello: SessionHello, inbox: SocketInbox) => void;
  close: (code: number, why: string) => void;
}

const status = (code: number, reason: string, message: string): Response =>
  Response.json({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code }, { status: code });

type SocketEvent = { data?: string | ArrayBuffer; closed?: true; error?: true };

/** A device socket's events, kept from the first until someone listens, then passed on as they come. */
export class SocketInbox {
  private readonly early: SocketEvent[] = [];
  private listener: ((event: SocketEvent) => void) | undefined;

  push(event: SocketEvent): void {
    if (this.listener) this.listener(event);
    else this.early.push(event);
  }

  listen(listener: (event: SocketEvent) => void): void {
    this.listener = listener;
    for (const event of this.early.splice(0)) listener(event);
  }
}

export class SessionBridge extends DurableObject<Env> {
  private readonly sessions = new Map<string, Session>();

  private get limits(): SessionLimits {
    return sessionLimits(settingsOf(this.env).syncIntervalSeconds);
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const node = url.searchParams.get("node") ?? "";
    if (url.pathname === "/open" && request.method === "POST") return this.open(node, (await request.json()) as Omit<SessionOffer, "id">, request.signal);
    if (url.pathname === "/stream" && request.headers.get("upgrade")?.toLowerCase() === "websocket") return this.openStream(node, request);
    if (url.pathname === "/pending") return Response.json({ sessions: [...this.sessions.values()].filter((s) => !s.connected).map((s) => s.offer) });
    const connect = /^\/connect\/([0-9a-f-]{36})$/.exec(url.pathname);
    if (connect) return this.join(node, connect[1]!, request);
    return status(404, "NotFound", "no such session route");
  }

  private async open(node: string, offer: Omit<SessionOffer, "id">, signal: AbortSignal): Promise<Response> {
    const limits = this.limits;
    const admission = admitSession(this.sessions.size, limits);
    if (!admission.ok) return status(admission.code, admission.reason, admission.message);
    const id = crypto.randomUUID();
    type Arrival = { socket: WebSocket; hello: SessionHello; inbox: SocketInbox };
    let arrived: ((value: Arrival | undefined) => void) | undefined;
    const arrival = new Promise<Arrival | undefined>((resolve) => (arrived = resolve));
    const timer = setTimeout(() => arrived?.(undefined), limits.connectMs);
    signal.addEventListener("abort", () => arrived?.(undefined));
    const session: Session = {
      offer: { ...offer, id },
      connected: false,
      arrive: (socket, hello, inbox) => arrived?.({ socket, hello, inbox }),
      close: () => {},
    };
    this.sessions.set(id, session);
    await this.tellShard(node);
    const met = await arrival;
    clearTimeout(timer);
    if (!met) {
      this.sessions.delete(id);
      await this.tellShard(node);
      return status(504, "Timeout", `node "${node}" did not connect within ${Math.round(limits.connectMs / 1000)}s (it learns of sessions at its next sync; is it online?)`);
    }
    await this.tellShard(node);
    const { socket, hello, inbox } = met;
    if (hello.status !== 200) {
      this.sessions.delete(id);
      socket.close(1000, "refused");
      return status(hello.status >= 400 && hello.status < 600 ? hello.status : 500, hello.status === 404 ? "NotFound" : "BadRequest", hello.message ?? "the device refused the session");
    }
    return this.pipe(id, session, socket, inbox, limits);
  }

  /**
   * kubectl exec / port-forward: the offer comes in `X-Edgeset-Offer` (URI-encoded JSON, the
   * Worker validated it); kubectl's socket is answered once the device joined, then relayed
   * both ways (session-stream.ts). Exec failures are told on kubectl's socket (channel 3), since
   * an HTTP error would make kubectl retry with SPDY, which is not served.
   */
  private async openStream(node: string, request: Request): Promise<Response> {
    const offer = JSON.parse(decodeURIComponent(request.headers.get("x-edgeset-offer") ?? "")) as Omit<SessionOffer, "id">;
    const protocol = offer.exec?.protocol ?? offer.portForward?.protocol ?? "";
    const channels = offer.kind === "exec";
    const refuse = (code: number, reason: string, message: string) => (channels ? refuseOnSocket(protocol, message, true) : status(code, reason, message));
    const limits = this.limits;
    const admission = admitSession(this.sessions.size, limits);
    if (!admission.ok) return refuse(admission.code, admission.reason, admission.message);
    const id = crypto.randomUUID();
    const met = await this.waitForDevice(node, { ...offer, id }, request.signal, limits);
    if (!met) return refuse(504, "Timeout", `node "${node}" did not connect within ${Math.round(limits.connectMs / 1000)}s (it learns of sessions at its next sync; is it online?)`);
    const { socket, hello, inbox } = met;
    if (hello.status !== 200) {
      this.sessions.delete(id);
      socket.close(1000, "refused");
      return refuse(hello.status >= 400 && hello.status < 600 ? hello.status : 500, hello.status === 404 ? "NotFound" : "BadRequest", hello.message ?? "the device refused the session");
    }
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    server.binaryType = "arraybuffer";
    server.accept();
    const session = this.sessions.get(id);
    if (session) session.close = (code, why) => socket.close(code, why);
    relayStreams(server, socket, inbox, { limits, speaksChannels: channels, onEnd: () => this.sessions.delete(id) });
    return new Response(null, { status: 101, webSocket: client, headers: { "Sec-WebSocket-Protocol": protocol } });
  }

  /** Records the session, tells the shard, and waits for the device's socket and hello (or undefined). */
  private async waitForDevice(node: string, offer: SessionOffer, signal: AbortSignal, limits: SessionLimits) {
    type Arrival = { socket: WebSocket; hello: SessionHello; inbox: SocketInbox };
    let arrived: ((value: Arrival | undefined) => void) | undefined;
    const arrival = new Promise<Arrival | undefined>((resolve) => (arrived = resolve));
    const timer = setTimeout(() => arrived?.(undefined), limits.connectMs);
    signal.addEventListener("abort", () => arrived?.(undefined));
    this.sessions.set(offer.id, { offer, connected: false, arrive: (socket, hello, inbox) => arrived?.({ socket, hello, inbox }), close: () => {} });
    await this.tellShard(node);
    const met = await arrival;
    clearTimeout(timer);
    if (!met) this.sessions.delete(offer.id);
    await this.tellShard(node);
    return met;
  }

  /** The device's frames, in order, into the operator's response; one ack per frame taken. */
  private pipe(id: string, session: Session, socket: WebSocket, inbox: SocketInbox, limits: SessionLimits): Response {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    let bytes = 0;
    let idle: ReturnType<typeof setTimeout> | undefined;
    let ended = false;
    const end = (code: number, why: string) => {
      if (ended) return;
      ended = true;
      if (idle) clearTimeout(idle);
      this.sessions.delete(id);
      try {
        socket.close(code, why);
      } catch {
        // closed already
      }
      writer.close().catch(() => {});
    };
    session.close = end;
    const touch = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => end(1000, "idle timeout"), limits.idleMs);
    };
    touch();
    inbox.listen((event) => {
      if (event.error) return end(1011, "socket error");
      if (event.closed) {
        if (ended) return;
        ended = true;
        if (idle) clearTimeout(idle);
        this.sessions.delete(id);
        writer.close().catch(() => {});
        return;
      }
      if (typeof event.data === "string" || event.data === undefined) return;
      const chunk = new Uint8Array(event.data as ArrayBuffer);
      bytes += chunk.length;
      touch();
      if (bytes > limits.maxBytes) return end(1008, "session byte limit reached");
      // Written in order: TransformStream writes queue behind each other.
      writer.write(chunk).then(
        () => {
          if (!ended) socket.send(JSON.stringify({ ack: chunk.length }));
        },
        () => end(1000, "the operator went away"),
      );
    });
    return new Response(readable, { status: 200, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  }

  private join(node: string, id: string, request: Request): Response {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return status(426, "BadRequest", "a session is joined with a WebSocket upgrade");
    const session = this.sessions.get(id);
    if (!session || session.connected) return status(404, "NotFound", `no session "${id}" waits for node "${node}"`);
    session.connected = true;
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    // Binary messages as ArrayBuffers (with the standard binary type, the default is Blob).
    server.binaryType = "arraybuffer";
    server.accept();
    // Every event is taken here, from the first: the device sends its output right behind its
    // hello, before `open` (resumed by the hello) could listen; what comes early waits in `inbox`.
    const inbox = new SocketInbox();
    let greeted = false;
    server.addEventListener("message", (event) => {
      if (greeted) return inbox.push({ data: event.data });
      greeted = true;
      let hello: SessionHello;
      try {
        hello = JSON.parse(String(event.data)) as SessionHello;
        if (typeof hello.status !== "number") throw new Error("no status");
      } catch {
        hello = { status: 502, message: "the device sent a malformed session answer" };
      }
      session.arrive(server, hello, inbox);
    });
    server.addEventListener("close", () => inbox.push({ closed: true }));
    server.addEventListener("error", () => inbox.push({ error: true }));
    return new Response(null, { status: 101, webSocket: client });
  }

  private async tellShard(node: string): Promise<void> {
    const waiting = [...this.sessions.values()].filter((s) => !s.connected).length;
    const shard = nodeShardOf(this.env, node);
    await shard.stub.setPendingSessions(node, waiting).catch((error: unknown) => console.error(`session bridge ${node}: cannot tell the shard`, error));
  }
}
