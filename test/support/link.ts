/**
 * The network between agents and the control plane, for end-to-end tests: an https proxy on
 * 127.0.0.1 that agents use as their `--server`. It terminates TLS with the e2e certificate (valid
 * for 127.0.0.1, so the agent's `--ca-file` still matches) and forwards every request to the
 * control plane over a fresh connection, so a control plane restart behind it is seen by the agent
 * exactly as without it.
 *
 * It counts, per node, the sync requests that reached it (`attempts`, whether or not the control
 * plane answered) and those answered 200 or 304 (`syncs`): "three syncs later nothing changed" is
 * then an observed fact rather than a sleep. The node is read from the request body (the agent
 * puts `kubernetes.io/hostname` in every node report, and its node name in the enrolment).
 *
 * `cut()` is a network cut: open connections are reset, new ones are accepted at TCP level and
 * reset at once, nothing reaches the control plane; `cut(node)` cuts one device only (its requests
 * are reset when their body shows whose they are). `restore()` heals it.
 *
 * @example
 * const link = await startLink(cp);
 * const agent = await startAgent(cp, { nodeName: "edge-1", link });
 * await link.waitForSyncs("edge-1", 3); // three answered syncs from now
 * link.cut(); … link.restore();
 */
import { request as httpsRequest } from "node:https";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { readFileSync } from "node:fs";
import type { ControlPlane } from "./control-plane.ts";
import { waitFor } from "./wait.ts";

export interface LinkRequest {
  at: number;
  node: string;
  path: string;
  /** The control plane's answer, or 0 when the request was cut or the control plane was down. */
  status: number;
}

export interface Link {
  /** `https://127.0.0.1:<port>`: the agents' `--server`. */
  url: string;
  /** Every request seen, in arrival order. */
  requests(): readonly LinkRequest[];
  /** Sync requests from `node` that reached the link (answered or not). */
  attempts(node: string): number;
  /** Sync requests from `node` the control plane answered with 200 or 304. */
  syncs(node: string): number;
  /** Resolves once `node` has made `count` more sync attempts than now. */
  waitForAttempts(node: string, count: number, timeoutMs?: number): Promise<void>;
  /** Resolves once every one of `nodes` has had `count` more answered syncs than now. */
  waitForSyncs(nodes: string | readonly string[], count: number, timeoutMs?: number): Promise<void>;
  /** Cuts the whole link, or one node's traffic only. */
  cut(node?: string): void;
  /** Heals the whole link, or one node's traffic. */
  restore(node?: string): void;
  close(): Promise<void>;
}

const syncPath = "/agent/v1/sync";

/** The node a request body speaks for: a sync's node report hostname, or an enrolment's nodeName. */
function nodeOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { nodeName?: unknown; node?: { labels?: Record<string, unknown> } };
    const hostname = parsed?.node?.labels?.["kubernetes.io/hostname"];
    if (typeof hostname === "string") return hostname;
    if (typeof parsed?.nodeName === "string") return parsed.nodeName;
  } catch {
    // not JSON: nobody's
  }
  return "";
}

export async function startLink(cp: ControlPlane): Promise<Link> {
  const upstreamCa = readFileSync(cp.caFile, "utf8");
  const seen: LinkRequest[] = [];
  const sockets = new Set<Socket>();
  let allCut = false;
  const cutNodes = new Set<string>();

  // A TCP reset where the socket allows it (raw TCP); a TLS socket is destroyed with its TCP.
  const reset = (socket: Socket) => {
    try {
      socket.resetAndDestroy();
    } catch {
      socket.destroy();
    }
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, entry: LinkRequest) => {
    const target = new URL(req.url ?? "/", cp.url);
    const headers = { ...req.headers, host: target.host };
    const upstream = httpsRequest(target, { method: req.method, headers, ca: upstreamCa, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      res.on("finish", () => (entry.status = answer.statusCode ?? 0));
      answer.on("error", () => reset(req.socket));
    });
    // The control plane is down or went away mid-request: the agent sees its connection drop.
    upstream.on("error", () => reset(req.socket));
    upstream.end(body);
  };

  const server: Server = createServer({ key: readFileSync(cp.keyFile), cert: readFileSync(cp.caFile) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? "").split("?")[0] ?? "";
      const entry: LinkRequest = { at: Date.now(), node: nodeOf(body.toString("utf8")), path, status: 0 };
      seen.push(entry);
      if (allCut || cutNodes.has(entry.node)) return reset(req.socket);
      forward(req, res, body, entry);
    });
  });
  // WebSocket upgrades (the agent's operator sessions) are forwarded too, then piped both ways;
  // a cut resets them with every other socket. Their node is unknown (no body names it).
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const entry: LinkRequest = { at: Date.now(), node: "", path: (req.url ?? "").split("?")[0] ?? "", status: 0 };
    seen.push(entry);
    if (allCut) return reset(socket);
    const target = new URL(req.url ?? "/", cp.url);
    const upstream = httpsRequest(target, { method: req.method, headers: { ...req.headers, host: target.host }, ca: upstreamCa, agent: false });
    upstream.on("upgrade", (answer, upstreamSocket: Socket, upstreamHead: Buffer) => {
      entry.status = answer.statusCode ?? 0;
      const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      upstreamSocket.pipe(socket).pipe(upstreamSocket);
      upstreamSocket.on("error", () => socket.destroy());
      socket.on("error", () => upstreamSocket.destroy());
      socket.on("close", () => upstreamSocket.destroy());
      upstreamSocket.on("close", () => socket.destroy());
    });
    // Not upgraded: the answer goes back as it is, and the connection ends.
    upstream.on("response", (answer) => {
      entry.status = answer.statusCode ?? 0;
      const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) if (!/^(connection|transfer-encoding)$/i.test(answer.rawHeaders[i]!)) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", () => {
        const body = Buffer.concat(chunks);
        socket.end(`${lines.filter((l) => !/^content-length:/i.test(l)).join("\r\n")}\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body.toString("latin1")}`, "latin1");
      });
    });
    upstream.on("error", () => reset(socket));
    socket.on("error", () => upstream.destroy());
    upstream.end();
  });
  // A cut link accepts the TCP connection (the kernel already did) and resets it at once.
  server.on("connection", (socket: Socket) => {
    if (allCut) return reset(socket);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };

  const count = (node: string, answered: boolean) =>
    seen.filter((r) => r.path === syncPath && r.node === node && (!answered || r.status === 200 || r.status === 304)).length;

  return {
    url: `https://127.0.0.1:${port}`,
    requests: () => seen,
    attempts: (node) => count(node, false),
    syncs: (node) => count(node, true),
    async waitForAttempts(node, n, timeoutMs = 30_000) {
      const target = count(node, false) + n;
      await waitFor(`${n} sync attempts from ${node}`, () => count(node, false) >= target, timeoutMs, 50);
    },
    async waitForSyncs(nodes, n, timeoutMs = 30_000) {
      const list = typeof nodes === "string" ? [nodes] : nodes;
      const targets = list.map((node) => count(node, true) + n);
      await waitFor(`${n} answered syncs from ${list.join(", ")}`, () => list.every((node, i) => count(node, true) >= targets[i]!), timeoutMs, 50);
    },
    cut(node) {
      if (node === undefined) {
        allCut = true;
        for (const socket of sockets) reset(socket);
      } else cutNodes.add(node);
    },
    restore(node) {
      if (node === undefined) {
        allCut = false;
        cutNodes.clear();
      } else cutNodes.delete(node);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
