/**
 * @module
 * Builds and serialises the SyncRequest: the node report, one PodReport per assigned pod the agent
 * runs or tries to run (sorted by namespace/name), and the uids of terminating pods whose
 * workloads are gone. Serialisation is canonical, so the same state always gives the same bytes
 * and the control plane's body digest can tell "nothing changed".
 *
 * @example
 * const body = serializeSyncRequest(buildSyncRequest({ node, assigned, running, hostIP }));
 */
import type { NodeReport, PodReport, SyncRequest } from "../../src/protocol/agent.ts";
import type { Pod } from "../../src/resources/types.ts";
import { planPodActions } from "../pods/plan-pod-actions.ts";
import { buildPodStatus, type ProbeResults } from "../pods/pod-status.ts";
import type { RuntimePodSnapshot } from "../runtime/runtime.ts";
import { stringifyCanonical } from "./canonical-json.ts";

export interface SyncState {
  node: NodeReport;
  assigned: Pod[];
  running: RuntimePodSnapshot[];
  hostIP?: string;
  /** Probe results by pod uid (probes come later; absent means ready once running). */
  probes?: Record<string, ProbeResults | undefined>;
}

function compareReports(a: PodReport, b: PodReport): number {
  const ka = [a.namespace, a.name, a.uid];
  const kb = [b.namespace, b.name, b.uid];
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  }
  return 0;
}

export function buildSyncRequest(state: SyncState): SyncRequest {
  const { terminated } = planPodActions(state.assigned, state.running);
  const gone = new Set(terminated);
  const byUid = new Map(state.running.map((r) => [r.uid, r]));
  const pods: PodReport[] = [];
  for (const pod of state.assigned) {
    const uid = pod.metadata.uid;
    if (!uid || gone.has(uid)) continue;
    pods.push({
      namespace: pod.metadata.namespace ?? "default",
      name: pod.metadata.name ?? "",
      uid,
      status: buildPodStatus(pod, byUid.get(uid), { hostIP: state.hostIP, probes: state.probes?.[uid] }),
    });
  }
  pods.sort(compareReports);
  const request: SyncRequest = { node: state.node, pods };
  if (terminated.length > 0) request.terminated = terminated;
  return request;
}

export function serializeSyncRequest(request: SyncRequest): string {
  return stringifyCanonical(request);
}
