/**
 * @module
 * `getNodesToDaemonPods` and `getUnscheduledPodsWithoutNode`: daemon pods grouped by target
 * node. Go iterates these maps in random order; callers here walk them in node-name order.
 *
 * @example
 * const byNode = getNodesToDaemonPods(claimedPods, false);
 * byNode.get("node-1"); // pods targeting node-1, deleting ones included
 */

import type { Pod } from "../../resources/types.ts";
import { getTargetNodeName, isDeleting, isPodTerminal } from "./pod-util.ts";

export type NodeToDaemonPods = Map<string, Pod[]>;

/**
 * Pods whose target node cannot be read are left out. Terminal pods that are also being deleted
 * are left out too unless `includeDeletedTerminal` (only history cleanup wants them).
 */
export function getNodesToDaemonPods(pods: readonly Pod[], includeDeletedTerminal: boolean): NodeToDaemonPods {
  const byNode: NodeToDaemonPods = new Map();
  for (const pod of pods) {
    if (!includeDeletedTerminal && isPodTerminal(pod) && isDeleting(pod)) continue;
    const nodeName = getTargetNodeName(pod);
    if (nodeName === undefined) continue;
    const list = byNode.get(nodeName);
    if (list) list.push(pod);
    else byNode.set(nodeName, [pod]);
  }
  return byNode;
}

/** Node names of the map in a deterministic order (Go: random map order). */
export function sortedNodeNames(byNode: NodeToDaemonPods): string[] {
  return [...byNode.keys()].sort();
}

/**
 * Unbound pods whose target node does not exist: nothing else will ever remove them (PodGC only
 * handles bound pods). Pods already terminating are skipped so that a lingering unbound pod does
 * not turn into a delete on every pass (Kubernetes re-issues the delete; its expectations hide it).
 */
export function getUnscheduledPodsWithoutNode(existingNodes: ReadonlySet<string>, byNode: NodeToDaemonPods): Pod[] {
  const result: Pod[] = [];
  for (const nodeName of sortedNodeNames(byNode)) {
    if (existingNodes.has(nodeName)) continue;
    for (const pod of byNode.get(nodeName)!) {
      if (!pod.spec.nodeName && !isDeleting(pod)) result.push(pod);
    }
  }
  return result;
}
