/**
 * @module
 * A small stand-in for the control plane's `/agent/v1` API (node:http) for the agent's tests:
 * enroll with a bootstrap token, sync with a node credential, every request recorded. Like the
 * real server (src/api/agent/sync.ts), a sync whose If-None-Match is the current version gets 304
 * whatever its body says: the report is taken, the assignments are not sent again.
 *
 * @example
 * const cp = new FakeControlPlane();
 * const url = await cp.listen();
 * cp.setPods([makePod("web")]);
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SyncRequest } from "../../src/protocol/agent.ts";
import type { ConfigMap, Pod, Secret } from "../../src/resources/types.ts";

export interface RecordedRequest {
  path: string;
  authorization?: string;
  ifNoneMatch?: string;
  body: string;
  status: number;
}

export class FakeControlPlane {
  bootstrapToken = "bootstrap-secret";
  syncIntervalSeconds = 0.2;
  readonly requests: RecordedRequest[] = [];
  readonly credentials = new Set<string>();
  private pods: Pod[] = [];
  private configMaps: ConfigMap[] = [];
  private secrets: Secret[] = [];
  private version = 1;
  private server?: Server;
  private enrollments = 0;
  private rejectedSyncs = 0;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Listens on the given port (the previous one after a close, by default). */
  async listen(port = this.port): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.url;
  }

  /** Goes away like a crashed server: open connections are cut. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  setPods(pods: Pod[]): void {
    this.pods = structuredClone(pods);
    this.version++;
  }

  /** The ConfigMaps and Secrets every sync delivers (the real control plane sends only the referenced ones). */
  setConfig(configMaps: ConfigMap[], secrets: Secret[] = []): void {
    this.configMaps = structuredClone(configMaps);
    this.secrets = structuredClone(secrets);
    this.version++;
  }

  revokeCredentials(): void {
    this.credentials.clear();
  }

  /** Answers the next `count` syncs 401 whatever their credential (a server restored from a backup, say). */
  rejectSyncs(count: number): void {
    this.rejectedSyncs = count;
  }

  syncs(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith("/sync"));
  }

  enrolls(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith("/enroll"));
  }

  static parse(request: RecordedRequest): SyncRequest {
    return JSON.parse(request.body) as SyncRequest;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const token = req.headers.authorization?.replace(/^Bearer /, "");
      const answer = (status: number, json?: unknown) => {
        this.requests.push({
          path: req.url ?? "",
          authorization: req.headers.authorization,
          ifNoneMatch: req.headers["if-none-match"] as string | undefined,
          body,
          status,
        });
        res.writeHead(status, json === undefined ? {} : { "Content-Type": "application/json" });
        res.end(json === undefined ? undefined : JSON.stringify(json));
      };
      if (req.method !== "POST") return answer(405, { message: "method not allowed" });
      if (req.url === "/agent/v1/enroll") {
        if (token !== this.bootstrapToken) return answer(401, { message: "bad bootstrap token" });
        const { nodeName } = JSON.parse(body) as { nodeName: string };
        const credential = `node-credential-${++this.enrollments}`;
        this.credentials.add(credential);
        return answer(200, { nodeName, credential, syncIntervalSeconds: this.syncIntervalSeconds });
      }
      if (req.url === "/agent/v1/sync") {
        if (this.rejectedSyncs > 0) {
          this.rejectedSyncs--;
          return answer(401, { message: "unknown credential" });
        }
        if (!token || !this.credentials.has(token)) return answer(401, { message: "unknown credential" });
        const version = `v${this.version}`;
        if (req.headers["if-none-match"] === version) return answer(304);
        return answer(200, { version, pods: this.pods, configMaps: this.configMaps, secrets: this.secrets, syncIntervalSeconds: this.syncIntervalSeconds });
      }
      return answer(404, { message: "not found" });
    });
  }
}
