/**
 * @module
 * Taints and tolerations: `Toleration.ToleratesTaint` (k8s.io/api core/v1 `toleration.go`) and
 * `FindMatchingUntoleratedTaint` (component-helpers `scheduling/corev1/helpers.go`).
 * `tolerationSeconds` plays no part here: it only delays eviction by the taint manager.
 *
 * @example
 * toleratesTaint({ key: "dedicated", operator: "Equal", value: "user1", effect: "NoSchedule" },
 *                { key: "dedicated", value: "user1", effect: "NoSchedule" })  // true
 * toleratesTaint({ operator: "Exists" }, anyTaint)                             // true: tolerates everything
 */

import type { Taint, TaintEffect, Toleration } from "../resources/types.ts";

/**
 * Effect empty or equal, key empty or equal, then `Equal` (or no operator) compares values and
 * `Exists` accepts any value. Any other operator tolerates nothing (the alpha numeric Gt/Lt
 * toleration operators are not supported).
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? "") {
    case "":
    case "Equal":
      return (toleration.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    default:
      return false;
  }
}

export const tolerationsTolerateTaint = (tolerations: readonly Toleration[] | undefined, taint: Taint): boolean =>
  (tolerations ?? []).some((t) => toleratesTaint(t, taint));

/** The first taint with one of `effects` that no toleration tolerates. */
export const findUntoleratedTaint = (
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  effects: readonly TaintEffect[],
): Taint | undefined => (taints ?? []).find((t) => effects.includes(t.effect) && !tolerationsTolerateTaint(tolerations, t));

/** Taint.ToString: `key=value:effect`, or `key:effect` without a value (what `kubectl taint` takes). */
export const formatTaint = (taint: Taint): string => `${taint.key}${taint.value ? `=${taint.value}` : ""}:${taint.effect}`;

/** The TaintToleration filter's reason, e.g. `node(s) had untolerated taint {dedicated: user1}`. */
export const untoleratedTaintMessage = (taint: Taint): string => `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`;
