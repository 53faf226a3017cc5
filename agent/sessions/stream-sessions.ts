/**
 * @module
 * The `exec`, `attach` and `portforward` session handlers (session-channel.ts): the pod looked up as for
 * logs, then kubectl's relayed frames served by exec-session.ts or port-forward-session.ts.
 */
import type { ExecOffer } from "../../src/protocol/agent.ts";
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

/** exec and attach: the same offer (attach has no command), served on the exec channels. */
function serveOnExecChannels<R extends Pick<Runtime, "listPods">>(kind: string, serve: (exec: ExecOffer, uid: string, runtime: R, io: SessionIo) => Promise<void>) {
  return (runtime: R, nodeName: string): SessionHandler =>
    async (offer, channel) => {
      if (!offer.exec) throw new SessionRefused(400, `the session carries no ${kind} options`);
      const pod = podOf(runtime, offer);
      if (!pod) throw new SessionRefused(404, `pod ${offer.namespace}/${offer.pod} does not run on node ${nodeName}`);
      channel.accept();
      await serve(offer.exec, pod.uid, runtime, ioOf(channel));
    };
}

export const serveExecSessions = serveOnExecChannels<Pick<Runtime, "listPods" | "execStream">>("exec", serveExec);
export const serveAttachSessions = serveOnExecChannels<Pick<Runtime, "listPods" | "logs">>("attach", serveAttach);

export function servePortForwardSessions(runtime: Pick<Runtime, "listPods" | "connectPort">, nodeName: string): SessionHandler {
  return async (offer, channel) => {
    const pod = podOf(runtime, offer);
    if (!pod) throw new SessionRefused(404, `pod ${offer.namespace}/${offer.pod} does not run on node ${nodeName}`);
    if (!runtime.connectPort) throw new SessionRefused(501, "this runtime cannot connect to pod ports");
    channel.accept();
    await servePortForward(pod.uid, runtime, ioOf(channel));
  };
}
