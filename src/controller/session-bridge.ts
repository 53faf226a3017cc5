/**
 * @module
 * `SessionBridge`, one Durable Object per node (`node:<name>`): the meeting point of an operator's
 * request (kubectl logs) and the device, which has no inbound port and only polls.
 *
 * 1. `open` (the Worker, for an authorized operator): records the session, tells the node's shard
 *    how many wait (the shard carries that in its sync answer, X-Edgeset-Sessions, at no extra
 *    cost), and waits up to `connectMs` for the device.
 * 2. `pending` (the device, with its node credential): the sessions that wait for it.
 * 3. `connect` (the device's outbound WebSocket): its first message (text) says whether it can
 *    serve the session (a Kubernetes status code and message); then its binary frames are the
 *    output, passed in order to the operator by a `SessionPipe` (session-pipe.ts), which
 *    acknowledges each frame (`{"ack": n}`) once the operator's stream took it: a slow operator
 *    slows the device (back-pressure), never grows the object's memory.
 * What happens after the hello depends on the session's kind (`answerers`): `log` streams the
 * frames as the body of the pods/log answer. The session ends when the device closes (end of the
 * log), the operator goes away, or a bound is hit (idle, bytes). Nothing is stored: a session
 * lives as long as both connections, and a restarted object has none.
 *
 * 4. `doorbell` (opt-in, the agent's `--session-doorbell`): a hibernatable WebSocket the device
 *    keeps open. `open` rings it (the text message `ring`) right after recording a session, so
 *    the device lists and joins at once instead of at its next sync. Idle, the object hibernates
 *    (no duration billed); the device's keep-alive `ping` is answered `pong` by the runtime
 *    without waking it. At most `maxDoorbells` per node: a newer one closes the oldest.
 */
import { DurableObject } from "cloudflare:workers";
import type { SessionHello, SessionKind, SessionOffer } from "../protocol/agent.ts";
import { sessionWindowBytes } from "../protocol/agent.ts";
import { settingsOf } from "../config.ts";
import { nodeShardOf } from "./node-shards.ts";
import { admitSession, sessionLimits, type SessionLimits } from "./session-limits.ts";
import { SessionPipe } from "./session-pipe.ts";
import { refuseOnSocket, relayStreams } from "./session-stream.ts";

/** The device's socket once it said hello, with its output so far (kept from its first frame). */
export interface Arrival {
  socket: WebSocket;
  hello: SessionHello;
  pipe: SessionPipe;
}

interface Session {
  offer: SessionOffer;
  connected: boolean;
  arrive: (arrival: Arrival) => void;
}

/** What the operator gets once the device accepted, per kind (a kind not listed is 501). */
type Answerer = (arrival: Arrival, signal: AbortSignal) => Response;

export const status = (code: number, reason: string, message: string): Response =>
  Response.json({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code }, { status: code });

const reasons: Record<number, string> = { 400: "BadRequest", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 501: "NotImplemented", 503: "ServiceUnavailable" };

const send = (socket: WebSocket, text: string) => {
  try {
    socket.send(text);
  } catch {
    // closed already: the pipe learns it from the close event
  }
};

const close = (socket: WebSocket, code: number, reason: string) => {
  try {
    socket.close(code, reason);
  } catch {
    // closed already
  }
};

/**
 * As the watch stream's (rest/watch.ts): kubectl always sends `Accept-Encoding: gzip`, and
 * Cloudflare's edge (and miniflare, which mimics it) would gzip a text/plain body, holding a
 * `logs -f` stream in the compressor's buffer; `identity` and `no-transform` keep it live.
 */
const streamHeaders = { "Content-Type": "text/plain; charset=utf-8", "Content-Encoding": "identity", "Cache-Control": "no-store, no-transform" };

/** kubectl logs: the device's frames are the body of the pods/log answer, as they come. */
export function streamLog({ socket, pipe }: Arrival, signal: AbortSignal): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  let idle: ReturnType<typeof setTimeout> | undefined;
  const checkIdle = () => {
    const wait = pipe.checkIdle(Date.now());
    if (wait !== undefined) idle = setTimeout(checkIdle, wait);
  };
  // The operator's side may end without a write failing (a quiet `-f`): a cancelled body or an aborted request.
  writer.closed.catch(() => pipe.end({ by: "operator", code: 1000, reason: "the operator went away" }));
  signal.addEventListener("abort", () => pipe.end({ by: "operator", code: 1000, reason: "the operator went away" }));
  checkIdle();
  pipe.attach({
    write: (chunk) => writer.write(chunk),
    closeOutput: () => {
      if (idle) clearTimeout(idle);
      writer.close().catch(() => {});
    },
    ack: (bytes) => send(socket, JSON.stringify({ ack: bytes })),
    closeDevice: (code, reason) => close(socket, code, reason),
  });
  return new Response(readable, { status: 200, headers: streamHeaders });
}

/** Doorbell sockets kept per node (an agent reconnecting before its old socket's close is seen). */
export const maxDoorbells = 2;
const doorbellTag = "doorbell";

const answerers: Partial<Record<SessionKind, Answerer>> = { log: streamLog, exec: relayStreams, attach: relayStreams, portforward: relayStreams };

export class SessionBridge extends DurableObject<Env> {
  private readonly sessions = new Map<string, Session>();

  private get limits(): SessionLimits {
    return sessionLimits(settingsOf(this.env).syncIntervalSeconds);
  }

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Answered by the runtime while the object sleeps: a keep-alive never wakes it.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const node = url.searchParams.get("node") ?? "";
    if (url.pathname === "/doorbell") return this.doorbell(request);
    if (url.pathname === "/open" && request.method === "POST") return this.open(node, (await request.json()) as Omit<SessionOffer, "id">, request.signal);
    if (url.pathname === "/stream" && request.headers.get("upgrade")?.toLowerCase() === "websocket") return this.openStream(node, request);
    if (url.pathname === "/pending") return Response.json({ sessions: [...this.sessions.values()].filter((s) => !s.connected).map((s) => s.offer) });
    const connect = /^\/connect\/([0-9a-f-]{36})$/.exec(url.pathname);
    if (connect) return this.join(node, connect[1]!, request);
    return status(404, "NotFound", "no such session route");
  }

  private async open(node: string, offer: Omit<SessionOffer, "id">, signal: AbortSignal): Promise<Response> {
    const limits = this.limits;
    const answer = answerers[offer.kind];
    if (!answer) return status(501, "NotImplemented", `sessions of kind "${offer.kind}" are not served yet`);
    const admission = admitSession(this.sessions.size, limits);
    if (!admission.ok) return status(admission.code, admission.reason, admission.message);
    const id = crypto.randomUUID();
    let arrived: (value: Arrival | undefined) => void = () => {};
    const arrival = new Promise<Arrival | undefined>((resolve) => (arrived = resolve));
    const timer = setTimeout(() => arrived(undefined), limits.connectMs);
    signal.addEventListener("abort", () => arrived(undefined));
    this.sessions.set(id, { offer: { ...offer, id }, connected: false, arrive: (a) => arrived(a) });
    this.ring();
    await this.tellShard(node);
    const met = await arrival;
    clearTimeout(timer);
    if (!met) {
      this.sessions.delete(id);
      await this.tellShard(node);
      if (signal.aborted) return status(499, "BadRequest", "the operator went away");
      return status(504, "Timeout", `node "${node}" did not connect within ${Math.round(limits.connectMs / 1000)}s (it learns of sessions at its next sync; is it online?)`);
    }
    await this.tellShard(node);
    if (met.hello.status !== 200) {
      this.sessions.delete(id);
      close(met.socket, 1000, "refused");
      const code = met.hello.status >= 400 && met.hello.status < 600 ? met.hello.status : 502;
      return status(code, reasons[code] ?? "InternalError", met.hello.message ?? "the device refused the session");
    }
    met.pipe.onEnd(() => this.sessions.delete(id));
    return answer(met, signal);
  }

  /**
   * kubectl exec / port-forward: the offer comes in `X-Edgeset-Offer` (URI-encoded JSON, the
   * Worker validated it); kubectl's socket is answered once the device joined, then relayed both
   * ways (session-stream.ts). Exec failures are told on kubectl's socket (channel 3), since an
   * HTTP error would make kubectl retry with SPDY, which is not served.
   */
  private async openStream(node: string, request: Request): Promise<Response> {
    const offer = JSON.parse(decodeURIComponent(request.headers.get("x-edgeset-offer") ?? "")) as Omit<SessionOffer, "id">;
    const protocol = offer.exec?.protocol ?? offer.portForward?.protocol ?? "";
    const answer = await this.open(node, offer, request.signal);
    if (answer.status === 101) return new Response(null, { status: 101, webSocket: answer.webSocket, headers: { "Sec-WebSocket-Protocol": protocol } });
    if (offer.kind !== "exec" && offer.kind !== "attach") return answer;
    const refusal = (await answer.json().catch(() => ({}))) as { message?: string };
    return refuseOnSocket(protocol, refusal.message ?? "the session could not be opened", true);
  }

  private join(node: string, id: string, request: Request): Response {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return status(426, "BadRequest", "a session is joined with a WebSocket upgrade");
    const session = this.sessions.get(id);
    if (!session || session.connected) return status(404, "NotFound", `no session "${id}" waits for node "${node}"`);
    session.connected = true;
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    server.accept();
    // Every event is taken here, from the first: the device sends its output right behind its
    // hello, before `open` (resumed by the hello) attaches the operator; the pipe keeps it.
    const { maxBytes, idleMs } = this.limits;
    const pipe = new SessionPipe({ maxBytes, idleMs, maxUnackedBytes: 2 * sessionWindowBytes }, Date.now());
    let greeted = false;
    server.addEventListener("message", (event) => {
      if (greeted) {
        // Text frames after the hello are control messages; logs have none.
        if (typeof event.data !== "string") pipe.frame(event.data, Date.now());
        return;
      }
      greeted = true;
      let hello: SessionHello;
      try {
        hello = JSON.parse(String(event.data)) as SessionHello;
        if (typeof hello.status !== "number") throw new Error("no status");
      } catch {
        hello = { status: 502, message: "the device sent a malformed session answer" };
      }
      session.arrive({ socket: server, hello, pipe });
    });
    // workerd fires "error" after a clean close too: either way, what came before still reaches the operator.
    const closed = () => {
      pipe.deviceClosed();
      if (!greeted) session.arrive({ socket: server, hello: { status: 502, message: "the device closed the session before answering" }, pipe });
      greeted = true;
    };
    server.addEventListener("close", closed);
    server.addEventListener("error", closed);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** The device's doorbell socket, kept open through hibernation (the node was checked by the Worker). */
  private doorbell(request: Request): Response {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return status(426, "BadRequest", "the doorbell is a WebSocket upgrade");
    const open = this.ctx.getWebSockets(doorbellTag);
    for (const old of open.slice(0, Math.max(0, open.length - maxDoorbells + 1))) close(old, 1000, "replaced by a newer doorbell");
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], [doorbellTag]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  private ring(): void {
    for (const socket of this.ctx.getWebSockets(doorbellTag)) send(socket, "ring");
  }

  /** The doorbell carries nothing from the device but its keep-alive (answered without waking). */
  override webSocketMessage(): void {}

  override webSocketClose(socket: WebSocket, code: number): void {
    close(socket, code === 1005 || code === 1006 ? 1000 : code, "closed");
  }

  private async tellShard(node: string): Promise<void> {
    const waiting = [...this.sessions.values()].filter((s) => !s.connected).length;
    const shard = nodeShardOf(this.env, node);
    await shard.stub.setPendingSessions(node, waiting).catch((error: unknown) => console.error(`session bridge ${node}: cannot tell the shard`, error));
  }
}
