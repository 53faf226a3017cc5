/**
 * @module
 * Pod predicates the controller shares (Kubernetes `podutil` and `daemon/util`): readiness,
 * availability against minReadySeconds, "updated" against the current hash or template
 * generation, the target node of a pod, and the "oldest pod" order.
 *
 * @example
 * isPodAvailable(pod, 30, now);                   // Ready for at least 30 s
 * isPodUpdated(pod, hash, getTemplateGeneration(ds));
 * pods.sort(compareByCreationTimestampAndPhase);  // oldest first
 */

import type { DaemonSet, ObjectMeta, OwnerReference, Pod, PodCondition } from "../../resources/types.ts";
import { wellKnown } from "../../resources/types.ts";

export function getPodReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === "Ready");
}

export function isPodReady(pod: Pod): boolean {
  return getPodReadyCondition(pod)?.status === "True";
}

/** Milliseconds of an RFC 3339 timestamp; undefined for a missing or unparsable one (Go's zero time). */
export function parseTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * When a Ready pod becomes available (ms), or undefined if it never will without a change
 * (not Ready, or Ready with no transition time while minReadySeconds > 0).
 */
export function podAvailableAt(pod: Pod, minReadySeconds: number): number | undefined {
  const ready = getPodReadyCondition(pod);
  if (ready?.status !== "True") return undefined;
  if (minReadySeconds === 0) return Number.NEGATIVE_INFINITY;
  const since = parseTime(ready.lastTransitionTime);
  return since === undefined ? undefined : since + minReadySeconds * 1000;
}

/** `podutil.IsPodAvailable`: Ready, and Ready since at least minReadySeconds (transition + min <= now). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const at = podAvailableAt(pod, minReadySeconds);
  return at !== undefined && at <= now;
}

/** `util.GetTemplateGeneration`: the generation annotation as an integer; undefined if absent or unparsable. */
export function getTemplateGeneration(ds: DaemonSet): number | undefined {
  const raw = ds.metadata.annotations?.[wellKnown.templateGenerationAnnotation];
  if (raw === undefined || !/^[+-]?[0-9]+$/.test(raw)) return undefined;
  return Number.parseInt(raw, 10);
}

/** `util.IsPodUpdated`: the pod carries the current hash, or the current template generation. */
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const templateMatches =
    generation !== undefined && labels[wellKnown.podTemplateGeneration] === String(generation);
  const hashMatches = hash.length > 0 && labels[wellKnown.controllerRevisionHash] === hash;
  return hashMatches || templateMatches;
}

export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

export function isDeleting(obj: { metadata: ObjectMeta }): boolean {
  return Boolean(obj.metadata.deletionTimestamp);
}

/** `metav1.GetControllerOf`. */
export function controllerOf(obj: { metadata: ObjectMeta }): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/**
 * `util.GetTargetNodeName`: spec.nodeName, else the single value of the first
 * `matchFields metadata.name In [...]` requirement of the required node affinity.
 */
export function getTargetNodeName(pod: Pod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const term of terms ?? []) {
    for (const req of term.matchFields ?? []) {
      if (req.key === "metadata.name" && req.operator === "In") {
        return req.values?.length === 1 ? req.values[0] : undefined;
      }
    }
  }
  return undefined;
}

/**
 * `podByCreationTimestampAndPhase`: bound pods first, then by creationTimestamp, then by name.
 * A missing timestamp is Go's zero time, older than any other.
 */
export function compareByCreationTimestampAndPhase(a: Pod, b: Pod): number {
  const aBound = Boolean(a.spec.nodeName);
  const bBound = Boolean(b.spec.nodeName);
  if (aBound !== bBound) return aBound ? -1 : 1;
  const at = parseTime(a.metadata.creationTimestamp) ?? Number.NEGATIVE_INFINITY;
  const bt = parseTime(b.metadata.creationTimestamp) ?? Number.NEGATIVE_INFINITY;
  if (at !== bt) return at < bt ? -1 : 1;
  const an = a.metadata.name ?? "";
  const bn = b.metadata.name ?? "";
  return an < bn ? -1 : an > bn ? 1 : 0;
}
