/**
 * @module
 * The device's side of operator sessions: `GET /agent/v1/sessions` lists those waiting for it;
 * `GET /agent/v1/sessions/{id}` (a WebSocket upgrade) joins one; `GET /agent/v1/sessions/doorbell`
 * (a WebSocket upgrade, opt-in) is rung when one is recorded. A node credential reaches only its
 * own node's bridge.
 */
import { authenticateNode } from "../auth/middleware.ts";
import type { AppContext } from "../context.ts";
import { ApiError } from "../errors.ts";
import { sessionBridgeOf } from "../kube/sessions/open-session.ts";

/**
 * The node whose credential this is, checked against D1 (a named node is otherwise only checked
 * by its shard on sync): a credential never reaches another node's sessions.
 */
async function nodeOf(c: AppContext): Promise<string> {
  const principal = c.var.principal;
  if (principal.type !== "node") throw ApiError.forbidden("sessions need a node credential");
  const agent = principal.agent ?? (await authenticateNode(c.var.db, principal.credential));
  if (!agent || agent.name !== principal.nodeName) throw ApiError.unauthorized();
  return agent.name;
}

export async function handleListSessions(c: AppContext): Promise<Response> {
  const node = await nodeOf(c);
  return sessionBridgeOf(c.env, node).fetch(`https://session-bridge/pending?node=${encodeURIComponent(node)}`);
}

export async function handleJoinSession(c: AppContext): Promise<Response> {
  const node = await nodeOf(c);
  const id = c.req.param("id") ?? "";
  if (!/^[0-9a-f-]{36}$/.test(id)) throw ApiError.badRequest("the session id must be a UUID");
  return sessionBridgeOf(c.env, node).fetch(new Request(`https://session-bridge/connect/${id}?node=${encodeURIComponent(node)}`, c.req.raw));
}

export async function handleDoorbell(c: AppContext): Promise<Response> {
  const node = await nodeOf(c);
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw new ApiError(426, "BadRequest", "the doorbell is a WebSocket upgrade");
  return sessionBridgeOf(c.env, node).fetch(new Request(`https://session-bridge/doorbell?node=${encodeURIComponent(node)}`, c.req.raw));
}
