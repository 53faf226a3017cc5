/**
 * @module
 * CORS for dashboards on other origins. Only the origins in the Worker variable
 * `CORS_ALLOWED_ORIGINS` (comma-separated, none by default) get CORS headers; every other origin
 * gets none, so its browser keeps the answer from the page. Preflights are answered here, before
 * authentication (a browser sends them without the token). Credentials travel only in the
 * `Authorization` header: no cookies, so `Access-Control-Allow-Credentials` is never sent.
 *
 * @example
 * // CORS_ALLOWED_ORIGINS = "https://dash.example.com"
 * // OPTIONS /api/v1/nodes  Origin: https://dash.example.com  Access-Control-Request-Method: GET
 * // → 204 Access-Control-Allow-Origin: https://dash.example.com, Access-Control-Allow-Headers: Authorization, …
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";
import { sendJson } from "../kube/request.ts";
import { corsHeaders, isPreflight, parseAllowedOrigins, preflightHeaders } from "./policy.ts";

export const cors: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origin = c.req.header("origin");
  if (!origin) return next();
  const allowed = parseAllowedOrigins(c.env.CORS_ALLOWED_ORIGINS).has(origin);
  if (isPreflight(c.req.method, c.req.header("access-control-request-method"))) {
    if (!allowed) return sendJson(c, new ApiError(403, "Forbidden", `origin ${JSON.stringify(origin.slice(0, 256))} is not in CORS_ALLOWED_ORIGINS`).toStatus(), 403);
    return c.body(null, 204, preflightHeaders(origin));
  }
  await next();
  if (!allowed) return;
  // c.res may be immutable (an asset's answer); assigning a copy keeps its headers.
  const res = new Response(c.res.body, c.res);
  for (const [name, value] of Object.entries(corsHeaders(origin))) res.headers.set(name, value);
  c.res = res;
};
