/**
 * @module
 * The device's side of operator sessions (kubectl logs, exec, port-forward). The control plane
 * never connects to the device: a sync answer that says sessions wait (X-Edgeset-Sessions) makes
 * the agent list them and open one outbound WebSocket per session to its node's session bridge,
 * on the control plane it enrolled with and with its own node credential: it serves only what
 * that control plane announced. Each kind has its handler (session-channel.ts); a kind without
 * one is refused with 501. Output is sent with a window: at most `sessionWindowBytes` not yet
 * acknowledged by the bridge (back-pressure from the operator's connection).
 *
 * With `doorbell` (the agent's `--session-doorbell`), it also keeps one WebSocket open to the
 * bridge (`sessions/doorbell`), opened after a sync and again after the next sync once it closed:
 * a `ring` lists and joins at once, so the first byte comes in a round trip instead of up to a
 * sync interval. It sends `ping` every `doorbellPingMs` (answered `pong` without waking the
 * bridge) and drops a socket that missed two answers (a NAT that forgot the connection).
 *
 * @example
 * const sessions = new SessionClient({ server, ca, handlers: { log: serveLogs(runtime, node) }, log });
 * if (outcome.sessions) sessions.poll(credential, nodeName);
 */
import WebSocket from "ws";
import { agentApiPrefix, sessionWindowBytes, type SessionHello, type SessionOffer } from "../../src/protocol/agent.ts";
import type { Logger } from "../log.ts";
import type { OutputSink } from "../runtime/runtime.ts";
import { SessionRefused, type SessionChannel, type SessionHandlers } from "./session-channel.ts";

export interface SessionClientOptions {
  /** Base URL ending with "/". */
  server: string;
  ca?: string[];
  handlers: SessionHandlers;
  log: Logger;
  userAgent?: string;
  /** Keep the doorbell socket open (opt-in). */
  doorbell?: boolean;
  /** Keep-alive period of the doorbell; default 30 s. */
  doorbellPingMs?: number;
}

/** Sessions served at once; more wait for the next poll (the bridge bounds them per node too). */
const maxConcurrent = 10;

const sessionKinds = new Set(["log", "exec", "attach", "portforward"]);

/** An offer as the control plane sends it: anything else in the list is ignored. */
export function isOffer(value: unknown): value is SessionOffer {
  const offer = value as SessionOffer;
  return typeof offer?.id === "string" && /^[0-9a-f-]{36}$/.test(offer.id) && sessionKinds.has(offer.kind) && typeof offer.namespace === "string" && typeof offer.pod === "string";
}

export class SessionClient {
  private readonly active = new Set<string>();
  private polling = false;

  private readonly options: SessionClientOptions;
  private bell: { socket: WebSocket; credential: string; timer?: ReturnType<typeof setInterval> } | undefined;
  private stopped = false;

  constructor(options: SessionClientOptions) {
    this.options = options;
  }

  /** After each answered sync: opens the doorbell when it is wanted and not open with this credential. */
  keepDoorbell(credential: string, nodeName: string): void {
    if (!this.options.doorbell || this.stopped) return;
    if (this.bell?.credential === credential) return;
    this.bell?.socket.terminate();
    const socket = new WebSocket(this.url("sessions/doorbell", "ws"), { headers: this.headers(credential, nodeName), ca: this.options.ca, handshakeTimeout: 30_000 });
    const bell: NonNullable<SessionClient["bell"]> = { socket, credential };
    this.bell = bell;
    let unanswered = 0;
    socket.on("open", () => {
      // Sessions recorded while it was closed wait already.
      this.poll(credential, nodeName);
      bell.timer = setInterval(() => {
        if (++unanswered > 2) return socket.terminate();
        socket.send("ping");
      }, this.options.doorbellPingMs ?? 30_000);
      bell.timer.unref?.();
    });
    socket.on("message", (data: Buffer, isBinary: boolean) => {
      const text = isBinary ? "" : String(data);
      if (text === "pong") unanswered = 0;
      else if (text === "ring") this.poll(credential, nodeName);
    });
    socket.on("unexpected-response", (_req, res) => {
      this.options.log(`the session doorbell was refused (HTTP ${res.statusCode}); sessions wait for the next sync`);
      socket.terminate();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      if (bell.timer) clearInterval(bell.timer);
      if (this.bell === bell) this.bell = undefined;
    });
  }

  /** Closes the doorbell (the agent stops); sessions being served end with their sockets. */
  close(): void {
    this.stopped = true;
    this.bell?.socket.close(1000, "the agent stops");
  }

  /** Lists the sessions that wait and joins the new ones; one poll at a time. */
  poll(credential: string, nodeName: string): void {
    if (this.polling) return;
    this.polling = true;
    this.list(credential, nodeName)
      .then((offers) => {
        for (const offer of offers) {
          if (this.active.has(offer.id) || this.active.size >= maxConcurrent) continue;
          this.active.add(offer.id);
          this.serve(offer, credential, nodeName)
            .catch((error: unknown) => this.options.log(`session ${offer.id}: ${(error as Error).message}`))
            .finally(() => this.active.delete(offer.id));
        }
      })
      .catch((error: unknown) => this.options.log(`cannot list sessions: ${(error as Error).message}`))
      .finally(() => (this.polling = false));
  }

  private url(path: string, protocol?: "ws"): string {
    const url = new URL(this.options.server);
    url.pathname = `${url.pathname.replace(/\/$/, "")}${agentApiPrefix}/${path}`;
    if (protocol) url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.href;
  }

  private headers(credential: string, nodeName: string): Record<string, string> {
    return { Authorization: `Bearer ${credential}`, "X-Edgeset-Node": nodeName, "User-Agent": this.options.userAgent ?? "edgeset-agent" };
  }

  private async list(credential: string, nodeName: string): Promise<SessionOffer[]> {
    const { request } = this.options.server.startsWith("https:") ? await import("node:https") : await import("node:http");
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(this.url("sessions"), { headers: this.headers(credential, nodeName), ca: this.options.ca, timeout: 30_000 }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
          if (text.length > 1 << 20) req.destroy(new Error("the session list is too large"));
        });
        res.on("end", () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on("timeout", () => req.destroy(new Error("no answer within 30s")));
      req.on("error", reject);
      req.end();
    });
    const parsed = JSON.parse(body) as { sessions?: unknown };
    return Array.isArray(parsed.sessions) ? parsed.sessions.filter(isOffer) : [];
  }

  private async serve(offer: SessionOffer, credential: string, nodeName: string): Promise<void> {
    const socket = new WebSocket(this.url(`sessions/${offer.id}`, "ws"), { headers: this.headers(credential, nodeName), ca: this.options.ca, handshakeTimeout: 30_000 });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
      socket.once("unexpected-response", (_req, res) => reject(new Error(`the bridge answered HTTP ${res.statusCode}`)));
    });
    const controller = new AbortController();
    let unacked = 0;
    // Every writer that waits for the window (an exec's stdout and stderr may both wait).
    const waiting: (() => void)[] = [];
    const release = () => waiting.splice(0).forEach((wake) => wake());
    const listeners: ((data: Buffer, isBinary: boolean) => void)[] = [];
    socket.on("message", (data: Buffer, isBinary: boolean) => {
      const ack = isBinary ? undefined : (parseJson(String(data)) as { ack?: unknown } | undefined)?.ack;
      if (typeof ack !== "number") return listeners.forEach((listener) => listener(data, isBinary));
      unacked = Math.max(0, unacked - ack);
      if (unacked < sessionWindowBytes) release();
    });
    socket.on("close", () => {
      controller.abort();
      release();
    });
    socket.on("error", () => controller.abort());
    let greeted = false;
    const greet = (hello: SessionHello) => {
      if (greeted) return;
      greeted = true;
      socket.send(JSON.stringify(hello));
    };
    const out: OutputSink = {
      signal: controller.signal,
      write: async (chunk) => {
        greet({ status: 200 });
        while (unacked >= sessionWindowBytes && !controller.signal.aborted) await new Promise<void>((resolve) => waiting.push(resolve));
        if (controller.signal.aborted) return;
        unacked += chunk.length;
        await new Promise<void>((resolve) => socket.send(chunk, { binary: true }, () => resolve()));
      },
    };
    const channel: SessionChannel = { accept: () => greet({ status: 200 }), out, onMessage: (listener) => listeners.push(listener) };
    try {
      const handler = this.options.handlers[offer.kind];
      if (!handler) throw new SessionRefused(501, `this agent does not serve ${offer.kind} sessions`);
      await handler(offer, channel);
      greet({ status: 200 });
    } catch (error) {
      if (!greeted) greet({ status: error instanceof SessionRefused ? error.status : 400, message: (error as Error).message });
      else this.options.log(`session ${offer.id} (${offer.kind} ${offer.namespace}/${offer.pod}): ${(error as Error).message}`);
    } finally {
      socket.close(1000, "done");
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
