/**
 * @module
 * The pod action planner: desired pods (the assignments) against what the runtime holds, to the
 * actions that make them match. Pure; the agent applies the actions. Like the kubelet's
 * HandlePodAdditions / HandlePodRemoves / HandlePodCleanups folded into one pass:
 *
 * - an assigned pod without deletionTimestamp is synced (started, kept, restarted);
 * - an assigned pod with deletionTimestamp is killed with its deletion grace period; once nothing
 *   of it runs (or if it never started) its uid is reported terminated;
 * - a pod the runtime holds that is no longer assigned is killed, then removed once stopped.
 *
 * A pod being stopped is left alone until its kill finishes.
 *
 * @example
 * planPodActions([podA], runtime.listPods())
 * // { sync: [podA], kill: [{ uid: "old", gracePeriodSeconds: 30, reason: "unassigned" }], remove: [], terminated: [] }
 */
import type { Pod } from "../../src/resources/types.ts";
import type { RuntimePodSnapshot } from "../runtime/runtime.ts";
import { defaultTerminationGracePeriodSeconds } from "../../src/protocol/pod-defaults.ts";

export interface KillAction {
  uid: string;
  namespace: string;
  name: string;
  gracePeriodSeconds: number;
  reason: "deleted" | "unassigned";
}

export interface PodActions {
  sync: Pod[];
  kill: KillAction[];
  /** Stopped pods that are no longer assigned: forget them. */
  remove: string[];
  /** Terminating assigned pods with nothing left running (SyncRequest.terminated), sorted. */
  terminated: string[];
}

/** The grace period a kill uses: the deletion's own, else the spec's, else 30 s. */
export function gracePeriodFor(pod: Pod): number {
  const deletion = pod.metadata.deletionTimestamp ? pod.metadata.deletionGracePeriodSeconds : undefined;
  const grace = deletion ?? pod.spec.terminationGracePeriodSeconds ?? defaultTerminationGracePeriodSeconds;
  return Math.max(0, grace);
}

export function planPodActions(assigned: Pod[], running: RuntimePodSnapshot[]): PodActions {
  const actions: PodActions = { sync: [], kill: [], remove: [], terminated: [] };
  const byUid = new Map(running.map((r) => [r.uid, r]));
  const assignedUids = new Set<string>();

  for (const pod of assigned) {
    const uid = pod.metadata.uid;
    if (!uid) continue;
    assignedUids.add(uid);
    const current = byUid.get(uid);
    if (pod.metadata.deletionTimestamp) {
      if (!current || current.phase === "stopped") actions.terminated.push(uid);
      else if (current.phase === "active") actions.kill.push(killOf(pod, uid, "deleted"));
    } else if (!current || current.phase !== "stopping") {
      actions.sync.push(pod);
    }
  }

  for (const current of running) {
    if (assignedUids.has(current.uid)) continue;
    if (current.phase === "active") actions.kill.push(killOf(current.pod, current.uid, "unassigned"));
    else if (current.phase === "stopped") actions.remove.push(current.uid);
  }
  actions.terminated.sort();
  return actions;
}

function killOf(pod: Pod, uid: string, reason: KillAction["reason"]): KillAction {
  return {
    uid,
    namespace: pod.metadata.namespace ?? "default",
    name: pod.metadata.name ?? uid,
    gracePeriodSeconds: gracePeriodFor(pod),
    reason,
  };
}
