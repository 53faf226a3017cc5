/**
 * @module
 * A DaemonSet's edge rollout settings (the `rollout.edgeset.dev/*` annotations, docs/rollouts.md)
 * as the page shows them, the counts the controller writes in `rollout.edgeset.dev/status`, and the
 * merge patches of pause, resume and promote (what `edgeset rollout pause|resume|promote` sends).
 *
 * @example
 * parseRolloutCounts("updated=3/5 offline=2 deferred=0 held=partition:1,selector:0,paused:0")
 * // { updated: 3, desired: 5, offline: 2, deferred: 0, held: { partition: 1, selector: 0, paused: 0 } }
 */
import type { Condition, DaemonSet } from "./types.ts";

export const rolloutPrefix = "rollout.edgeset.dev/";
export const pausedAnnotation = `${rolloutPrefix}paused`;
export const partitionAnnotation = `${rolloutPrefix}partition`;
export const selectorAnnotation = `${rolloutPrefix}selector`;
/** Written by the controller, not a setting. */
export const statusAnnotation = `${rolloutPrefix}status`;

export interface EdgeSetting {
  /** The annotation name without the prefix: `paused`, `partition`, `skip-offline`... */
  name: string;
  value: string;
}

/** Every `rollout.edgeset.dev/*` setting on the DaemonSet, by name; the status annotation aside. */
export function edgeSettings(ds: DaemonSet): EdgeSetting[] {
  return Object.entries(ds.metadata.annotations ?? {})
    .filter(([key]) => key.startsWith(rolloutPrefix) && key !== statusAnnotation)
    .map(([key, value]) => ({ name: key.slice(rolloutPrefix.length), value }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const isPaused = (ds: DaemonSet) => ds.metadata.annotations?.[pausedAnnotation] === "true";

/** Promote has something to do: a pause, a partition or a selector holds nodes back. */
export const isHeldBack = (ds: DaemonSet) => [pausedAnnotation, partitionAnnotation, selectorAnnotation].some((a) => ds.metadata.annotations?.[a] !== undefined);

/** The controller's counts, each `key=number` (`updated=n/desired`, `held=reason:n,...`) read as it is found. */
export interface RolloutCounts {
  updated?: number;
  desired?: number;
  /** offline, not-ready, crash-looping, deferred, pending... */
  [reason: string]: number | Record<string, number> | undefined;
  held?: Record<string, number>;
}

/** Undefined without the annotation or when nothing in it reads as a count (a foreign value). */
export function parseRolloutCounts(text: string | undefined): RolloutCounts | undefined {
  if (!text) return undefined;
  const counts: RolloutCounts = {};
  let found = false;
  // Bounded: the controller writes a few dozen characters; anything past 1 KB is not its.
  for (const word of text.slice(0, 1024).split(/\s+/)) {
    const [key, value = ""] = word.split("=", 2) as [string, string?];
    if (key === "updated" && /^\d+\/\d+$/.test(value)) {
      const [updated, desired] = value.split("/").map(Number);
      Object.assign(counts, { updated, desired });
      found = true;
    } else if (key === "held") {
      const held: Record<string, number> = {};
      for (const part of value.split(",")) {
        const [reason, n] = part.split(":");
        if (reason && /^\d+$/.test(n ?? "")) held[reason] = Number(n);
      }
      if (Object.keys(held).length) (counts.held = held), (found = true);
    } else if (/^[a-z-]+$/.test(key) && /^\d+$/.test(value)) {
      counts[key] = Number(value);
      found = true;
    }
  }
  return found ? counts : undefined;
}

/** The controller's `Progressing` condition, when it set one (only with edge settings). */
export const progressingCondition = (ds: DaemonSet): Condition | undefined => ds.status?.conditions?.find((c) => c.type === "Progressing");

/** JSON merge patches (RFC 7386): null removes an annotation, other annotations stay. */
const annotate = (annotations: Record<string, string | null>) => JSON.stringify({ metadata: { annotations } });

export const pausePatch = () => annotate({ [pausedAnnotation]: "true" });
export const resumePatch = () => annotate({ [pausedAnnotation]: null });
/** The held-back nodes go too: partition and selector removed, and the pause. */
export const promotePatch = () => annotate({ [pausedAnnotation]: null, [partitionAnnotation]: null, [selectorAnnotation]: null });
