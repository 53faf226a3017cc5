/**
 * @module
 * A DaemonSet's edge rollout settings (the `rollout.edgeset.dev/*` annotations, docs/rollouts.md)
 * as the page shows them, the counts the controller writes in `rollout.edgeset.dev/status` (read
 * by the control plane's own parser, so the page and `edgeset rollout status` agree), and the
 * merge patches of pause, resume and promote (what `edgeset rollout pause|resume|promote` sends).
 *
 * @example
 * rolloutCountsOf(ds)
 * // { updated: 3, desired: 5, reasons: [["offline", 2], ["not-ready", 0], ...], held: [["partition", 1], ...] }
 */
import { rolloutAnnotationPrefix, rolloutAnnotations, rolloutStatusAnnotation } from "../../src/resources/daemonset/rollout-policy.ts";
import { parseRolloutCounts } from "../../src/resources/daemonset/rollout-progress.ts";
import type { Condition, DaemonSet } from "./types.ts";

export interface EdgeSetting {
  /** The annotation name without the prefix: `paused`, `partition`, `skip-offline`... */
  name: string;
  value: string;
}

/** Every `rollout.edgeset.dev/*` setting on the DaemonSet, by name; the status annotation aside. */
export function edgeSettings(ds: DaemonSet): EdgeSetting[] {
  return Object.entries(ds.metadata.annotations ?? {})
    .filter(([key]) => key.startsWith(rolloutAnnotationPrefix) && key !== rolloutStatusAnnotation)
    .map(([key, value]) => ({ name: key.slice(rolloutAnnotationPrefix.length), value }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const isPaused = (ds: DaemonSet) => ds.metadata.annotations?.[rolloutAnnotations.paused] === "true";

const holdingAnnotations = [rolloutAnnotations.paused, rolloutAnnotations.partition, rolloutAnnotations.selector];

/** Promote has something to do: a pause, a partition or a selector holds nodes back. */
export const isHeldBack = (ds: DaemonSet) => holdingAnnotations.some((a) => ds.metadata.annotations?.[a] !== undefined);

/** The controller's counts as the page lists them, each under the name the annotation gives it. */
export interface RolloutCountsView {
  updated: number;
  desired: number;
  /** offline, not-ready, crash-looping, deferred, pending, in that order. */
  reasons: [string, number][];
  /** Nodes held back, by what holds them: partition, selector, paused. */
  held: [string, number][];
}

/** The `rollout.edgeset.dev/status` counts; undefined without the annotation or for a foreign value. */
export function rolloutCountsOf(ds: DaemonSet): RolloutCountsView | undefined {
  const c = parseRolloutCounts(ds.metadata.annotations?.[rolloutStatusAnnotation]);
  if (!c) return undefined;
  return {
    updated: c.updated,
    desired: c.desired,
    reasons: [["offline", c.offline], ["not-ready", c.notReady], ["crash-looping", c.crashLooping], ["deferred", c.deferred], ["pending", c.pending]],
    held: [["partition", c.heldPartition], ["selector", c.heldSelector], ["paused", c.heldPaused]],
  };
}

/** The controller's `Progressing` condition, when it set one (only with edge settings). */
export const progressingCondition = (ds: DaemonSet): Condition | undefined => ds.status?.conditions?.find((c) => c.type === "Progressing");

/** JSON merge patches (RFC 7386): null removes an annotation, other annotations stay. */
const annotate = (annotations: Record<string, string | null>) => JSON.stringify({ metadata: { annotations } });

export const pausePatch = () => annotate({ [rolloutAnnotations.paused]: "true" });
export const resumePatch = () => annotate({ [rolloutAnnotations.paused]: null });
/** The held-back nodes go too: partition and selector removed, and the pause. */
export const promotePatch = () => annotate(Object.fromEntries(holdingAnnotations.map((a) => [a, null])));
