/**
 * @module
 * Pre-staging on the wire (`rollout.edgeset.dev/prestage`). The control plane tells a device the
 * revision coming to one of its pods with the annotation {@link upcomingAnnotation} on the pod it
 * runs now (the old revision's), delivered with the node's assignments like any pod change; the
 * device prepares it (images pulled, ConfigMap and Secret volumes written to a staging dir,
 * nothing started) and reports the pod condition {@link stagedConditionType} on that same pod.
 * Shared by the Worker and the agent; pure.
 *
 * @example
 * pod.metadata.annotations["rollout.edgeset.dev/upcoming"] = formatUpcoming({ revision: "5f7c9d8b", spec });
 * // the agent, once staged, reports on the old pod:
 * // { type: "rollout.edgeset.dev/Staged", status: "True", reason: "Staged", message: "revision 5f7c9d8b: 1 image pulled, 1 volume written" }
 * stagedRevisionOf(pod) // "5f7c9d8b"
 */
import type { PodCondition, PodSpec } from "../resources/types.ts";

/** On a pod of the old revision: JSON `{"revision": "<controller-revision-hash>", "spec": <the new revision's PodSpec>}`. */
export const upcomingAnnotation = "rollout.edgeset.dev/upcoming";

/**
 * The pod condition a device reports on the pod carrying {@link upcomingAnnotation}: `True` with
 * reason `Staged` once everything it can prepare is prepared, `False` with `Staging` while it
 * works, or `StagingFailed` (the message says what). The message starts with `revision <hash>`,
 * so a condition about an earlier upcoming revision is never mistaken for this one.
 */
export const stagedConditionType = "rollout.edgeset.dev/Staged";

export interface Upcoming {
  /** The `controller-revision-hash` of the revision coming. */
  revision: string;
  spec: PodSpec;
}

export function formatUpcoming(upcoming: Upcoming): string {
  return JSON.stringify({ revision: upcoming.revision, spec: upcoming.spec });
}

/** The upcoming revision an annotation value names, or undefined for a missing or malformed one. */
export function parseUpcoming(value: string | undefined): Upcoming | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value) as { revision?: unknown; spec?: unknown };
    if (typeof parsed.revision !== "string" || !parsed.revision) return undefined;
    if (!parsed.spec || typeof parsed.spec !== "object" || !Array.isArray((parsed.spec as PodSpec).containers)) return undefined;
    return { revision: parsed.revision, spec: parsed.spec as PodSpec };
  } catch {
    return undefined;
  }
}

export type StagingState = { kind: "staging" } | { kind: "staged"; detail: string } | { kind: "failed"; message: string };

/** The condition for one staging state of `revision` (no timestamps: an unchanged state is the same bytes). */
export function stagedCondition(revision: string, state: StagingState): PodCondition {
  if (state.kind === "staged") return { type: stagedConditionType, status: "True", reason: "Staged", message: `revision ${revision}: ${state.detail}` };
  if (state.kind === "failed") return { type: stagedConditionType, status: "False", reason: "StagingFailed", message: `revision ${revision}: ${state.message}` };
  return { type: stagedConditionType, status: "False", reason: "Staging", message: `revision ${revision}` };
}

type WithConditions = { status?: { conditions?: readonly PodCondition[] } };

/** What a pod's device reports about staging, and for which revision; undefined without a (readable) condition. */
export function stagingReportOf(pod: WithConditions): { revision: string; kind: StagingState["kind"] } | undefined {
  const condition = pod.status?.conditions?.find((c) => c.type === stagedConditionType);
  const revision = /^revision (\S+?):?(\s|$)/.exec(condition?.message ?? "")?.[1];
  if (!condition || !revision) return undefined;
  return { revision, kind: condition.status === "True" ? "staged" : condition.reason === "StagingFailed" ? "failed" : "staging" };
}

/** The revision a pod's device reports staged, if any. */
export function stagedRevisionOf(pod: WithConditions): string | undefined {
  const report = stagingReportOf(pod);
  return report?.kind === "staged" ? report.revision : undefined;
}
