/**
 * @module
 * The planner's contract with the Durable Object shell: a snapshot of one DaemonSet's world
 * goes in ({@link PlannerInput}), the actions of one reconcile pass come out ({@link Plan}).
 * Placement is a dependency ({@link PlannerDeps}) so the planner can be tested with a fake.
 *
 * @example
 * const plan: Plan = planDaemonSet({ ds, nodes, pods, revisions, now, failedPodBackoff: {} });
 * // plan.createPods -> POST each pod; plan.deletePods -> set deletionTimestamp; ...
 */

import type {
  ControllerRevision,
  DaemonSet,
  DaemonSetStatus,
  Namespace,
  Node,
  OwnerReference,
  Pod,
  PodCondition,
  PodSpec,
} from "../../resources/types.ts";
import type { ConfigReference } from "../../resources/config-refs.ts";
import type { IncomingPod, PodAffinityFit, PodAffinityWorld } from "../../scheduling/index.ts";
import type { RollbackAction } from "./rollout.ts";
import type { RolloutRecord } from "./rollout-record.ts";

/** What `nodeShouldRunDaemonPod` answers for one (node, DaemonSet) pair. */
export interface Placement {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
  reason?: string;
  /** Problems found while evaluating (an unusable affinity term); surfaced as FailedPlacement events. */
  warnings: string[];
}

/** Placement and toleration defaulting, owned by src/scheduling; injectable for tests. */
export interface PlannerDeps {
  nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): Placement;
  addDaemonPodTolerations(spec: PodSpec): PodSpec;
  /** The scheduler's filters for one pod on one node; `world` undefined skips inter-pod affinity. */
  podFitsNode(pod: IncomingPod, node: Node, world: PodAffinityWorld | undefined): PodAffinityFit;
}

/**
 * What required pod (anti-)affinity is checked against: the pods bound to nodes, in every
 * namespace (terminal ones are ignored), and the namespaces (for namespaceSelector).
 */
export interface SchedulingWorld {
  pods: readonly Pod[];
  namespaces: readonly Namespace[];
}

export interface PlannerInput {
  /** apps/v1 form, already defaulted; may carry metadata.deletionTimestamp. */
  ds: DaemonSet;
  nodes: readonly Node[];
  /** Pods of the DS namespace controlled by this DS (ownerRef uid) or orphans; other pods are ignored. */
  pods: readonly Pod[];
  /** ControllerRevisions of the namespace controlled by this DS, or orphans. */
  revisions: readonly ControllerRevision[];
  /** Milliseconds since the epoch. */
  now: number;
  /**
   * The failed-pod backoff table returned by the previous pass ({@link Plan.failedPodBackoff}).
   * Key `<dsUID>/<observedGeneration>/<node>` -> backoff-until (ms); each such key has a companion
   * `<key>#backoff` -> the current delay (ms), which is how the delay doubles like flowcontrol.Backoff.
   */
  failedPodBackoff: Readonly<Record<string, number>>;
  /**
   * The pods and namespaces pod (anti-)affinity is judged against. Absent: no pod can matter (the
   * DaemonSet has no required pod (anti-)affinity terms and no bound pod has anti-affinity terms),
   * and every pod is bound to its node as soon as the node's filters pass.
   */
  world?: SchedulingWorld;
  /** The rollout record the previous pass returned ({@link Plan.rollout}); absent for a first pass. */
  rollout?: RolloutRecord;
  /** BurstReplicas: creates per pass (default 250). */
  maxCreates?: number;
  /** BurstReplicas: deletes per pass (default 250). */
  maxDeletes?: number;
}

/** Why the planner deletes a pod (free text for logs and the shell; not a Kubernetes field). */
export type DeleteReason =
  | "Failed"
  | "Succeeded"
  | "ExcessPod"
  | "NodeNotEligible"
  | "UnscheduledOnMissingNode"
  | "SurgeReplaced"
  | "RollingUpdate"
  | "DaemonSetDeleted";

export interface PodDelete {
  name: string;
  uid: string;
  reason: DeleteReason;
}

/** A merge patch on a pod: `null` removes a label, or the whole ownerReferences list. */
export interface PodPatch {
  name: string;
  uid: string;
  labels?: Record<string, string | null>;
  ownerReferences?: OwnerReference[] | null;
  /**
   * Pre-staging: the `rollout.edgeset.dev/upcoming` annotation to set (or null: remove), with the
   * pod's config references afterwards (the node gets the upcoming revision's ConfigMaps and Secrets).
   */
  upcoming?: { value: string | null; configRefs: ConfigReference[] };
}

/** Fields to replace on an existing revision (its data is immutable). */
export interface RevisionUpdate {
  name: string;
  revision?: number;
  labels?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

/** An unbound pod that now fits its node: `spec.nodeName` is set and PodScheduled turns True. */
export interface PodBinding {
  name: string;
  uid: string;
  nodeName: string;
}

/** An unbound pod that still does not fit: the PodScheduled=False condition to store (only when it changed). */
export interface PodUnschedulable {
  name: string;
  uid: string;
  condition: PodCondition;
}

export interface PlanEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export interface Plan {
  /**
   * Full pod objects to create, `metadata.generateName` `<ds>-` and no name (the shell names them).
   * The i-th `SuccessfulCreate` event belongs to the i-th pod here. A pod that fits its node is
   * bound (`spec.nodeName`, PodScheduled True); one that does not is created Pending and unbound,
   * with PodScheduled False / Unschedulable, and no device runs it.
   */
  createPods: Pod[];
  /** Existing unbound pods to bind now. */
  bindPods: PodBinding[];
  /** Existing unbound pods that stay Pending, with a new PodScheduled condition. */
  unschedulablePods: PodUnschedulable[];
  /** Graceful deletes: the shell sets metadata.deletionTimestamp. */
  deletePods: PodDelete[];
  /** Adopt / release / relabel, at most one entry per pod. */
  patchPods: PodPatch[];
  createRevisions: ControllerRevision[];
  updateRevisions: RevisionUpdate[];
  deleteRevisions: string[];
  /** The status to write, or undefined to leave it alone (nothing changed, SelectingAll, deletion, collision). */
  status: DaemonSetStatus | undefined;
  /** Set when snapshot hit a name collision: write status.collisionCount and run again. */
  collisionCount?: number;
  events: PlanEvent[];
  /** The new backoff table (expired entries dropped). */
  failedPodBackoff: Record<string, number>;
  /** Run again after this many ms even if nothing changes (0 = right away). */
  requeueAfterMs?: number;
  /** `controller-revision-hash` of the current revision; "" when the pass found none. */
  currentHash: string;
  /** The rollout record to keep for the next pass (undefined: keep none). */
  rollout?: RolloutRecord;
  /**
   * An automatic rollback: the shell replaces the DaemonSet's template with the revision's (bumping
   * generation and template generation, and setting its change-cause), as `kubectl rollout undo` would.
   */
  rollback?: RollbackAction;
  /** The `rollout.edgeset.dev/status` annotation to write (only when it changed); null removes it. */
  rolloutStatusAnnotation?: string | null;
}
