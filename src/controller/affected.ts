/**
 * @module
 * Which DaemonSets a node change concerns: those whose placement decision for the node differs
 * before and after (labels, taints, the node appearing or going). Only those are woken, so a fleet
 * of N nodes and M DaemonSets does not cost N × M controller passes for one label change.
 */
import { nodeShouldRunDaemonPod } from "../scheduling/index.ts";
import type { DaemonSet, Node } from "../resources/types.ts";

export function daemonSetsAffectedByNodeChange(daemonSets: readonly DaemonSet[], before: Node | undefined, after: Node | undefined): DaemonSet[] {
  return daemonSets.filter((ds) => {
    const was = before ? nodeShouldRunDaemonPod(before, ds) : undefined;
    const is = after ? nodeShouldRunDaemonPod(after, ds) : undefined;
    return was?.shouldRun !== is?.shouldRun || was?.shouldContinueRunning !== is?.shouldContinueRunning;
  });
}
