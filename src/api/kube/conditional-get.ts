/**
 * @module
 * ETags on the Kubernetes API's reads, so a dashboard can poll with `If-None-Match` and get a
 * 304 with no body while nothing changed. The tag is a digest of the answer (Hono's etag
 * middleware): the same for the same bytes, whatever the resourceVersion bookkeeping. Watches and
 * the pod session subresources (log, exec, attach, portforward) stream and get none: hashing
 * buffers the whole body, and a `kubectl logs -f` body never ends.
 *
 * @example
 * // GET /api/v1/nodes → 200 ETag: "3f2a…"
 * // GET /api/v1/nodes  If-None-Match: "3f2a…" → 304 (until a node changes)
 */
import type { MiddlewareHandler } from "hono";
import { etag } from "hono/etag";
import type { AppEnv } from "../context.ts";
import { queryFlag } from "../auth/request-info.ts";

const tagged = etag();

const isWatch = (url: URL) => url.pathname.includes("/watch/") || queryFlag(url.searchParams.get("watch"));

const isPodSession = (url: URL) => /\/pods\/[^/]+\/(log|exec|attach|portforward)$/.test(url.pathname);

export const conditionalGet: MiddlewareHandler<AppEnv> = (c, next) => {
  const url = new URL(c.req.url);
  return c.req.method === "GET" && !isWatch(url) && !isPodSession(url) ? tagged(c, next) : next();
};
