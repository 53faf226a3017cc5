/**
 * @module
 * Who is calling, and whether they may. Every request but the public ones (`/version`, `/healthz`,
 * the dashboard's static files, the agent installer) carries a bearer token:
 * - the admin token (a Worker secret) for operators, kubectl and dashboards;
 * - an API token (`edgeset.<id>.<secret>`) with a role, viewer or operator (`api/authz.ts`);
 * - a node credential, only for `/agent/v1/sync` of its own node (the node authorizer rule: a node
 *   credential gets 403 everywhere else);
 * - a bootstrap token, only for `/agent/v1/enroll`.
 * No token or an unknown one is 401. Tokens are never logged and never echoed.
 */
import type { MiddlewareHandler } from "hono";
import { authorize, forbidden, isSelfReview, patchesOnlyMetadata, userName, type Role } from "../authz.ts";
import { ApiError } from "../errors.ts";
import { isDNS1123Subdomain } from "../../protocol/names.ts";
import type { AppContext, AppEnv, Principal } from "../context.ts";
import type { Db } from "../../store/db.ts";
import { findApiToken, namespacesOf } from "../../store/api-tokens.ts";
import { findBootstrapToken, findNodeAgentByCredential, type NodeAgentRow } from "../../store/node-agents.ts";
import { enforceRateLimit } from "../rate-limit/index.ts";
import { readJsonBody } from "../kube/request.ts";
import { requestInfo, type RequestAttributes } from "./request-info.ts";
import { bearerToken, constantTimeEqual, parseApiToken, parseBootstrapToken, parseNodeCredential, sha256Hex } from "./tokens.ts";

const matches = async (hash: string, secret: string) => constantTimeEqual(hash, await sha256Hex(secret));

/** The admin or an API token's holder; a device credential is 403 here, anything else 401. */
async function authenticateUser(c: AppContext): Promise<Principal> {
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw ApiError.unauthorized();
  const admin = c.env.ADMIN_TOKEN;
  if (admin && constantTimeEqual(token, admin)) return { type: "admin" };
  const api = parseApiToken(token);
  if (api) {
    const row = await findApiToken(c.var.db, api.id);
    if (!row || !(await matches(row.secretHash, api.secret)) || (row.expiresAt !== null && row.expiresAt <= c.var.now)) throw ApiError.unauthorized();
    return { type: "token", tokenId: row.id, role: row.role as Role, namespaces: namespacesOf(row) };
  }
  // A valid device credential is known but not allowed here (403); anything else is unknown (401).
  if (await isValidDeviceCredential(c.var.db, token)) {
    throw ApiError.forbidden(`this credential may only be used with the agent API (${c.req.method} ${new URL(c.req.url).pathname} is not allowed)`);
  }
  throw ApiError.unauthorized();
}

async function isValidDeviceCredential(db: Db, token: string): Promise<boolean> {
  const node = parseNodeCredential(token);
  if (node) return !!(await authenticateNode(db, node));
  const bootstrap = parseBootstrapToken(token);
  if (bootstrap) {
    const row = await findBootstrapToken(db, bootstrap.id);
    return !!row && (await matches(row.secretHash, bootstrap.secret));
  }
  return false;
}

/** Rate-limits an API token holder (the admin token is the break-glass and is not limited). */
async function limitUser(c: AppContext, principal: Principal): Promise<void> {
  if (principal.type === "token") await enforceRateLimit(c, "api", userName(principal));
}

/** edgeset's own admin API: the admin token only; an API token is 403 (it is known, not allowed). */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const principal = await authenticateUser(c);
  c.set("principal", principal);
  await limitUser(c, principal);
  const [resource = "", name = ""] = new URL(c.req.url).pathname.split("/").slice(3);
  if (c.req.method !== "GET") c.set("audited", { verb: c.req.method === "DELETE" ? "delete" : "create", apiGroup: "edgeset", resource, namespace: "", name });
  if (principal.type !== "admin") throw forbidden(principal, { isResourceRequest: false, verb: c.req.method.toLowerCase(), path: new URL(c.req.url).pathname }, "only the admin token may use the edgeset admin API");
  return next();
};

const writeVerbs = new Set(["create", "update", "patch", "delete", "deletecollection"]);

/**
 * The Kubernetes API: authenticate, rate-limit, then authorize what the path and method ask for
 * (`authorize`, the one place), before any handler runs. Writes are marked for the audit log.
 */
export const requireKubeAccess: MiddlewareHandler<AppEnv> = async (c, next) => {
  const principal = await authenticateUser(c);
  c.set("principal", principal);
  const url = new URL(c.req.url);
  const attrs = requestInfo(c.req.method, url.pathname, url.searchParams);
  if (!attrs) throw ApiError.badRequest("the request path is not valid: a percent-escape in it is malformed");
  if (attrs.isResourceRequest && writeVerbs.has(attrs.verb) && !isSelfReview(attrs)) c.set("audited", { verb: attrs.verb, apiGroup: attrs.apiGroup, resource: attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource, namespace: attrs.namespace, name: attrs.name });
  await limitUser(c, principal);
  const decision = authorize(principal, attrs, await patchFacts(c, principal, attrs));
  if (!decision.allowed) throw forbidden(principal, attrs, decision.reason);
  return next();
};

/** Only an operator's node patch needs its body looked at (the body is cached for the handler). */
async function patchFacts(c: AppContext, principal: Principal, attrs: RequestAttributes): Promise<{ metadataOnly?: boolean }> {
  if (principal.type !== "token" || principal.role !== "operator" || !attrs.isResourceRequest || attrs.verb !== "patch" || attrs.resource !== "nodes" || attrs.apiGroup !== "") return {};
  const contentType = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  // Read as the handler reads it: 413 past 3 MiB and 400 past 100 levels, before anything looks at it.
  return { metadataOnly: patchesOnlyMetadata(contentType, await readJsonBody(c)) };
}

/**
 * `/agent/v1/sync`: a node credential; the node is whatever the credential belongs to. An agent
 * that names its node (`X-Edgeset-Node`) is checked by that node's shard, from memory, in the sync
 * handler (no D1 read); one that does not (older agents) is checked against D1 here.
 */
export const requireNode: MiddlewareHandler<AppEnv> = (c, next) => nodeCredential(c, next, "node credential");

/**
 * `/agent/v1/sessions*`: as `requireNode`, counted in a bucket of its own (same size), so a burst
 * of operator sessions (`kubectl logs -l` over a site) never makes the device's syncs 429.
 */
export const requireNodeSessions: MiddlewareHandler<AppEnv> = (c, next) => nodeCredential(c, next, "sessions of node credential");

const nodeCredential = async (c: AppContext, next: () => Promise<void>, bucket: string) => {
  const token = bearerToken(c.req.header("authorization"));
  const parsed = token ? parseNodeCredential(token) : undefined;
  if (!parsed) throw ApiError.unauthorized();
  // Counted by the credential's id from the token itself: a refused sync reads nothing.
  await enforceRateLimit(c, "sync", `${bucket} ${parsed.id}`);
  const named = c.req.header(nodeHeader);
  if (named !== undefined) {
    if (!isNodeName(named)) throw ApiError.badRequest(`the ${nodeHeader} header must be a node name (a DNS subdomain of at most 253 characters)`);
    c.set("principal", { type: "node", nodeName: named, credential: parsed });
    return next();
  }
  const agent = await authenticateNode(c.var.db, parsed);
  if (!agent) throw ApiError.unauthorized();
  c.set("principal", { type: "node", nodeName: agent.name, agent, credential: parsed });
  return next();
};

/** The header in which an agent names its node, so the Worker can pick its shard before any read. */
export const nodeHeader = "x-edgeset-node";

const isNodeName = (name: string) => isDNS1123Subdomain(name).length === 0;

/** The node credential checked against D1: its agent row, or undefined. */
export async function authenticateNode(db: Db, credential: { id: string; secret: string }): Promise<NodeAgentRow | undefined> {
  const agent = await findNodeAgentByCredential(db, credential.id);
  return agent && constantTimeEqual(agent.credentialHash, await sha256Hex(credential.secret)) ? agent : undefined;
}

/** `/agent/v1/enroll`: a bootstrap token (checked against the store by the handler) or the admin token. */
export const requireBootstrap: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw ApiError.unauthorized();
  c.set("audited", { verb: "create", apiGroup: "", resource: "nodes", namespace: "", name: "" });
  if (c.env.ADMIN_TOKEN && constantTimeEqual(token, c.env.ADMIN_TOKEN)) {
    c.set("principal", { type: "admin" });
    return next();
  }
  const parsed = parseBootstrapToken(token);
  if (!parsed) throw ApiError.unauthorized();
  // Per client address (a flood of guessed tokens) and per bootstrap token (one leaked token).
  const address = c.req.header("cf-connecting-ip");
  if (address) await enforceRateLimit(c, "enroll", `address ${address}`);
  await enforceRateLimit(c, "enroll", `bootstrap token ${parsed.id}`);
  c.set("principal", { type: "bootstrap", tokenId: parsed.id, secret: parsed.secret });
  return next();
};
