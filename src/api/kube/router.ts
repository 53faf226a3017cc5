/**
 * @module
 * The Kubernetes REST surface as a table of verbs. Every resource path goes through one parser
 * (`target.ts`) and the handler for its verb; what differs per kind lives in its strategy.
 */
import { Hono } from "hono";
import { requireKubeAccess } from "../auth/middleware.ts";
import { queryFlag } from "../auth/request-info.ts";
import type { AppContext, AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";
import { handleCoreDiscovery, handleGroupsDiscovery, handleResourceList } from "./discovery.ts";
import { handleAccessReview, handleRulesReview } from "./access-review.ts";
import { conditionalGet } from "./conditional-get.ts";
import { handleSelfSubjectReview } from "./whoami.ts";
import { leaseRoutes } from "./lease/routes.ts";
import { handleOpenApiDocument, handleOpenApiRoot } from "./openapi.ts";
import { handleDelete, handleDeleteCollection } from "./rest/delete.ts";
import { handlePatch } from "./rest/patch.ts";
import { handleGet, handleList } from "./rest/read.ts";
import { handleWatch } from "./rest/watch.ts";
import { handleCreate, handleUpdate } from "./rest/write.ts";
import { parseTarget, type Target } from "./target.ts";
import { handlePodLog } from "./sessions/pod-log.ts";
import { handlePodAttach, handlePodExec, handlePodPortForward } from "./sessions/pod-exec.ts";

const isWatch = (c: AppContext, t: Target) => t.legacyWatch || queryFlag(c.req.query("watch"));

const verbs: Record<string, (c: AppContext, t: Target) => Promise<Response>> = {
  GET: (c, t) => (isWatch(c, t) ? handleWatch(c, t) : t.name ? handleGet(c, t) : handleList(c, t)),
  POST: handleCreate,
  PUT: handleUpdate,
  PATCH: handlePatch,
  DELETE: (c, t) => (t.name ? handleDelete(c, t) : handleDeleteCollection(c, t)),
};

/** A path segment unescaped; a malformed escape (`%E0%A4%A`) is the client's error: 400. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw ApiError.badRequest(`the request path contains a malformed percent-escape: ${JSON.stringify(segment.slice(0, 64))}`);
  }
}

function dispatch(group: string, version: string, rest: string, c: AppContext): Promise<Response> {
  const handler = verbs[c.req.method];
  if (!handler) throw ApiError.methodNotAllowed();
  const segments = rest.split("/").filter(Boolean).map(decodeSegment);
  return handler(c, parseTarget(group, version, segments));
}

const after = (c: AppContext, prefix: string) => new URL(c.req.url).pathname.slice(prefix.length);

// Only the Kubernetes paths need a token (and are authorized, `api/authz.ts`); everything else
// (the dashboard's static files) falls through to the assets.
export const kubeRoutes = new Hono<AppEnv>()
  // `/api/*` matches `/api` too: one middleware per prefix, so one authentication per request.
  .use("/api/*", requireKubeAccess)
  .use("/apis/*", requireKubeAccess)
  .use("/openapi/*", requireKubeAccess)
  .use("/api/*", conditionalGet)
  .use("/apis/*", conditionalGet)
  .get("/api", handleCoreDiscovery)
  .get("/apis", handleGroupsDiscovery)
  .get("/api/v1", (c) => handleResourceList(c, "", "v1") ?? Promise.reject(ApiError.noRoute()))
  .get("/apis/:group/:version", (c) => handleResourceList(c, c.req.param("group"), c.req.param("version")) ?? Promise.reject(ApiError.noRoute()))
  .get("/openapi/v3", handleOpenApiRoot)
  .get("/openapi/v3/*", handleOpenApiDocument)
  .route("/apis/coordination.k8s.io/v1", leaseRoutes)
  .post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", handleAccessReview)
  .post("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", handleRulesReview)
  .post("/apis/authentication.k8s.io/v1/selfsubjectreviews", handleSelfSubjectReview)
  .get("/api/v1/namespaces/:namespace/pods/:name/log", handlePodLog)
  .on(["GET", "POST"], "/api/v1/namespaces/:namespace/pods/:name/exec", handlePodExec)
  .on(["GET", "POST"], "/api/v1/namespaces/:namespace/pods/:name/attach", handlePodAttach)
  .on(["GET", "POST"], "/api/v1/namespaces/:namespace/pods/:name/portforward", handlePodPortForward)
  .all("/api/v1/*", (c) => dispatch("", "v1", after(c, "/api/v1/"), c))
  .all("/apis/:group/:version/*", (c) => dispatch(c.req.param("group"), c.req.param("version"), after(c, `/apis/${c.req.param("group")}/${c.req.param("version")}/`), c));
