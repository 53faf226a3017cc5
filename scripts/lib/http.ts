/**
 * @module
 * A small JSON-over-HTTPS client for the CLI and scripts (node:https, with an extra CA).
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { rootCertificates } from "node:tls";
import type { Connection } from "./kubeconfig.ts";

export interface HttpResult {
  status: number;
  body: string;
}

export interface RequestOptions {
  timeoutMs?: number;
  /** Default application/json; patches name their type (application/merge-patch+json, …). */
  contentType?: string;
}

export function requestJson(connection: Connection, method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<HttpResult> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const url = new URL(path, connection.server.endsWith("/") ? connection.server : `${connection.server}/`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const secure = url.protocol === "https:";
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method,
        headers: {
          Accept: "application/json",
          ...(connection.token ? { Authorization: `Bearer ${connection.token}` } : {}),
          ...(payload ? { "Content-Type": options.contentType ?? "application/json", "Content-Length": Buffer.byteLength(payload) } : {}),
        },
        ...(secure ? { ca: connection.ca ? [...rootCertificates, connection.ca] : undefined, rejectUnauthorized: !connection.insecureSkipTlsVerify } : {}),
        timeout: timeoutMs,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url.origin} within ${timeoutMs} ms`)));
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Waits until `GET /healthz` answers 200 (the control plane is up). */
export async function waitForHealthy(connection: Connection, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await requestJson(connection, "GET", "/healthz", undefined, { timeoutMs: 2000 });
      if (res.status === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`the control plane at ${connection.server} did not come up within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The message of a Kubernetes Status body, or the raw text. */
export function errorMessage(result: HttpResult): string {
  try {
    const status = JSON.parse(result.body) as { message?: string };
    if (status.message) return status.message;
  } catch {
    // not JSON
  }
  return `HTTP ${result.status}: ${result.body.slice(0, 200)}`;
}
