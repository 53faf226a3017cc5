/**
 * @module
 * The device's side of operator sessions: `GET /agent/v1/sessions` lists those waiting for it;
 * `GET /agent/v1/sessions/{id}` (a WebSocket upgrade) joins one. A node credential reaches only
 * its own node's bridge.
 */
import type { AppContext } from "../context.ts";
import { ApiError } from "../errors.ts";
import { sessionBridgeOf } from "../kube/sessions/open-session.ts";

function nodeOf(c: AppContext): string {
  const principal = c.var.principal;
  if (principal.type !== "node") throw ApiError.forbidden("sessions need a node credential");
  return principal.nodeName;
}

export function handleListSessions(c: AppContext): Promise<Response> {
  const node = nodeOf(c);
  return sessionBridgeOf(c.env, node).fetch(`https://session-bridge/pending?node=${encodeURIComponent(node)}`);
}

export function handleJoinSession(c: AppContext): Promise<Response> {
  const node = nodeOf(c);
  const id = c.req.param("id") ?? "";
  if (!/^[0-9a-f-]{36}$/.test(id)) throw ApiError.badRequest("the session id must be a UUID");
  return sessionBridgeOf(c.env, node).fetch(new Request(`https://session-bridge/connect/${id}?node=${encodeURIComponent(node)}`, c.req.raw));
}
