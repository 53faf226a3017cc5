/**
 * @module
 * Builds and serialises the SyncRequest: the node report, one PodReport per assigned pod the agent
 * runs or tries to run (sorted by namespace/name), the uids of terminating pods whose workloads
 * are gone, and the static pods with their status (the control plane keeps their mirror pods).
 * Serialisation is canonical, so the same state always gives the same bytes and the control
 * plane's body digest can tell "nothing changed".
 *
 * @example
 * const body = serializeSyncRequest(buildSyncRequest({ node, assigned, staticPods, running, hostIP }));
 */
import type { NodeReport, PodReport, SyncRequest } from "../../src/protocol/agent.ts";
import type { Pod, PodCondition, PodStatus } from "../../src/resources/types.ts";
import { refusedPodStatus } from "../accept/accept-assignments.ts";
import type { RefusedPod } from "../accept/accept-pod.ts";
import { planPodActions } from "../pods/plan-pod-actions.ts";
import { buildPodStatus, type ProbeResults } from "../pods/pod-status.ts";
import type { RuntimePodSnapshot } from "../runtime/runtime.ts";
import { stringifyCanonical } from "./canonical-json.ts";

export interface SyncState {
  node: NodeReport;
  assigned: Pod[];
  /** Static pods from the manifest directory (reported with status as mirror pods). */
  staticPods?: Pod[];
  running: RuntimePodSnapshot[];
  hostIP?: string;
  /** Probe results by pod uid (absent: ready once running). */
  probes?: Record<string, ProbeResults | undefined>;
  /** Assigned pods the agent will not run, reported Pending with the reason (those it can name). */
  refused?: RefusedPod[];
  /** Pre-staging: the `rollout.edgeset.dev/Staged` condition of pods carrying an upcoming revision, by uid. */
  staged?: Record<string, PodCondition>;
}

function compareReports(a: PodReport, b: PodReport): number {
  const ka = [a.namespace, a.name, a.uid];
  const kb = [b.namespace, b.name, b.uid];
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  }
  return 0;
}

function statusOf(pod: Pod, uid: string, byUid: Map<string, RuntimePodSnapshot>, state: SyncState) {
  const snapshot = byUid.get(uid);
  const hostIP = state.hostIP;
  return buildPodStatus(pod, snapshot, { hostIP, podIP: snapshot?.podIP, probes: state.probes?.[uid] });
}

const withStaged = (status: PodStatus, staged: PodCondition | undefined): PodStatus =>
  staged ? { ...status, conditions: [...(status.conditions ?? []), staged] } : status;

const reportKey = (pod: Pod): PodReport => ({ namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name ?? "", uid: pod.metadata.uid ?? "", status: {} });

export function buildSyncRequest(state: SyncState): SyncRequest {
  const { terminated } = planPodActions(state.assigned, state.running);
  const gone = new Set(terminated);
  const byUid = new Map(state.running.map((r) => [r.uid, r]));
  const refusedByUid = new Map((state.refused ?? []).filter((r) => r.namespace && r.name && r.uid).map((r) => [r.uid!, r]));
  const pods: PodReport[] = [];
  for (const pod of state.assigned) {
    const uid = pod.metadata.uid;
    if (!uid || gone.has(uid)) continue;
    const refused = refusedByUid.get(uid);
    refusedByUid.delete(uid);
    pods.push({
      namespace: pod.metadata.namespace ?? "default",
      name: pod.metadata.name ?? "",
      uid,
      status: refused ? refusedPodStatus(refused) : withStaged(statusOf(pod, uid, byUid, state), state.staged?.[uid]),
    });
  }
  for (const refused of refusedByUid.values()) {
    pods.push({ namespace: refused.namespace!, name: refused.name!, uid: refused.uid!, status: refusedPodStatus(refused) });
  }
  pods.sort(compareReports);
  const request: SyncRequest = { node: state.node, pods };
  if (terminated.length > 0) request.terminated = terminated;
  const staticPods = (state.staticPods ?? [])
    .filter((pod) => pod.metadata.uid)
    .map((pod) => ({ ...pod, status: statusOf(pod, pod.metadata.uid!, byUid, state) }))
    .sort((a, b) => compareReports(reportKey(a), reportKey(b)));
  if (staticPods.length > 0) request.staticPods = staticPods;
  return request;
}

export function serializeSyncRequest(request: SyncRequest): string {
  return stringifyCanonical(request);
}
