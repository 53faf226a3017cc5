/**
 * @module
 * The control plane's HTTP surface: the Kubernetes REST API (kubectl, dashboards), the agent API,
 * edgeset's admin API, and the dashboard's static files. Errors are mapped once, here.
 */
import { Hono } from "hono";
import { invalidateNodeShards } from "../controller/node-shards.ts";
import { openDb } from "../store/db.ts";
import { KeyRingError } from "../store/secret-cipher.ts";
import { NameTaken, PreconditionFailed } from "../store/writes.ts";
import { SelectorError } from "../resources/label-selector.ts";
import { PatchError } from "../resources/patch/patch-error.ts";
import { apiTokenRoutes } from "./admin/api-tokens.ts";
import { tokenRoutes } from "./admin/tokens.ts";
import { auditRoutes, recordAudit } from "./audit.ts";
import { agentRoutes } from "./agent/router.ts";
import { installRoutes } from "./install.ts";
import { metricsRoutes } from "./metrics.ts";
import type { AppContext, AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import { handleVersion } from "./kube/discovery.ts";
import { sendJson } from "./kube/request.ts";
import { kubeRoutes } from "./kube/router.ts";

/**
 * The one place errors of the layers below become a Kubernetes `Status`: handlers throw what they
 * know (a patch that cannot apply, a selector that does not parse, a write whose precondition
 * failed) and only add context (the kind and name) where the answer needs it.
 */
export function translateError(error: Error): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof PatchError) return new ApiError(error.code, error.reason, error.message);
  if (error instanceof SelectorError) return ApiError.badRequest(error.message);
  if (error instanceof PreconditionFailed) return new ApiError(409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again");
  if (error instanceof NameTaken) return new ApiError(409, "AlreadyExists", "the object already exists");
  // A missing or wrong Secret key is the operator's to fix; the message names the setting, never a key.
  if (error instanceof KeyRingError) return new ApiError(503, "ServiceUnavailable", error.message);
  return undefined;
}

function onError(error: Error, c: AppContext): Response {
  const known = translateError(error);
  if (known) {
    if (known.details?.retryAfterSeconds) c.header("Retry-After", String(known.details.retryAfterSeconds));
    return sendJson(c, known.toStatus(), known.code);
  }
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
    // Outermost on the audited surfaces: it sees the answer, refusals included.
    .use("/agent/v1/enroll", recordAudit)
    .use("/edgeset/v1/*", recordAudit)
    .use("/api/*", recordAudit)
    .use("/apis/*", recordAudit)
    .route("/agent/v1", agentRoutes)
    .route("/edgeset/v1/bootstraptokens", tokenRoutes)
    .route("/edgeset/v1/apitokens", apiTokenRoutes)
    .route("/edgeset/v1/audit", auditRoutes)
    .route("/metrics", metricsRoutes)
    .route("/", installRoutes)
    .route("/", kubeRoutes)
    .notFound((c) => (c.env.ASSETS && c.req.method === "GET" ? c.env.ASSETS.fetch(c.req.raw) : sendJson(c, ApiError.noRoute().toStatus(), 404)));
}
