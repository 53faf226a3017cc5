/**
 * @module
 * Runs one probe, as the kubelet's prober does (pkg/probe/http, tcp, exec):
 *
 * - `httpGet`: GET `scheme://host:port/path` with the probe's headers (User-Agent `kube-probe/…`,
 *   Accept `*\/*` unless given), within `timeoutSeconds`; 200–399 is success. Redirects to the same
 *   host are followed (up to 10); a redirect elsewhere counts as success (the kubelet's warning).
 *   HTTPS does not verify the certificate. The body is not read.
 * - `tcpSocket`: a connection opened within the timeout is success.
 * - `exec`: the command runs in the container's context; exit 0 is success, a timeout failure.
 *
 * A named port is looked up in the container's `ports`. An outcome of "unknown" (the probe could not
 * be run: a bad port) is thrown away by the worker.
 *
 * @example
 * await runProbe({ httpGet: { path: "/healthz", port: 8080 } }, container, { host: "127.0.0.1", exec })
 * // { result: "success", output: "" }
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import type { Container, EnvVar, Probe } from "../../src/resources/types.ts";
import { expandVariables } from "../pods/expansion.ts";
import type { ExecResult } from "../runtime/runtime.ts";
import { agentVersion } from "../version.ts";
import type { ProbeResult } from "./probe-state.ts";
import { probeTiming } from "./probe-state.ts";

export interface ProbeOutcome {
  result: ProbeResult;
  /** Why it failed (for logs and events). */
  output: string;
}

export interface ProbeTarget {
  /** Where httpGet/tcpSocket connect when the probe names no host. */
  host: string;
  exec(command: string[], timeoutMs: number): Promise<ExecResult>;
}

const maxRedirects = 10;
const userAgent = `kube-probe/edgeset-${agentVersion}`;

/** `probe.ResolveContainerPort`: a number, or the name of one of the container's ports. */
export function resolvePort(port: number | string, container: Container): number | undefined {
  if (typeof port === "number") return port > 0 && port < 65536 ? port : undefined;
  if (/^\d+$/.test(port)) return resolvePort(Number(port), container);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** `ExpandContainerCommandOnlyStatic`: exec probe commands see only the container's plain `value`s. */
export function expandStatic(command: string[], env: EnvVar[] | undefined): string[] {
  const values = new Map((env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
  return command.map((part) => expandVariables(part, (name) => values.get(name)));
}

function httpGet(url: URL, headers: Record<string, string>, timeoutMs: number, redirects: number): Promise<ProbeOutcome> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const req = request(url, { method: "GET", headers, rejectUnauthorized: false, agent: false }, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location && redirects < maxRedirects) {
        const next = new URL(location, url);
        if (next.hostname === url.hostname) {
          settled = true;
          clearTimeout(timer);
          req.destroy();
          resolve(httpGet(next, headers, timeoutMs, redirects + 1));
          return;
        }
      }
      // The status decides; the body (which the kubelet reads up to 10 KiB for its message) is not needed.
      if (status >= 200 && status < 400) done({ result: "success", output: "" });
      else done({ result: "failure", output: `HTTP probe failed with statuscode: ${status}` });
    });
    const timer = setTimeout(() => done({ result: "failure", output: `Get "${url.href}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` }), timeoutMs);
    req.on("error", (error: NodeJS.ErrnoException) => done({ result: "failure", output: `Get "${url.href}": ${error.code ?? ""} ${error.message}`.trim() }));
    req.end();
  });
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: ProbeOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ result: "failure", output: `dial tcp ${host}:${port}: i/o timeout` }), timeoutMs);
    socket.once("connect", () => done({ result: "success", output: "" }));
    socket.once("error", (error: NodeJS.ErrnoException) => done({ result: "failure", output: `dial tcp ${host}:${port}: ${error.code ?? error.message}` }));
  });
}

export async function runProbe(probe: Probe, container: Container, target: ProbeTarget): Promise<ProbeOutcome> {
  const timeoutMs = probeTiming(probe).timeoutSeconds * 1000;
  if (probe.exec) {
    const command = expandStatic(probe.exec.command ?? [], container.env);
    if (command.length === 0) return { result: "unknown", output: "exec probe without a command" };
    let result: ExecResult;
    try {
      result = await target.exec(command, timeoutMs);
    } catch (error) {
      return { result: "failure", output: (error as Error).message };
    }
    if (result.timedOut) return { result: "failure", output: `command timed out after ${probeTiming(probe).timeoutSeconds}s` };
    return { result: result.exitCode === 0 ? "success" : "failure", output: result.output };
  }
  if (probe.httpGet) {
    const port = resolvePort(probe.httpGet.port, container);
    if (port === undefined) return { result: "unknown", output: `invalid port ${JSON.stringify(probe.httpGet.port)}` };
    const scheme = (probe.httpGet.scheme ?? "HTTP").toLowerCase();
    const host = probe.httpGet.host || target.host;
    const path = probe.httpGet.path ? (probe.httpGet.path.startsWith("/") ? probe.httpGet.path : `/${probe.httpGet.path}`) : "/";
    const url = new URL(`${scheme}://${host.includes(":") ? `[${host}]` : host}:${port}${path}`);
    const headers: Record<string, string> = { "User-Agent": userAgent, Accept: "*/*" };
    for (const header of probe.httpGet.httpHeaders ?? []) {
      const existing = Object.keys(headers).find((k) => k.toLowerCase() === header.name.toLowerCase());
      if (existing) delete headers[existing];
      headers[header.name] = header.value;
    }
    return httpGet(url, headers, timeoutMs, 0);
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, container);
    if (port === undefined) return { result: "unknown", output: `invalid port ${JSON.stringify(probe.tcpSocket.port)}` };
    return tcpConnect(probe.tcpSocket.host || target.host, port, timeoutMs);
  }
  return { result: "unknown", output: "the probe has no handler (exec, httpGet or tcpSocket)" };
}
