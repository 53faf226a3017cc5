/**
 * @module
 * The audit log's writer and reader. `recordAudit` wraps the audited surfaces (the Kubernetes
 * API, the admin API, enrolment): after the response, a request marked `audited` by whoever
 * authorized it is appended with who (user and role), what (verb and object) and the HTTP code,
 * refused ones included. It is awaited, so the event exists when the caller has its answer.
 * Not recorded: unauthenticated requests (401), which would let anyone fill the database, and
 * rate-limited ones (429), which would turn the limit into a D1 write per refused request.
 *
 * @example
 * // GET /edgeset/v1/audit?since=2026-12-03T10:00:00Z&limit=100
 * // → {"items":[{"time":"…","user":"token:…","role":"operator","verb":"delete",…,"code":200}],"continue":"42"}
 */
import { Hono, type MiddlewareHandler } from "hono";
import { auditRetentionMsOf } from "../config.ts";
import { rfc3339 } from "../resources/meta.ts";
import { appendAuditEvent, listAuditEvents, type AuditEventRow } from "../store/audit.ts";
import { requireAdmin } from "./auth/middleware.ts";
import { roleOf, userName } from "./authz.ts";
import type { AppEnv, Principal } from "./context.ts";
import { ApiError } from "./errors.ts";
import { sendJson } from "./kube/request.ts";

export const recordAudit: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const audited = c.get("audited");
  const principal = c.get("principal") as Principal | undefined;
  if (!audited || !principal || c.res.status === 401 || c.res.status === 429) return;
  const event = { at: c.var.now, user: userName(principal), role: roleOf(principal), ...audited, name: audited.name || (await createdName(c.res)), code: c.res.status };
  try {
    await appendAuditEvent(c.var.db, event, c.var.now - auditRetentionMsOf(c.env));
  } catch (error) {
    // The change itself is committed; losing its audit line is logged, not turned into a failure.
    console.error("audit append failed", error);
  }
};

/** A create's path names no object: the name is the created object's (none when refused). */
async function createdName(res: Response): Promise<string> {
  if (res.status !== 201 || !res.headers.get("content-type")?.includes("json")) return "";
  try {
    const name = ((await res.clone().json()) as { metadata?: { name?: unknown } }).metadata?.name;
    return typeof name === "string" ? name : "";
  } catch {
    return "";
  }
}

const maxLimit = 1000;

const describe = (row: AuditEventRow) => ({
  id: row.id,
  time: rfc3339(row.at),
  user: row.user,
  role: row.role,
  verb: row.verb,
  apiGroup: row.apiGroup,
  resource: row.resource,
  namespace: row.namespace,
  name: row.name,
  code: row.code,
});

function parseQuery(query: (name: string) => string | undefined, now: number): { since: number; after: number; limit: number } {
  const sinceText = query("since");
  const since = sinceText === undefined ? 0 : Date.parse(sinceText);
  if (!Number.isFinite(since)) throw ApiError.badRequest(`since: Invalid value: ${JSON.stringify(sinceText)}: must be an RFC 3339 time`);
  const limitText = query("limit") ?? "100";
  const limit = /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= maxLimit)) throw ApiError.badRequest(`limit: Invalid value: ${JSON.stringify(limitText)}: must be an integer from 1 to ${maxLimit}`);
  const afterText = query("continue") ?? "0";
  if (!/^\d{1,15}$/.test(afterText)) throw ApiError.badRequest(`continue: Invalid value: ${JSON.stringify(afterText)}: use the continue value of the previous page`);
  return { since: Math.min(since, now), after: Number(afterText), limit };
}

/** `GET /edgeset/v1/audit?since=<RFC 3339>&limit=N&continue=<from the last page>`, admin only. */
export const auditRoutes = new Hono<AppEnv>().use(requireAdmin).get("/", async (c) => {
  const options = parseQuery((name) => c.req.query(name), c.var.now);
  const rows = await listAuditEvents(c.var.db, options);
  const last = rows.at(-1);
  return sendJson(c, { items: rows.map(describe), ...(rows.length === options.limit && last ? { continue: String(last.id) } : {}) });
});
