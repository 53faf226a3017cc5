/**
 * @module
 * `GET|POST /api/v1/namespaces/{ns}/pods/{name}/exec`, `.../attach` and `.../portforward`:
 * kubectl exec (and cp, which is exec with tar), attach and port-forward, over WebSockets only. kubectl 1.32 asks for a WebSocket first
 * (`v5.channel.k8s.io`; `SPDY/3.1+portforward.k8s.io` for port-forward) and, if the upgrade
 * fails, retries with SPDY. A SPDY request is validated the same way (so a bad request is
 * reported as such) and then refused at once with a 400 that says why, so kubectl fails fast
 * instead of hanging.
 */
import type { Pod } from "../../../resources/types.ts";
import { resources } from "../../../resources/registry.ts";
import { chooseProtocol, execProtocols } from "../../../protocol/remote-command.ts";
import { getObject } from "../../../store/objects.ts";
import { podRef } from "../../../store/rows.ts";
import type { AppContext } from "../../context.ts";
import { ApiError } from "../../errors.ts";
import { parseAttachOptions, parseExecOptions } from "./exec-options.ts";
import { openStreamSession } from "./open-session.ts";

/** kubectl port-forward's WebSocket subprotocol: SPDY/3.1 frames inside binary messages. */
export const portForwardProtocols = ["SPDY/3.1+portforward.k8s.io"] as const;

async function podOf(c: AppContext): Promise<Pod> {
  const name = c.req.param("name")!;
  const pod = await getObject<Pod>(c.var.db, podRef(c.req.param("namespace")!, name));
  if (!pod) throw ApiError.notFound(resources.Pod, name);
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") throw ApiError.badRequest(`cannot connect to a container in a completed pod; current phase is ${phase}`);
  return pod;
}

const isWebSocket = (c: AppContext) => c.req.header("upgrade")?.toLowerCase() === "websocket";

function notServed(c: AppContext, offered: readonly string[]): ApiError {
  const asked = c.req.header("upgrade") ? `the upgrade to ${JSON.stringify(c.req.header("upgrade")!.slice(0, 64))}` : "a request without an upgrade";
  return new ApiError(400, "BadRequest", `${asked} is not served: this server streams exec and port-forward over WebSockets only (${offered.join(", ")}), which kubectl 1.31 and newer use by default; check that KUBECTL_REMOTE_COMMAND_WEBSOCKETS and KUBECTL_PORT_FORWARD_WEBSOCKETS are not set to false (kubectl -v=4 shows why a WebSocket attempt failed)`, {
    causes: [{ reason: "FieldValueNotSupported", message: "WebSocket upgrade required", field: "Upgrade" }],
  });
}

export async function handlePodExec(c: AppContext): Promise<Response> {
  const pod = await podOf(c);
  const protocol = isWebSocket(c) ? chooseProtocol(c.req.header("sec-websocket-protocol"), execProtocols) : undefined;
  const exec = parseExecOptions((key) => c.req.query(key), (key) => c.req.queries(key) ?? [], pod, protocol ?? "");
  if (!protocol) throw notServed(c, execProtocols);
  return openStreamSession(c, pod, { kind: "exec", exec });
}

/** kubectl attach: the container's output from now on, on the exec channels (no stdin, no tty). */
export async function handlePodAttach(c: AppContext): Promise<Response> {
  const pod = await podOf(c);
  const protocol = isWebSocket(c) ? chooseProtocol(c.req.header("sec-websocket-protocol"), execProtocols) : undefined;
  const attach = parseAttachOptions((key) => c.req.query(key), pod, protocol ?? "");
  if (!protocol) throw notServed(c, execProtocols);
  return openStreamSession(c, pod, { kind: "attach", exec: attach });
}

export async function handlePodPortForward(c: AppContext): Promise<Response> {
  const pod = await podOf(c);
  const protocol = isWebSocket(c) ? chooseProtocol(c.req.header("sec-websocket-protocol"), portForwardProtocols) : undefined;
  if (!protocol) throw notServed(c, portForwardProtocols);
  return openStreamSession(c, pod, { kind: "portforward", portForward: { protocol } });
}
