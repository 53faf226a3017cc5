/**
 * @module
 * The `log` session: the container's log as `kubectl logs` asked for it (options validated by the
 * control plane), read by the pod's runtime from its CRI log files or its engine.
 */
import type { SessionOffer } from "../../src/protocol/agent.ts";
import type { Runtime, RuntimePodSnapshot } from "../runtime/runtime.ts";
import { SessionRefused, type SessionHandler } from "./session-channel.ts";

/** The pod an offer names, by uid first (a pod recreated under the same name is another pod). */
export function podOf(runtime: Pick<Runtime, "listPods">, offer: SessionOffer): RuntimePodSnapshot | undefined {
  const pods = runtime.listPods();
  return pods.find((p) => p.uid === offer.uid) ?? pods.find((p) => p.namespace === offer.namespace && p.name === offer.pod);
}

export function serveLogs(runtime: Pick<Runtime, "listPods" | "logs">, nodeName: string): SessionHandler {
  return async (offer, channel) => {
    if (!offer.log) throw new SessionRefused(400, "the session carries no log options");
    const pod = podOf(runtime, offer);
    if (!pod) throw new SessionRefused(404, `pod ${offer.namespace}/${offer.pod} does not run on node ${nodeName}`);
    if (!runtime.logs) throw new SessionRefused(501, "this runtime cannot serve logs");
    await runtime.logs(pod.uid, offer.log, channel.out);
    channel.accept();
  };
}
