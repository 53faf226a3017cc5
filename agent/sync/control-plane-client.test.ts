import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ControlPlaneClient } from "./control-plane-client.ts";

const tlsDir = join(import.meta.dirname, "..", "testing", "tls");
const cert = readFileSync(join(tlsDir, "server-cert.pem"), "utf8");
const key = readFileSync(join(tlsDir, "server-key.pem"), "utf8");

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let servers: Server[] = [];

afterEach(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  servers = [];
});

async function serve(
  reply: (res: ServerResponse, seen: Seen) => void,
  options: { https?: boolean } = {},
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, body };
      seen.push(entry);
      reply(res, entry);
    });
  };
  const server = options.https ? createHttpsServer({ cert, key }, handler) : createHttpServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `${options.https ? "https" : "http"}://127.0.0.1:${port}/`, seen };
}

function json(status: number, body?: unknown) {
  return (res: ServerResponse) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
}

describe("ControlPlaneClient.sync", () => {
  it("carries a 429's Retry-After to the sync loop", async () => {
    const { url } = await serve((res) => {
      res.writeHead(429, { "Content-Type": "application/json", "Retry-After": "17" });
      res.end(JSON.stringify({ kind: "Status", reason: "TooManyRequests", message: "too many requests", code: 429 }));
    });
    const outcome = await new ControlPlaneClient({ server: url }).sync("cred", undefined, "{}");
    expect(outcome).toEqual({ kind: "failed", status: 429, message: "too many requests", retryAfterSeconds: 17 });
  });

  it("posts the body with the credential and If-None-Match", async () => {
    const { url, seen } = await serve(json(200, { version: "v7", pods: [], syncIntervalSeconds: 5 }));
    const outcome = await new ControlPlaneClient({ server: url, userAgent: "edgeset-agent/test" }).sync("cred", "v6", '{"pods":[]}');
    expect(outcome).toEqual({ kind: "assignments", response: { version: "v7", pods: [], syncIntervalSeconds: 5 } });
    expect(seen[0]).toMatchObject({
      method: "POST",
      url: "/agent/v1/sync",
      body: '{"pods":[]}',
      headers: { authorization: "Bearer cred", "if-none-match": "v6", "content-type": "application/json", "user-agent": "edgeset-agent/test" },
    });
  });

  it("keeps a path prefix of the server URL", async () => {
    const { url, seen } = await serve(json(304));
    await new ControlPlaneClient({ server: `${url}edgeset/` }).sync("cred", undefined, "{}");
    expect(seen[0].url).toBe("/edgeset/agent/v1/sync");
    expect(seen[0].headers).not.toHaveProperty("if-none-match");
  });

  it.each([
    { name: "304", status: 304, body: undefined, want: { kind: "unchanged" } },
    { name: "401", status: 401, body: { message: "no" }, want: { kind: "unauthorized", status: 401 } },
    { name: "403", status: 403, body: undefined, want: { kind: "unauthorized", status: 403 } },
    { name: "500 with a Status", status: 500, body: { kind: "Status", message: "database is locked" }, want: { kind: "failed", status: 500, message: "database is locked" } },
    { name: "503 without a body", status: 503, body: undefined, want: { kind: "failed", status: 503, message: "HTTP 503" } },
  ])("maps $name", async ({ status, body, want }) => {
    const { url } = await serve(json(status, body));
    expect(await new ControlPlaneClient({ server: url }).sync("cred", "v1", "{}")).toEqual(want);
  });

  it("rejects a 200 that is not a SyncResponse", async () => {
    const { url } = await serve(json(200, { hello: true }));
    await expect(new ControlPlaneClient({ server: url }).sync("cred", undefined, "{}")).rejects.toThrow(/unexpected body/);
  });

  it.each([
    {
      name: "trickles its answer past the deadline",
      reply: (res: ServerResponse) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        const timer = setInterval(() => res.write(" "), 20);
        res.on("close", () => clearInterval(timer));
      },
      want: /no complete answer within 0.3s/,
    },
    {
      name: "sends more than the body cap",
      reply: (res: ServerResponse) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.write(" ".repeat(600));
        res.end(JSON.stringify({ version: "v1", pods: [], syncIntervalSeconds: 1, pad: "x".repeat(600) }));
      },
      want: /the answer is larger than 1000 bytes/,
    },
    {
      name: "announces more than the body cap",
      reply: (res: ServerResponse) => {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "5000" });
        res.write("{");
      },
      want: /the answer is larger than 1000 bytes/,
    },
  ])("gives up on a server that $name", async ({ reply, want }) => {
    const { url } = await serve(reply);
    const client = new ControlPlaneClient({ server: url, timeoutMs: 200, deadlineMs: 300, maxBodyBytes: 1000 });
    await expect(client.sync("cred", undefined, "{}")).rejects.toThrow(want);
  });

  it("gives up on a server that does not answer", async () => {
    const { url } = await serve(() => {});
    await expect(new ControlPlaneClient({ server: url, timeoutMs: 200 }).sync("cred", undefined, "{}")).rejects.toThrow(/no answer within 0.2s/);
  });
});

describe("ControlPlaneClient.enroll", () => {
  it("posts the EnrollRequest with the bootstrap token", async () => {
    const { url, seen } = await serve(json(201, { nodeName: "n1", credential: "c1", syncIntervalSeconds: 10 }));
    const outcome = await new ControlPlaneClient({ server: url }).enroll("boot", { nodeName: "n1", labels: { a: "b" } });
    expect(outcome).toEqual({ kind: "enrolled", response: { nodeName: "n1", credential: "c1", syncIntervalSeconds: 10 } });
    expect(seen[0]).toMatchObject({ url: "/agent/v1/enroll", headers: { authorization: "Bearer boot" } });
    expect(JSON.parse(seen[0].body)).toEqual({ nodeName: "n1", labels: { a: "b" } });
  });
});

describe("TLS", () => {
  it("refuses a self-signed server by default", async () => {
    const { url } = await serve(json(304), { https: true });
    await expect(new ControlPlaneClient({ server: url }).sync("cred", undefined, "{}")).rejects.toThrow(/self[- ]signed/i);
  });

  it("trusts it with its certificate as the CA file", async () => {
    const { url } = await serve(json(304), { https: true });
    expect(await new ControlPlaneClient({ server: url, ca: cert }).sync("cred", undefined, "{}")).toEqual({ kind: "unchanged" });
  });
});
