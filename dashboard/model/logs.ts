/**
 * @module
 * Device logs as the node page reads them: which containers there are to read, the pods/log
 * request (`GET /api/v1/namespaces/NS/pods/NAME/log?container=C&tailLines=N&limitBytes=B`), and
 * what to tell the user when it fails. The control plane never calls a device: the request waits
 * until the device learns of it at its next sync and connects, so the first byte can take up to
 * one sync interval, and a device that is offline answers nothing (504 after the bridge's wait).
 */
import type { Pod } from "./types.ts";

export interface LogTarget {
  namespace: string;
  pod: string;
  container: string;
  /** `namespace/pod/container`, the option's value and text. */
  id: string;
}

/** Every container of every pod, in the pods' order. */
export const logTargets = (pods: readonly Pod[]): LogTarget[] =>
  pods.flatMap((p) =>
    p.spec.containers.map((c) => {
      const namespace = p.metadata.namespace ?? "default";
      return { namespace, pod: p.metadata.name, container: c.name, id: `${namespace}/${p.metadata.name}/${c.name}` };
    }),
  );

export const maxTailLines = 5000;
/** What one read may bring, whatever the lines: 1 MiB (the page shows text, not archives). */
export const logLimitBytes = 1024 * 1024;

/** The tail asked for, bounded to 1..maxTailLines (200 when it is not a number). */
export const boundTailLines = (text: string) => {
  const n = Math.floor(Number(text));
  return Number.isFinite(n) && n >= 1 ? Math.min(n, maxTailLines) : 200;
};

export const logPath = (t: LogTarget, tailLines: number) =>
  `/api/v1/namespaces/${encodeURIComponent(t.namespace)}/pods/${encodeURIComponent(t.pod)}/log?${new URLSearchParams({ container: t.container, tailLines: String(tailLines), limitBytes: String(logLimitBytes) })}`;

/** What a failed read means for the user, from the API's status code, reason and message. */
export function logFailureText(status: number, reason: string, message: string, node: string): string {
  const detail = message ? ` (${status} ${reason}: ${message})` : ` (${status})`;
  if (status === 504 || reason === "Timeout") return `No logs: ${node} did not connect. Logs need the device to connect, which it does at its next sync (up to one sync interval); is it online?${detail}`;
  if (status === 404 && /not found/i.test(message) && /pods?\b/i.test(message)) return `No logs: the pod is gone.${detail}`;
  if (status === 404 || status === 405) return `No logs: this control plane does not serve pod logs.${detail}`;
  if (status === 429) return `No logs now: too many log sessions are open on ${node}; retry in a moment.${detail}`;
  if (status === 403) return `No logs: your role may not read pods/log here.${detail}`;
  if (status === 502 || status === 503) return `No logs: ${node} could not serve them.${detail}`;
  return `No logs.${detail}`;
}
