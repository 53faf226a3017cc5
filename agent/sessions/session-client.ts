/**
 * @module
 * The device's side of operator sessions (kubectl logs). The control plane never connects to the
 * device: a sync answer that says sessions wait (X-Edgeset-Sessions) makes the agent list them
 * and open one outbound WebSocket per session to its node's session bridge, on the control plane
 * it enrolled with and with its own node credential: it serves only what that control plane
 * announced. Output is sent with a window: at most `sessionWindowBytes` not yet acknowledged by
 * the bridge (back-pressure from the operator's connection).
 *
 * @example
 * const sessions = new SessionClient({ server, ca, runtime, log });
 * if (outcome.sessions) sessions.poll(credential, nodeName);
 */
import WebSocket from "ws";
import { agentApiPrefix, sessionWindowBytes, type SessionHello, type SessionOffer } from "../../src/protocol/agent.ts";
import type { Logger } from "../log.ts";
import type { OutputSink, Runtime, RuntimePodSnapshot } from "../runtime/runtime.ts";
import { serveExec } from "./exec-session.ts";
import { servePortForward } from "./port-forward-session.ts";

export interface SessionClientOptions {
  /** Base URL ending with "/". */
  server: string;
  ca?: string[];
  runtime: Pick<Runtime, "listPods" | "logs" | "execStream" | "connectPort">;
  log: Logger;
  userAgent?: string;
}

/** Sessions served at once; more wait for the next poll (the bridge bounds them per node too). */
const maxConcurrent = 10;

export class SessionClient {
  private readonly active = new Set<string>();
  private polling = false;

  private readonly options: SessionClientOptions;

  constructor(options: SessionClientOptions) {
    this.options = options;
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
    return Array.isArray(parsed.sessions) ? (parsed.sessions as SessionOffer[]).filter((s) => typeof s?.id === "string" && ((s.kind === "log" && !!s.log) || (s.kind === "exec" && !!s.exec) || s.kind === "portforward")) : [];
  }

  private podOf(offer: SessionOffer): RuntimePodSnapshot | undefined {
    const pods = this.options.runtime.listPods();
    return pods.find((p) => p.uid === offer.uid) ?? pods.find((p) => p.namespace === offer.namespace && p.name === offer.pod);
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
    const frameListeners: ((message: Uint8Array) => void)[] = [];
    socket.on("message", (data, isBinary) => {
      if (isBinary) {
        const message = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        for (const listener of frameListeners) listener(message);
        return;
      }
      const ack = (JSON.parse(String(data)) as { ack?: unknown }).ack;
      if (typeof ack === "number") unacked = Math.max(0, unacked - ack);
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
    try {
      const pod = this.podOf(offer);
      if (!pod) throw new Error(`pod ${offer.namespace}/${offer.pod} does not run on node ${nodeName}`);
      if (offer.kind === "exec") {
        greet({ status: 200 });
        await serveExec(offer.exec!, pod.uid, this.options.runtime, { send: out.write, onFrame: (l) => frameListeners.push(l), signal: controller.signal });
        socket.close(1000, "done");
        return;
      }
      if (offer.kind === "portforward") {
        if (!this.options.runtime.connectPort) throw new Error("this runtime cannot connect to pod ports");
        greet({ status: 200 });
        await servePortForward(pod.uid, this.options.runtime, { send: out.write, onFrame: (l) => frameListeners.push(l), signal: controller.signal });
        socket.close(1000, "done");
        return;
      }
      if (!this.options.runtime.logs) throw new Error("this runtime cannot serve logs");
      await this.options.runtime.logs(pod.uid, offer.log!, out);
      greet({ status: 200 });
      socket.close(1000, "done");
    } catch (error) {
      if (!greeted) greet({ status: 400, message: (error as Error).message });
      socket.close(1000, "done");
    }
  }
}
