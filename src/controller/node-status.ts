/**
 * @module
 * What a device's sync changes in the stored Node and Pods, decided purely (the sync handler does
 * the I/O). Times that rollouts depend on come from the control plane's clock, never the
 * device's: a Ready transition is stamped with `now` when the control plane first sees it
 * (minReadySeconds is judged on one clock, kubernetes#77203).
 */
import type { NodeReport } from "../protocol/agent.ts";
import { stagingReportOf } from "../protocol/prestage.ts";
import { jsonEqual, rfc3339 } from "../resources/meta.ts";
import type { Node, NodeCondition, NodeStatus, Pod, PodCondition, PodStatus, Taint } from "../resources/types.ts";
import { wellKnown } from "../resources/types.ts";

/** Labels the agent owns, as the kubelet owns them; every other label belongs to the API. */
export const agentOwnedLabels = [wellKnown.hostname, wellKnown.os, wellKnown.arch] as const;

/**
 * One label per workload runtime the device has (`runtime.edgeset.dev/docker: "true"`), kept
 * current by the agent, so a DaemonSet can select devices by runtime with a nodeSelector.
 */
export const runtimeLabelPrefix = "runtime.edgeset.dev/";

/** Taints the node lifecycle puts on a silent node and takes off when it syncs again. */
export const lifecycleTaintKeys = new Set<string>([wellKnown.taintUnreachable, wellKnown.taintNotReady]);

export function readyCondition(status: "True" | "Unknown", previous: NodeCondition | undefined, now: number): NodeCondition {
  const transition = previous?.status === status ? (previous.lastTransitionTime ?? rfc3339(now)) : rfc3339(now);
  return status === "True"
    ? { type: "Ready", status, lastHeartbeatTime: rfc3339(now), lastTransitionTime: transition, reason: "KubeletReady", message: "edgeset agent is posting ready status" }
    : {
        type: "Ready",
        status,
        lastHeartbeatTime: previous?.lastHeartbeatTime ?? rfc3339(now),
        lastTransitionTime: transition,
        reason: "NodeStatusUnknown",
        message: "Kubelet stopped posting node status.",
      };
}

export interface NodeUpdate {
  /** The new status, or undefined when the stored one stands. */
  status?: NodeStatus;
  /** Agent-owned labels to set (value) — only those that differ. */
  labels?: Record<string, string>;
  /** Agent-owned labels to remove (a runtime the device no longer has). */
  removeLabels?: string[];
  /** The new taint list, when lifecycle taints must come off. */
  taints?: Taint[];
  becameReady: boolean;
}

/** The Node changes a sync report implies: status from the report, Ready=True, lifecycle taints off. */
export function nodeUpdateFromReport(node: Node, report: NodeReport, now: number): NodeUpdate {
  const previousReady = node.status?.conditions?.find((c) => c.type === "Ready");
  const becameReady = previousReady?.status !== "True";
  const others = (report.conditions ?? []).filter((c) => c.type !== "Ready");
  const status: NodeStatus = {
    ...node.status,
    conditions: [...others, readyCondition("True", previousReady, now)],
    ...(report.addresses ? { addresses: report.addresses } : {}),
    ...(report.capacity ? { capacity: report.capacity } : {}),
    ...(report.allocatable ? { allocatable: report.allocatable } : {}),
    ...(report.nodeInfo ? { nodeInfo: { ...node.status?.nodeInfo, ...report.nodeInfo } as NodeStatus["nodeInfo"] } : {}),
  };
  const withoutHeartbeat = (s: NodeStatus | undefined) => ({
    ...s,
    conditions: s?.conditions?.map(({ lastHeartbeatTime: _h, ...c }) => c),
  });
  const labels: Record<string, string> = {};
  for (const key of agentOwnedLabels) {
    const value = report.labels?.[key];
    if (value !== undefined && node.metadata.labels?.[key] !== value) labels[key] = value;
  }
  const removeLabels: string[] = [];
  if (report.runtimes) {
    const wanted = new Set(report.runtimes.map((r) => `${runtimeLabelPrefix}${r}`));
    for (const key of wanted) if (node.metadata.labels?.[key] !== "true") labels[key] = "true";
    for (const key of Object.keys(node.metadata.labels ?? {})) if (key.startsWith(runtimeLabelPrefix) && !wanted.has(key)) removeLabels.push(key);
  }
  const taints = node.spec.taints ?? [];
  const kept = taints.filter((t) => !lifecycleTaintKeys.has(t.key));
  return {
    ...(becameReady || !jsonEqual(withoutHeartbeat(status), withoutHeartbeat(node.status)) ? { status } : {}),
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(removeLabels.length ? { removeLabels } : {}),
    ...(kept.length !== taints.length ? { taints: kept } : {}),
    becameReady,
  };
}

const serverTimedConditions = new Set(["Ready", "ContainersReady"]);

/**
 * The pod status to store for a report, or undefined when nothing changed. Ready and
 * ContainersReady transitions get the control plane's time; other fields are the device's.
 */
export function podStatusFromReport(pod: Pod, reported: PodStatus, now: number): PodStatus | undefined {
  const stored = pod.status ?? {};
  const conditions: PodCondition[] = (reported.conditions ?? []).map((condition) => {
    if (!serverTimedConditions.has(condition.type)) return condition;
    const previous = stored.conditions?.find((c) => c.type === condition.type);
    const lastTransitionTime = previous && previous.status === condition.status && previous.lastTransitionTime ? previous.lastTransitionTime : rfc3339(now);
    return { ...condition, lastProbeTime: null, lastTransitionTime };
  });
  const next: PodStatus = { ...reported, conditions };
  return jsonEqual(next, stored) ? undefined : next;
}

/** Whether a status change can matter to the pod's DaemonSet (readiness, phase, liveness, pre-staging). */
export function podStatusMatters(before: PodStatus | undefined, after: PodStatus): boolean {
  const ready = (s: PodStatus | undefined) => s?.conditions?.find((c) => c.type === "Ready")?.status;
  return before?.phase !== after.phase || ready(before) !== ready(after) || stagingVerdict(before) !== stagingVerdict(after);
}

/** What the rollout decides on: a revision staged, or its staging failed ("still staging" changes nothing). */
function stagingVerdict(status: PodStatus | undefined): string | undefined {
  const report = stagingReportOf({ status });
  return report && report.kind !== "staging" ? `${report.kind}/${report.revision}` : undefined;
}

/** The Pod Ready condition forced to False, as MarkPodsNotReady does for an unreachable node. */
export function markPodNotReady(pod: Pod, now: number): PodStatus | undefined {
  const conditions = pod.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === "Ready");
  if (ready?.status === "False") return undefined;
  const updated: PodCondition = { type: "Ready", status: "False", lastProbeTime: null, lastTransitionTime: rfc3339(now), reason: "NodeNotReady", message: "node is not ready" };
  return { ...pod.status, conditions: [...conditions.filter((c) => c.type !== "Ready"), updated] };
}
