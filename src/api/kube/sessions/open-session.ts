/**
 * @module
 * Hands an operator's session for a pod to its node's session bridge (session-bridge.ts) and
 * returns the bridge's answer: the stream once the device connected, or a Status.
 */
import type { SessionOffer } from "../../../protocol/agent.ts";
import type { Pod } from "../../../resources/types.ts";
import type { AppContext } from "../../context.ts";
import { ApiError } from "../../errors.ts";

export function sessionBridgeOf(env: Env, node: string) {
  return env.SESSION_BRIDGE.getByName(`node:${node}`);
}

export async function openSession(c: AppContext, pod: Pod, what: Pick<SessionOffer, "kind" | "log">): Promise<Response> {
  const node = pod.spec?.nodeName;
  if (!node) throw ApiError.badRequest(`pod ${pod.metadata?.name} is not bound to a node yet`);
  const offer: Omit<SessionOffer, "id"> = { ...what, namespace: pod.metadata!.namespace!, pod: pod.metadata!.name!, uid: pod.metadata!.uid! };
  return sessionBridgeOf(c.env, node).fetch(`https://session-bridge/open?node=${encodeURIComponent(node)}`, {
    method: "POST",
    body: JSON.stringify(offer),
    signal: c.req.raw.signal,
  });
}

/**
 * kubectl's WebSocket (exec, port-forward) handed to the node's session bridge, which answers
 * the upgrade once the device joined (or tells kubectl why not).
 */
export async function openStreamSession(c: AppContext, pod: Pod, what: Pick<SessionOffer, "kind" | "exec" | "portForward">): Promise<Response> {
  const node = pod.spec?.nodeName;
  if (!node) throw ApiError.badRequest(`pod ${pod.metadata?.name} is not bound to a node yet`);
  const offer: Omit<SessionOffer, "id"> = { ...what, namespace: pod.metadata!.namespace!, pod: pod.metadata!.name!, uid: pod.metadata!.uid! };
  return sessionBridgeOf(c.env, node).fetch(`https://session-bridge/stream?node=${encodeURIComponent(node)}`, {
    headers: { Upgrade: "websocket", "X-Edgeset-Offer": encodeURIComponent(JSON.stringify(offer)) },
    signal: c.req.raw.signal,
  });
}
