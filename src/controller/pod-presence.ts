/**
 * @module
 * Which pod changes move a pod into or out of what pod (anti-)affinity sees (bound pods that have
 * not finished): the device sync tells the DaemonSets concerned about exactly these.
 *
 * @example
 * if (podPresenceChanged(stored.status, reported)) moved.push(stored);
 * moved.push(...podsMovedByMirrorWrites(nodePods, mirrorWrites));
 */
import type { Pod, PodStatus } from "../resources/types.ts";
import type { Write } from "../store/writes.ts";

const finished = (status: PodStatus | undefined) => status?.phase === "Succeeded" || status?.phase === "Failed";

/** A pod finishing (or, oddly, coming back from a finished phase) leaves or rejoins the pods affinity sees. */
export const podPresenceChanged = (before: PodStatus | undefined, after: PodStatus | undefined): boolean => finished(before) !== finished(after);

/** Mirror pods created or deleted by these writes, and those that finished or came back. */
export function podsMovedByMirrorWrites(stored: readonly Pod[], writes: readonly Write[]): Pod[] {
  const byName = new Map(stored.map((pod) => [`${pod.metadata.namespace}/${pod.metadata.name}`, pod]));
  return writes.flatMap((write): Pod[] => {
    if (write.op === "create" && write.object.kind === "Pod") return [write.object as Pod];
    if (write.op !== "delete" && write.op !== "setStatus") return [];
    const pod = byName.get(`${write.ref.namespace}/${write.ref.name}`);
    if (!pod) return [];
    if (write.op === "delete") return [pod];
    return podPresenceChanged(pod.status, write.status as PodStatus) ? [pod] : [];
  });
}
