/**
 * @module
 * Who is calling. Every request but the public ones (`/version`, `/healthz`, the dashboard's static
 * files, the agent installer) carries a bearer token:
 * - the admin token (a Worker secret) for operators, kubectl and dashboards;
 * - a node credential, only for `/agent/v1/sync` of its own node (the node authorizer rule: a node
 *   credential gets 403 everywhere else);
 * - a bootstrap token, only for `/agent/v1/enroll`.
 * No token or an unknown one is 401. Tokens are never logged and never echoed.
 */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "../errors.ts";
import type { AppEnv } from "../context.ts";
import type { Db } from "../../store/db.ts";
import { findBootstrapToken, findNodeAgentByCredential, type NodeAgentRow } from "../../store/node-agents.ts";
import { bearerToken, constantTimeEqual, parseBootstrapToken, parseNodeCredential, sha256Hex } from "./tokens.ts";

/** Admin-only surfaces: the Kubernetes API and edgeset's own admin API. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw ApiError.unauthorized();
  const admin = c.env.ADMIN_TOKEN;
  if (admin && constantTimeEqual(token, admin)) {
    c.set("principal", { type: "admin" });
    return next();
  }
  // A valid device credential is known but not allowed here (403); anything else is unknown (401).
  if (await isValidDeviceCredential(c.var.db, token)) {
    throw ApiError.forbidden(`this credential may only be used with the agent API (${c.req.method} ${new URL(c.req.url).pathname} is not allowed)`);
  }
  throw ApiError.unauthorized();
};

async function isValidDeviceCredential(db: Db, token: string): Promise<boolean> {
  const node = parseNodeCredential(token);
  if (node) return !!(await authenticateNode(db, node));
  const bootstrap = parseBootstrapToken(token);
  if (bootstrap) {
    const row = await findBootstrapToken(db, bootstrap.id);
    return !!row && constantTimeEqual(row.secretHash, await sha256Hex(bootstrap.secret));
  }
  return false;
}

/**
 * `/agent/v1/sync`: a node credential; the node is whatever the credential belongs to. An agent
 * that names its node (`X-Edgeset-Node`) is checked by that node's shard, from memory, in the sync
 * handler (no D1 read); one that does not (older agents) is checked against D1 here.
 */
export const requireNode: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  const parsed = token ? parseNodeCredential(token) : undefined;
  if (!parsed) throw ApiError.unauthorized();
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

const isNodeName = (name: string) => name.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name);

/** The node credential checked against D1: its agent row, or undefined. */
export async function authenticateNode(db: Db, credential: { id: string; secret: string }): Promise<NodeAgentRow | undefined> {
  const agent = await findNodeAgentByCredential(db, credential.id);
  return agent && constantTimeEqual(agent.credentialHash, await sha256Hex(credential.secret)) ? agent : undefined;
}

/** `/agent/v1/enroll`: a bootstrap token (checked against the store by the handler) or the admin token. */
export const requireBootstrap: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw ApiError.unauthorized();
  if (c.env.ADMIN_TOKEN && constantTimeEqual(token, c.env.ADMIN_TOKEN)) {
    c.set("principal", { type: "admin" });
    return next();
  }
  const parsed = parseBootstrapToken(token);
  if (!parsed) throw ApiError.unauthorized();
  c.set("principal", { type: "bootstrap", tokenId: parsed.id, secret: parsed.secret });
  return next();
};
