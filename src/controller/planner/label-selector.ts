/**
 * @module
 * `metav1.LabelSelectorAsSelector` for matching pods and revisions: matchLabels and
 * matchExpressions (In, NotIn, Exists, DoesNotExist) all ANDed. A nil selector matches nothing,
 * an empty one everything; a malformed requirement makes the whole selector an error.
 *
 * @example
 * const match = compileLabelSelector({ matchLabels: { app: "a" } });
 * match({ app: "a", tier: "x" }); // true
 */

import type { LabelSelector, Labels } from "../../resources/types.ts";

export type LabelMatcher = (labels: Labels | undefined) => boolean;

/** True for `{}` (and empty maps/lists): the selector that would select every pod. */
export function isEmptySelector(selector: LabelSelector | undefined | null): boolean {
  if (!selector) return false;
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** Throws on a requirement Kubernetes would refuse to build (e.g. In without values). */
export function compileLabelSelector(selector: LabelSelector | undefined | null): LabelMatcher {
  if (!selector) return () => false;
  const checks: LabelMatcher[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    checks.push((labels) => labels?.[key] === value);
  }
  for (const req of selector.matchExpressions ?? []) {
    const values = req.values ?? [];
    const has = (labels: Labels | undefined) => labels !== undefined && Object.hasOwn(labels, req.key);
    switch (req.operator) {
      case "In":
      case "NotIn": {
        if (values.length === 0) throw new Error(`${req.operator} requirement for "${req.key}" needs values`);
        const set = new Set(values);
        checks.push(
          req.operator === "In"
            ? (labels) => has(labels) && set.has(labels![req.key]!)
            : (labels) => !has(labels) || !set.has(labels![req.key]!),
        );
        break;
      }
      case "Exists":
      case "DoesNotExist":
        if (values.length > 0) throw new Error(`${req.operator} requirement for "${req.key}" takes no values`);
        checks.push(req.operator === "Exists" ? has : (labels) => !has(labels));
        break;
      default:
        throw new Error(`"${String(req.operator)}" is not a valid label selector operator`);
    }
  }
  return (labels) => checks.every((check) => check(labels));
}
