/**
 * @module
 * The edge rollout settings of a DaemonSet, carried as `rollout.edgeset.dev/*` annotations (a real
 * cluster ignores them, so a manifest stays portable). {@link parseRolloutPolicy} is the one place
 * they are read: the API validates with it (422 naming the annotation) and the planner acts on
 * its result. No annotation at all gives `undefined`: the rollout is exactly Kubernetes'.
 *
 * @example
 * parseRolloutPolicy({ "rollout.edgeset.dev/partition": "20%" })
 * // { policy: { skipOffline: false, partition: "20%", paused: false, ... }, errors: [] }
 * parseRolloutPolicy({ "rollout.edgeset.dev/partition": "-1" }).errors
 * // [{ field: "metadata.annotations[rollout.edgeset.dev/partition]", ... }]
 */
import { invalid, key, notSupported, type FieldError } from "../field-errors.ts";
import { matchesLabels, type Selector } from "../label-selector.ts";
import { parseLabelSelector } from "../label-selector-parse.ts";

export const rolloutAnnotationPrefix = "rollout.edgeset.dev/";

export const rolloutAnnotations = {
  skipOffline: "rollout.edgeset.dev/skip-offline",
  partition: "rollout.edgeset.dev/partition",
  selector: "rollout.edgeset.dev/selector",
  paused: "rollout.edgeset.dev/paused",
  progressDeadlineSeconds: "rollout.edgeset.dev/progress-deadline-seconds",
  failureThreshold: "rollout.edgeset.dev/failure-threshold",
  autoRollback: "rollout.edgeset.dev/auto-rollback",
  allowDefer: "rollout.edgeset.dev/allow-defer",
  prestage: "rollout.edgeset.dev/prestage",
} as const;

/** Written by the controller (the counts `kubectl describe ds` shows); accepted and ignored on input. */
export const rolloutStatusAnnotation = "rollout.edgeset.dev/status";

export interface RolloutPolicy {
  skipOffline: boolean;
  /** Desired nodes kept on the old revision: a count or `"N%"` of the desired nodes (rounded up). */
  partition?: number | string;
  /** Only nodes whose labels match are updated; the text as given (for messages). */
  selector?: { text: string; matches(labels: Record<string, string> | undefined): boolean };
  paused: boolean;
  progressDeadlineSeconds?: number;
  /** Percent (0-100) of the nodes a revision reached that may fail before the rollout is failed. */
  failureThresholdPercent?: number;
  autoRollback: boolean;
  allowDefer: boolean;
  /**
   * Nodes still on the old revision are told the upcoming one (its pod spec) so their devices
   * pull its images and write its ConfigMaps and Secrets before their turn (docs/rollouts.md).
   */
  prestage: boolean;
}

/** The largest integer a numeric annotation takes (a year of seconds is plenty, and keeps `* 1000` exact). */
const maxSeconds = 31_536_000;
const maxPartition = 1_000_000_000;

export function parseRolloutPolicy(annotations: Record<string, string> | undefined): { policy?: RolloutPolicy; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const present = Object.keys(annotations ?? {}).filter((k) => k.startsWith(rolloutAnnotationPrefix) && k !== rolloutStatusAnnotation);
  if (present.length === 0) return { errors };
  const a = annotations!;
  const path = (name: string) => key("metadata.annotations", name);
  const known = Object.values(rolloutAnnotations) as string[];
  for (const name of present) if (!known.includes(name)) errors.push(notSupported(path(name), name, known));

  const flag = (name: string): boolean => {
    const value = a[name];
    if (value === undefined) return false;
    if (value === "true" || value === "false") return value === "true";
    errors.push(invalid(path(name), value, `must be "true" or "false"`));
    return false;
  };
  const integer = (name: string, max: number): number | undefined => {
    const value = a[name];
    if (value === undefined) return undefined;
    if (/^[0-9]+$/.test(value) && Number(value) <= max) return Number(value);
    errors.push(invalid(path(name), value, `must be a non-negative integer no larger than ${max}`));
    return undefined;
  };
  const percent = (name: string): number | undefined => {
    const value = a[name];
    if (value === undefined) return undefined;
    const m = /^([0-9]{1,3})%$/.exec(value);
    if (m && Number(m[1]) <= 100) return Number(m[1]);
    errors.push(invalid(path(name), value, `must be a percentage from 0% to 100% (e.g. "20%")`));
    return undefined;
  };

  const policy: RolloutPolicy = {
    skipOffline: flag(rolloutAnnotations.skipOffline),
    paused: flag(rolloutAnnotations.paused),
    autoRollback: flag(rolloutAnnotations.autoRollback),
    allowDefer: flag(rolloutAnnotations.allowDefer),
    prestage: flag(rolloutAnnotations.prestage),
  };

  const partition = a[rolloutAnnotations.partition];
  if (partition !== undefined) {
    if (/^[0-9]{1,3}%$/.test(partition) && Number(partition.slice(0, -1)) <= 100) policy.partition = partition;
    else if (/^[0-9]+$/.test(partition) && Number(partition) <= maxPartition) policy.partition = Number(partition);
    else errors.push(invalid(path(rolloutAnnotations.partition), partition, `must be a non-negative integer or a percentage up to 100% (e.g. "3" or "20%")`));
  }

  const selector = a[rolloutAnnotations.selector];
  if (selector !== undefined) {
    try {
      const parsed: Selector = parseLabelSelector(selector);
      policy.selector = { text: selector, matches: (labels) => matchesLabels(parsed, labels) };
    } catch (err) {
      errors.push(invalid(path(rolloutAnnotations.selector), selector, `must be a label selector: ${(err as Error).message}`));
    }
  }

  const deadline = integer(rolloutAnnotations.progressDeadlineSeconds, maxSeconds);
  if (deadline === 0) errors.push(invalid(path(rolloutAnnotations.progressDeadlineSeconds), "0", "must be greater than 0"));
  else if (deadline !== undefined) policy.progressDeadlineSeconds = deadline;
  const threshold = percent(rolloutAnnotations.failureThreshold);
  if (threshold !== undefined) policy.failureThresholdPercent = threshold;
  return errors.length ? { errors } : { policy, errors };
}
