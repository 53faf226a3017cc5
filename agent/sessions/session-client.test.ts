import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { waitFor } from "../../test/support/wait.ts";
import { SessionClient } from "./session-client.ts";

/** A control plane that lists `offers` and records every session socket the agent opens. */
async function fakeControlPlane(offers: unknown[]) {
  const joined: { path: string; headers: IncomingMessage["headers"]; messages: string[]; socket: WebSocket }[] = [];
  const listed: IncomingMessage["headers"][] = [];
  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer((req, res) => {
    if (req.url === "/agent/v1/sessions") {
      listed.push(req.headers);
      res.setHeader("Content-Type", "application/json");
      return res.end(JSON.stringify({ sessions: offers }));
    }
    res.statusCode = 404;
    res.end();
  });
  server.on("upgrade", (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      const entry = { path: req.url!, headers: req.headers, messages: [] as string[], socket: ws };
      joined.push(entry);
      ws.on("message", (data, isBinary) => {
        entry.messages.push(isBinary ? `binary:${String(data)}` : String(data));
        if (isBinary) ws.send(JSON.stringify({ ack: (data as Buffer).length }));
      });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, joined, listed, close: () => new Promise<void>((resolve) => (wss.close(), server.closeAllConnections(), server.close(() => resolve()))) };
}

const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const logOffer = { id: id(1), kind: "log", namespace: "default", pod: "web", uid: "u1", log: { container: "main", follow: false, previous: false, timestamps: false } };

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe("SessionClient", () => {
  it("joins only well-formed offers from its own control plane, with its node credential, and refuses kinds it has no handler for", async () => {
    const cp = await fakeControlPlane([
      logOffer,
      { ...logOffer, id: "../../admin" },
      { ...logOffer, id: id(2), kind: "shell" },
      { ...logOffer, id: id(3), kind: "exec" },
      "junk",
    ]);
    stop = cp.close;
    const served: string[] = [];
    const client = new SessionClient({
      server: cp.url,
      log: () => {},
      handlers: {
        log: async (offer, channel) => {
          served.push(offer.id);
          await channel.out.write(new TextEncoder().encode("line\n"));
        },
      },
    });
    client.poll("cred-1", "node-1");
    await waitFor("both sessions answered", () => cp.joined.length === 2 && cp.joined.every((j) => j.messages.length > 0) && cp.joined.find((j) => j.path.endsWith(id(1)))?.messages.length === 2);
    expect(cp.listed[0]).toMatchObject({ authorization: "Bearer cred-1", "x-edgeset-node": "node-1" });
    expect(cp.joined.map((j) => j.path).sort()).toEqual([`/agent/v1/sessions/${id(1)}`, `/agent/v1/sessions/${id(3)}`]);
    for (const j of cp.joined) expect(j.headers).toMatchObject({ authorization: "Bearer cred-1", "x-edgeset-node": "node-1" });
    expect(served).toEqual([id(1)]);
    expect(cp.joined.find((j) => j.path.endsWith(id(1)))!.messages).toEqual(['{"status":200}', "binary:line\n"]);
    expect(JSON.parse(cp.joined.find((j) => j.path.endsWith(id(3)))!.messages[0]!)).toEqual({ status: 501, message: "this agent does not serve exec sessions" });
  });

  it("a handler that fails before writing refuses the session with its status", async () => {
    const cp = await fakeControlPlane([logOffer]);
    stop = cp.close;
    const client = new SessionClient({
      server: cp.url,
      log: () => {},
      handlers: {
        log: async () => {
          throw new Error('previous terminated container "main" not found');
        },
      },
    });
    client.poll("cred-1", "node-1");
    await waitFor("the refusal", () => cp.joined[0]?.messages.length);
    expect(JSON.parse(cp.joined[0]!.messages[0]!)).toEqual({ status: 400, message: 'previous terminated container "main" not found' });
  });
});
