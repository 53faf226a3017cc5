/**
 * Helpers for Worker tests: requests to the real app with the admin token, unique names (storage
 * is shared by the tests of a file), and a D1 binding that counts the statements it runs.
 */
import { env, exports } from "cloudflare:workers";

export const adminToken = "test-admin-token";

export interface CallOptions {
  token?: string | null;
  contentType?: string;
  accept?: string;
  headers?: Record<string, string>;
}

export async function call(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Response> {
  const token = options.token === undefined ? adminToken : options.token;
  const headers: Record<string, string> = { ...options.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = options.contentType ?? "application/json";
  if (options.accept) headers.Accept = options.accept;
  return exports.default.fetch(new Request(`http://edgeset.test${path}`, { method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) }));
}

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

let counter = 0;
/** A name no other test in this file uses. */
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export function daemonSetManifest(name: string, extra: { nodeSelector?: Record<string, string>; labels?: Record<string, string> } = {}) {
  const labels = extra.labels ?? { app: name };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          ...(extra.nodeSelector ? { nodeSelector: extra.nodeSelector } : {}),
          containers: [{ name: "main", image: "busybox:1.36", command: ["sleep", "3600"] }],
        },
      },
    },
  };
}

export interface Counted {
  reads: number;
  writes: number;
  statements: string[];
}

/** Wraps a D1 binding so every statement it runs is counted as a read (SELECT) or a write. */
export function countingD1(db: D1Database): { db: D1Database; counts: Counted } {
  const counts: Counted = { reads: 0, writes: 0, statements: [] };
  const note = (sql: string) => {
    counts.statements.push(sql);
    if (/^\s*(select|with)\b/i.test(sql) && !/\b(insert|update|delete)\b/i.test(sql)) counts.reads++;
    else counts.writes++;
  };
  const wrapStatement = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop, receiver) {
        if (prop === "bind") return (...args: unknown[]) => wrapStatement(target.bind(...args), sql);
        if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
          return (...args: unknown[]) => {
            note(sql);
            return (target as any)[prop](...args);
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const wrapped = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrapStatement(target.prepare(sql), sql);
      if (prop === "batch") {
        return (stmts: D1PreparedStatement[]) => {
          const raw = stmts.map((s) => ((s as any).__raw as D1PreparedStatement | undefined) ?? s);
          return target.batch(raw);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: wrapped, counts };
}

export { env };
