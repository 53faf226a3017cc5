/**
 * Helpers for Worker tests: requests to the real app with the admin token, unique names (storage
 * is shared by the tests of a file), and a D1 binding that counts the statements it runs.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import worker from "../../src/index.ts";

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

/** A bootstrap token from the admin API. */
export async function bootstrapToken(body: Record<string, unknown> = { ttlSeconds: 600 }): Promise<string> {
  const res = await call("POST", "/edgeset/v1/bootstraptokens", body);
  if (res.status !== 201) throw new Error(`token create: ${res.status} ${await res.text()}`);
  return (await json(res)).token;
}

/** Enrolls a node as its agent would and returns its credential. */
export async function enroll(nodeName: string, labels: Record<string, string> = {}, node?: Record<string, unknown>): Promise<string> {
  const res = await call("POST", "/agent/v1/enroll", { nodeName, labels, ...(node ? { node } : {}) }, { token: await bootstrapToken() });
  if (res.status !== 201 && res.status !== 200) throw new Error(`enroll: ${res.status} ${await res.text()}`);
  return (await json(res)).credential;
}

/** One device sync with `body` (default: an empty report), optionally with the ETag it has. */
export const sync = (credential: string, body: unknown = { node: {}, pods: [] }, etag?: string) =>
  call("POST", "/agent/v1/sync", body, { token: credential, headers: etag ? { "If-None-Match": etag } : {} });

export interface Counted {
  reads: number;
  writes: number;
  statements: string[];
  /** Calls to D1: a statement run alone is one, a batch is one. */
  roundTrips: number;
}

const isRead = (sql: string) => /^\s*(select|with)\b/i.test(sql) && !/\b(insert|update|delete)\b/i.test(sql);

/** Wraps a D1 binding so every statement it runs (alone or in a batch) is counted as a read or a write. */
export function countingD1(db: D1Database): { db: D1Database; counts: Counted } {
  const counts: Counted = { reads: 0, writes: 0, statements: [], roundTrips: 0 };
  const raw = new WeakMap<object, { stmt: D1PreparedStatement; sql: string }>();
  const note = (sql: string) => {
    counts.statements.push(sql);
    if (isRead(sql)) counts.reads++;
    else counts.writes++;
  };
  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind") return (...args: unknown[]) => wrap(target.bind(...args), sql);
        if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
          return (...args: unknown[]) => {
            counts.roundTrips++;
            note(sql);
            return (target as any)[prop](...args);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    raw.set(proxy, { stmt, sql });
    return proxy;
  };
  const wrapped = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === "batch") {
        return (stmts: D1PreparedStatement[]) => {
          counts.roundTrips++;
          return target.batch(
            stmts.map((s) => {
              const entry = raw.get(s);
              note(entry?.sql ?? "<unknown>");
              return entry?.stmt ?? s;
            }),
          );
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: wrapped, counts };
}

/** Wraps a Durable Object namespace so every stub method call is counted. */
export function countingNamespace<T extends DurableObjectNamespace<any>>(ns: T): { ns: T; calls: string[] } {
  const calls: string[] = [];
  const stubProxy = (stub: object) =>
    new Proxy(stub, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          calls.push(String(prop));
          return Reflect.apply(value, target, args);
        };
      },
    });
  const wrapped = new Proxy(ns, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "getByName" || prop === "get") return (...args: unknown[]) => stubProxy((value as Function).apply(target, args));
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { ns: wrapped as T, calls };
}

/**
 * One request through the real app with counting bindings: D1 statements and round trips, and
 * the calls to each kind of Durable Object (after the response's background work too).
 */
export async function countedRequest(request: Request) {
  const d1 = countingD1(env.DB);
  const controllers = countingNamespace(env.DAEMONSET_CONTROLLER);
  const lifecycle = countingNamespace(env.NODE_LIFECYCLE);
  const shards = countingNamespace(env.NODE_SHARD);
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, { ...env, DB: d1.db, DAEMONSET_CONTROLLER: controllers.ns, NODE_LIFECYCLE: lifecycle.ns, NODE_SHARD: shards.ns }, ctx);
  await waitOnExecutionContext(ctx);
  return { res, d1: d1.counts, controllerCalls: controllers.calls, lifecycleCalls: lifecycle.calls, shardCalls: shards.calls };
}

/** One sync through the real app with counting bindings, naming its node as the agent does. */
export async function countedSync(credential: string, body: unknown, etag?: string, node?: string) {
  const counted = await countedRequest(
    new Request("http://edgeset.test/agent/v1/sync", {
      method: "POST",
      headers: { Authorization: `Bearer ${credential}`, "Content-Type": "application/json", ...(etag ? { "If-None-Match": etag } : {}), ...(node ? { "X-Edgeset-Node": node } : {}) },
      body: JSON.stringify(body),
    }),
  );
  return { res: counted.res, d1: counted.d1, objectCalls: [...counted.controllerCalls, ...counted.lifecycleCalls], shardCalls: counted.shardCalls };
}

export { env };
