/**
 * @module
 * The control plane's HTTP surface: the Kubernetes REST API (kubectl, dashboards), the agent API,
 * edgeset's admin API, and the dashboard's static files. Errors are mapped once, here.
 */
import { Hono } from "hono";
import { invalidateNodeShards } from "../controller/node-shards.ts";
import { openDb } from "../store/db.ts";
import { KeyRingError } from "../store/secret-cipher.ts";
import { tokenRoutes } from "./admin/tokens.ts";
import { agentRoutes } from "./agent/router.ts";
import { installRoutes } from "./install.ts";
import type { AppContext, AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import { handleVersion } from "./kube/discovery.ts";
import { sendJson } from "./kube/request.ts";
import { kubeRoutes } from "./kube/router.ts";

function onError(error: Error, c: AppContext): Response {
  if (error instanceof ApiError) return sendJson(c, error.toStatus(), error.code);
  // A missing or wrong Secret key is the operator's to fix; the message names the setting, never a key.
  if (error instanceof KeyRingError) return sendJson(c, new ApiError(503, "ServiceUnavailable", error.message).toStatus(), 503);
  console.error(`${c.req.method} ${new URL(c.req.url).pathname} failed:`, error);
  return sendJson(c, new ApiError(500, "InternalError", "an internal error occurred; the control plane logged the details").toStatus(), 500);
}

export function createApp() {
  return new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set("db", openDb(c.env.DB, { secretKeys: c.env.SECRET_ENCRYPTION_KEYS, agentsChanged: (names) => invalidateNodeShards(c.env, names) }));
      c.set("now", Date.now());
      await next();
    })
    .onError(onError)
    .get("/version", handleVersion)
    .get("/healthz", (c) => c.text("ok"))
    .get("/livez", (c) => c.text("ok"))
    .get("/readyz", (c) => c.text("ok"))
    .route("/agent/v1", agentRoutes)
    .route("/edgeset/v1/bootstraptokens", tokenRoutes)
    .route("/", installRoutes)
    .route("/", kubeRoutes)
    .notFound((c) => (c.env.ASSETS && c.req.method === "GET" ? c.env.ASSETS.fetch(c.req.raw) : sendJson(c, ApiError.noRoute().toStatus(), 404)));
}
