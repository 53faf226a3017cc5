/**
 * @module
 * The `exec`, `attach` and `portforward` session handlers (session-channel.ts): the pod looked up as for
 * logs, then kubectl's relayed frames served by exec-session.ts or port-forward-session.ts.
 */
import type { Runtime } from "../runtime/runtime.ts";
import { serveAttach, serveExec, type SessionIo } from "./exec-session.ts";
import { podOf } from "./log-session.ts";
import { servePortForward } from "./port-forward-session.ts";
import { SessionRefused, type SessionChannel, type SessionHandler } from "./session-channel.ts";

const ioOf = (channel: SessionChannel): SessionIo => ({
  send: (message) => channel.out.write(message),
  onFrame: (listener) => channel.onMessage((data, isBinary) => isBinary && listener(data)),
  signal: channel.out.signal,
});

export function serveExecSessions(runtime: Pick<Runtime, "listPods" | "execStream">, nodeName: string): SessionHandler {
  return async (offer, channel) => {
    if (!offer.exec) throw new SessionRefused(400, "the session carries no exec options");
    const pod = podOf(runtime, offer);
    if (!pod) throw new SessionRefused(404, `pod ${offer.namespace}/${offer.pod} does not run on node ${nodeName}`);
    channel.accept();
    await serveExec(offer.exec, pod.uid, runtime, ioOf(channel));
  };
}

export function serveAttachSessions(runtime: Pick<Runtime, "listPods" | "logs">, nodeName: string): SessionHandler {
  return async (offer, channel) => {
    if (!offer.exec) throw new SessionRefused(400, "the session carries no attach options");
    const pod = podOf(runtime, offer);
    if (!pod) throw new SessionRefused(404, `pod ${offer.namespace}/${offer.pod} does not run on node ${nodeName}`);
    channel.accept();
    await serveAttach(offer.exec, pod.uid, runtime, ioOf(channel));
  };
}

export function servePortForwardSessions(runtime: Pick<Runtime, "listPods" | "connectPort">, nodeName: string): SessionHandler {
  return async (offer, channel) => {
    const pod = podOf(runtime, offer);
    if (!pod) throw new SessionRefused(404, `pod ${offer.namespace}/${offer.pod} does not run on node ${nodeName}`);
    if (!runtime.connectPort) throw new SessionRefused(501, "this runtime cannot connect to pod ports");
    channel.accept();
    await servePortForward(pod.uid, runtime, ioOf(channel));
  };
}
