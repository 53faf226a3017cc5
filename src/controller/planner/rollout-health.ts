/**
 * @module
 * Whether the rollout of the current revision failed: no progress for `progressDeadlineSeconds`,
 * or new pods failing on more than `failureThreshold` of the nodes the revision reached (once it
 * reached at least the budget's worth of nodes, so a single early failure with a large budget is
 * not yet a verdict).
 *
 * A new pod fails when a container is in CrashLoopBackOff (or restarted 3 times and the pod is not
 * Ready), or it has not been Ready for the ready deadline (progressDeadlineSeconds, or 600 s, the
 * Deployment default) since it was created. Pods on free (offline, skip-offline) nodes are not
 * judged: the device is not there to run them.
 *
 * Boundaries: failing/reached exactly at the threshold is not a failure ("more than a threshold").
 *
 * @example
 * const h = judgeRollout({ policy, record, nodes, free, minReached: 1, now, minReadySeconds: 0 });
 * h.failure; // { reason: "FailureThresholdExceeded", message: "new pods failed on 1 of 1 nodes ...", at }
 */
import type { RolloutPolicy } from "../../resources/daemonset/rollout-policy.ts";
import type { Pod } from "../../resources/types.ts";
import { isPodAvailable, isPodReady, parseTime } from "./pod-util.ts";
import type { NodeRevisionState } from "./rollout-gates.ts";
import type { RolloutFailure, RolloutRecord } from "./rollout-record.ts";

export const defaultReadyDeadlineSeconds = 600;

export function isCrashLooping(pod: Pod): boolean {
  return (pod.status?.containerStatuses ?? []).some(
    (c) => c.state?.waiting?.reason === "CrashLoopBackOff" || ((c.restartCount ?? 0) >= 3 && !isPodReady(pod)),
  );
}

export interface HealthInput {
  policy: RolloutPolicy;
  record: RolloutRecord;
  nodes: readonly NodeRevisionState[];
  free: ReadonlySet<string>;
  /** Nodes the revision must reach before the failure threshold is judged. */
  minReached: number;
  /** Whether there is anything left to roll out (no deadline once complete, held or paused). */
  waiting: boolean;
  now: number;
  minReadySeconds: number;
}

export interface Health {
  reached: number;
  failing: string[];
  /** The progress measure: changes whenever a node gets, or becomes available on, the revision. */
  progressKey: string;
  /** A new verdict (undefined when there is none, or the record already has one). */
  failure?: RolloutFailure;
  /** When to look again (a ready deadline or the progress deadline expiring). */
  nextCheckAt?: number;
}

export function judgeRollout(input: HealthInput): Health {
  const { policy, record, now } = input;
  const readyDeadlineMs = (policy.progressDeadlineSeconds ?? defaultReadyDeadlineSeconds) * 1000;
  let reached = 0;
  let available = 0;
  const failing: string[] = [];
  let nextCheckAt: number | undefined;
  const later = (at: number) => (nextCheckAt = nextCheckAt === undefined ? at : Math.min(nextCheckAt, at));
  for (const s of input.nodes) {
    if (!s.ok || !s.newPod || !s.newPod.spec.nodeName) continue;
    reached++;
    if (isPodAvailable(s.newPod, input.minReadySeconds, now)) available++;
    if (input.free.has(s.name)) continue;
    if (isCrashLooping(s.newPod)) {
      failing.push(s.name);
    } else if (!isPodReady(s.newPod)) {
      const since = parseTime(s.newPod.metadata.creationTimestamp) ?? now;
      if (now - since > readyDeadlineMs) failing.push(s.name);
      else later(since + readyDeadlineMs + 1);
    }
  }
  const health: Health = { reached, failing, progressKey: `${reached}/${available}` };
  if (record.failed) return health;

  const threshold = policy.failureThresholdPercent;
  if (threshold !== undefined && reached >= input.minReached && failing.length * 100 > threshold * reached) {
    health.failure = {
      reason: "FailureThresholdExceeded",
      message: `new pods failed on ${failing.length} of ${reached} nodes reached (${failing.slice(0, 5).join(", ")}${failing.length > 5 ? ", ..." : ""}), more than the failure threshold of ${threshold}%`,
      at: now,
    };
    return health;
  }
  const deadline = policy.progressDeadlineSeconds;
  if (deadline !== undefined && input.waiting && !policy.paused) {
    const progressAt = health.progressKey === record.progressKey ? record.progressAt : now;
    const expires = progressAt + deadline * 1000;
    if (now > expires) {
      health.failure = { reason: "ProgressDeadlineExceeded", message: `no progress for ${deadline}s (${available} of ${reached} nodes reached are available)`, at: now };
    } else {
      later(expires + 1);
    }
  }
  if (nextCheckAt !== undefined) health.nextCheckAt = nextCheckAt;
  return health;
}
