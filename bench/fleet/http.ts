/**
 * @module
 * The simulator's HTTP client: one keep-alive HTTPS agent shared by every simulated device, with
 * at most `concurrency` requests on the wire (the rest wait in the agent's queue), so one process
 * can drive thousands of nodes without opening thousands of TLS connections.
 *
 * Each answer carries two times: `ms`, from the moment a socket was assigned to the last byte (what
 * the control plane costs), and `totalMs`, from the call (including the wait for a free socket).
 *
 * @example
 * const client = new FleetClient(cp.url, cp.connection.ca, 16);
 * const res = await client.request("POST", "/agent/v1/sync", body, { Authorization: `Bearer ${credential}` });
 */
import { Agent, request } from "node:https";
import { rootCertificates } from "node:tls";

export interface FleetResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Socket assigned → last byte. */
  ms: number;
  /** Call → last byte (includes queueing for a socket). */
  totalMs: number;
}

export class FleetClient {
  readonly agent: Agent;
  private readonly base: URL;

  constructor(server: string, ca: string | undefined, concurrency: number) {
    this.base = new URL(server.endsWith("/") ? server : `${server}/`);
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency, ca: ca ? [...rootCertificates, ca] : undefined });
  }

  request(method: string, path: string, body: string | undefined, headers: Record<string, string>, timeoutMs = 120_000): Promise<FleetResponse> {
    const called = performance.now();
    return new Promise((resolve, reject) => {
      let assigned = called;
      const req = request(
        new URL(path.replace(/^\//, ""), this.base),
        {
          method,
          agent: this.agent,
          timeout: timeoutMs,
          headers: {
            Accept: "application/json",
            ...headers,
            ...(body !== undefined ? { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) } : {}),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => {
            const end = performance.now();
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, ms: end - assigned, totalMs: end - called });
          });
          res.on("error", reject);
        },
      );
      req.on("socket", () => (assigned = performance.now()));
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
