/**
 * @module
 * The agent's HTTP client for `/agent/v1/*` (node:http / node:https only). It turns responses
 * into outcomes the sync loop can act on; network failures and timeouts reject. Every request is
 * bounded: 30 s without a byte, 2 min in all, 16 MiB of answer (a server that trickles or floods
 * must not hold the sync loop or the device's memory). Tokens go in the Authorization header and
 * nowhere else (never in errors or logs).
 *
 * @example
 * const client = new ControlPlaneClient({ server: "https://cp.example/" });
 * const outcome = await client.sync(credential, lastVersion, body);
 * if (outcome.kind === "assignments") apply(outcome.response);
 */
import { randomBytes } from "node:crypto";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { rootCertificates } from "node:tls";
import { parseRetryAfter } from "./sync-backoff.ts";
import { agentApiPrefix, reportSequenceHeader, sessionsHeader, type EnrollRequest, type EnrollResponse, type SyncResponse } from "../../src/protocol/agent.ts";

export interface ControlPlaneClientOptions {
  /** Base URL ending with "/". */
  server: string;
  /** Extra PEM certificates to trust (a self-signed server's), on top of the system store. */
  ca?: string;
  /** Longest silence from the server; default 30 s. */
  timeoutMs?: number;
  /** Longest request, from connect to the last byte of the answer; default 2 min. */
  deadlineMs?: number;
  /** Largest answer body; default 16 MiB. */
  maxBodyBytes?: number;
  userAgent?: string;
}

export const defaultMaxBodyBytes = 16 * 1024 * 1024;

/** `retryAfterSeconds`: what a 429 or 503 asked the agent to wait (its `Retry-After`). */
export type HttpFailure = { kind: "unauthorized"; status: number } | { kind: "failed"; status: number; message: string; retryAfterSeconds?: number };

export type EnrollOutcome = { kind: "enrolled"; response: EnrollResponse } | HttpFailure;

/** `sessions`: operator sessions wait for this device (X-Edgeset-Sessions). */
export type SyncOutcome = { kind: "assignments"; response: SyncResponse; sessions?: number } | { kind: "unchanged"; sessions?: number } | HttpFailure;

/** The subset of the client the agent uses, so tests can stand in for it. */
export interface ControlPlane {
  enroll(bootstrapToken: string, request: EnrollRequest, signal?: AbortSignal): Promise<EnrollOutcome>;
  /** `nodeName` goes in `X-Edgeset-Node`: the control plane picks the node's shard by it before any read. */
  sync(credential: string, version: string | undefined, body: string, signal?: AbortSignal, nodeName?: string): Promise<SyncOutcome>;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A short, safe description of an error response: a Status or {error} message, else the status line. */
function describeFailure(response: RawResponse): string {
  try {
    const parsed = JSON.parse(response.body) as { message?: unknown; error?: unknown };
    const message = typeof parsed.message === "string" ? parsed.message : typeof parsed.error === "string" ? parsed.error : undefined;
    if (message) return message.slice(0, 200);
  } catch {
    // not JSON
  }
  return `HTTP ${response.status}`;
}

function failure(response: RawResponse): HttpFailure {
  if (response.status === 401 || response.status === 403) return { kind: "unauthorized", status: response.status };
  const retryAfterSeconds = response.status === 429 || response.status === 503 ? parseRetryAfter(response.headers["retry-after"], Date.now()) : undefined;
  return { kind: "failed", status: response.status, message: describeFailure(response), ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
}

function parseJson<T>(response: RawResponse, check: (value: T) => boolean): T {
  let value: T;
  try {
    value = JSON.parse(response.body) as T;
  } catch {
    throw new Error(`the server answered ${response.status} with a body that is not JSON`);
  }
  if (!value || typeof value !== "object" || !check(value)) {
    throw new Error(`the server answered ${response.status} with an unexpected body`);
  }
  return value;
}

export class ControlPlaneClient implements ControlPlane {
  private readonly base: URL;
  private readonly ca?: string[];
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly maxBodyBytes: number;
  private readonly userAgent: string;

  constructor(options: ControlPlaneClientOptions) {
    this.base = new URL(options.server);
    this.ca = options.ca ? [...rootCertificates, options.ca] : undefined;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.deadlineMs = options.deadlineMs ?? 120_000;
    this.maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
    this.userAgent = options.userAgent ?? "edgeset-agent";
  }

  /** This process's reports: a random boot id and a counter (`X-Edgeset-Report-Sequence`). */
  private readonly boot = randomBytes(8).toString("hex");
  private reportSequence = 0;

  async enroll(bootstrapToken: string, request: EnrollRequest, signal?: AbortSignal): Promise<EnrollOutcome> {
    const response = await this.post("enroll", bootstrapToken, JSON.stringify(request), {}, signal);
    if (response.status !== 200 && response.status !== 201) return failure(response);
    const body = parseJson<EnrollResponse>(response, (r) => typeof r.credential === "string" && r.credential !== "");
    return { kind: "enrolled", response: body };
  }

  async sync(credential: string, version: string | undefined, body: string, signal?: AbortSignal, nodeName?: string): Promise<SyncOutcome> {
    // Every attempt is numbered (per client, which lives as long as the agent process): a report the
    // network delays past a newer one is recognised and not written over it.
    this.reportSequence++;
    const headers: Record<string, string> = {
      ...(version ? { "If-None-Match": version } : {}),
      ...(nodeName ? { "X-Edgeset-Node": nodeName } : {}),
      [reportSequenceHeader]: `${this.boot}/${this.reportSequence}`,
    };
    const response = await this.post("sync", credential, body, headers, signal);
    const waiting = Number(response.headers[sessionsHeader.toLowerCase()] ?? 0);
    const sessions = Number.isSafeInteger(waiting) && waiting > 0 ? { sessions: waiting } : {};
    if (response.status === 304) return { kind: "unchanged", ...sessions };
    if (response.status !== 200) return failure(response);
    const parsed = parseJson<SyncResponse>(response, (r) => typeof r.version === "string" && Array.isArray(r.pods));
    return { kind: "assignments", response: parsed, ...sessions };
  }

  private post(path: string, token: string, body: string, extraHeaders: Record<string, string>, signal?: AbortSignal): Promise<RawResponse> {
    const url = new URL(this.base.href);
    url.pathname = `${url.pathname.replace(/\/$/, "")}${agentApiPrefix}/${path}`;
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (done: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        done();
      };
      const fail = (error: Error) => settle(() => reject(error));
      // Settles first, then tears the connection down: whatever Node reports after that is moot.
      const abort = (error: Error) => {
        fail(error);
        req.destroy();
      };
      const req = request(
        url,
        {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "Content-Length": Buffer.byteLength(body),
            Accept: "application/json",
            Authorization: `Bearer ${token}`,
            "User-Agent": this.userAgent,
            ...extraHeaders,
          },
          ca: this.ca,
          signal,
        },
        (res) => {
          const tooLarge = () => new Error(`the answer is larger than ${this.maxBodyBytes} bytes`);
          if (Number(res.headers["content-length"] ?? 0) > this.maxBodyBytes) {
            abort(tooLarge());
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size <= this.maxBodyBytes) chunks.push(chunk);
            else if (!settled) abort(tooLarge());
          });
          res.on("end", () => settle(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") })));
          res.on("error", fail);
        },
      );
      const deadline = setTimeout(() => abort(new Error(`no complete answer within ${this.deadlineMs / 1000}s`)), this.deadlineMs);
      req.setTimeout(this.timeoutMs, () => abort(new Error(`no answer within ${this.timeoutMs / 1000}s`)));
      req.on("error", fail);
      req.on("close", () => fail(new Error("the connection closed before the answer was complete")));
      req.end(body);
    });
  }
}
