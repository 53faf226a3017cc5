/**
 * @module
 * The tolerations every daemon pod gets (`AddOrUpdateDaemonPodTolerations` in the daemon
 * controller's `util/daemonset_util.go`), merged with `AddOrUpdateTolerationInPodSpec`: a user
 * toleration with the same key, operator, value and effect is replaced by the default (so a
 * `tolerationSeconds` on not-ready/unreachable is dropped), anything else is kept and the
 * defaults are appended after it.
 *
 * @example
 * addDaemonPodTolerations({ containers: [] }).tolerations
 * // not-ready:NoExecute, unreachable:NoExecute, disk/memory/pid-pressure:NoSchedule, unschedulable:NoSchedule
 */

import { wellKnown, type PodSpec, type Toleration } from "../resources/types.ts";

const exists = (key: string, effect: "NoExecute" | "NoSchedule"): Toleration => ({ key, operator: "Exists", effect });

/** In Kubernetes' order; network-unavailable only for hostNetwork pods. */
export function defaultDaemonTolerations(hostNetwork: boolean | undefined): Toleration[] {
  const defaults = [
    // Survive taint-based eviction when the node turns NotReady or unreachable.
    exists(wellKnown.taintNotReady, "NoExecute"),
    exists(wellKnown.taintUnreachable, "NoExecute"),
    // TaintNodesByCondition: daemons run despite pressure and cordoning.
    exists(wellKnown.taintDiskPressure, "NoSchedule"),
    exists(wellKnown.taintMemoryPressure, "NoSchedule"),
    exists(wellKnown.taintPidPressure, "NoSchedule"),
    exists(wellKnown.taintUnschedulable, "NoSchedule"),
  ];
  if (hostNetwork) defaults.push(exists(wellKnown.taintNetworkUnavailable, "NoSchedule"));
  return defaults;
}

/** Toleration.MatchToleration: tolerations are unique by key, effect, operator and value. */
export const matchToleration = (a: Toleration, b: Toleration): boolean =>
  (a.key ?? "") === (b.key ?? "") &&
  (a.effect ?? "") === (b.effect ?? "") &&
  (a.operator ?? "") === (b.operator ?? "") &&
  (a.value ?? "") === (b.value ?? "");

/**
 * AddOrUpdateTolerationInPodSpec, without mutating: returns the new list, or the same list when
 * an identical toleration is already there.
 */
export function addOrUpdateToleration(tolerations: readonly Toleration[] | undefined, toleration: Toleration): Toleration[] {
  const current = tolerations ?? [];
  const next: Toleration[] = [];
  let updated = false;
  for (const t of current) {
    if (matchToleration(toleration, t)) {
      // Semantic.DeepEqual: after MatchToleration, only tolerationSeconds can still differ.
      if (toleration.tolerationSeconds === t.tolerationSeconds) return [...current];
      next.push({ ...toleration });
      updated = true;
    } else {
      next.push(t);
    }
  }
  if (!updated) next.push({ ...toleration });
  return next;
}

/** A copy of `spec` with the default daemon tolerations merged in. */
export function addDaemonPodTolerations(spec: PodSpec): PodSpec {
  const tolerations = defaultDaemonTolerations(spec.hostNetwork).reduce(addOrUpdateToleration, spec.tolerations ?? []);
  return { ...spec, tolerations };
}
