/**
 * @module
 * Questions about a pod's required inter-pod affinity terms that do not need the world: does it
 * have any, which topology keys do they use, and could a term select a given pod. The control
 * plane uses them to decide which DaemonSets a pod or node change can concern, so they err on the
 * side of "yes" (a namespaceSelector counts as possibly matching: namespace labels are not at hand).
 *
 * @example
 * termMaySelect({ labelSelector: { matchLabels: { security: "S1" } }, topologyKey: "kubernetes.io/hostname" },
 *               "default", { namespace: "default", labels: { security: "S1" } }) // true
 */

import { matchesLabels, selectorFromLabelSelector } from "../resources/label-selector.ts";
import type { Labels, PodAffinityTerm, PodSpec } from "../resources/types.ts";

export interface RequiredPodAffinityTerms {
  affinity: readonly PodAffinityTerm[];
  antiAffinity: readonly PodAffinityTerm[];
}

const required = "requiredDuringSchedulingIgnoredDuringExecution";

export function requiredPodAffinityTerms(spec: Pick<PodSpec, "affinity"> | undefined): RequiredPodAffinityTerms {
  return { affinity: spec?.affinity?.podAffinity?.[required] ?? [], antiAffinity: spec?.affinity?.podAntiAffinity?.[required] ?? [] };
}

/** Whether placing this pod depends on other pods at all (its own required terms). */
export function hasRequiredPodAffinityTerms(spec: Pick<PodSpec, "affinity"> | undefined): boolean {
  const terms = requiredPodAffinityTerms(spec);
  return terms.affinity.length + terms.antiAffinity.length > 0;
}

/** The topology keys of every required term, affinity and anti-affinity. */
export function requiredTopologyKeys(spec: Pick<PodSpec, "affinity"> | undefined): string[] {
  const terms = requiredPodAffinityTerms(spec);
  return [...new Set([...terms.affinity, ...terms.antiAffinity].map((t) => t.topologyKey))];
}

/**
 * AffinityTerm.Matches, conservatively: whether `term`, written in a pod of `ownNamespace`, may
 * select a pod with these labels in `target.namespace`. An unparsable selector selects nothing.
 */
export function termMaySelect(term: PodAffinityTerm, ownNamespace: string, target: { namespace: string; labels?: Labels }): boolean {
  const hasNamespaceSelector = term.namespaceSelector !== undefined && term.namespaceSelector !== null;
  const names = term.namespaces?.length || hasNamespaceSelector ? (term.namespaces ?? []) : [ownNamespace];
  if (!names.includes(target.namespace) && !hasNamespaceSelector) return false;
  try {
    return matchesLabels(selectorFromLabelSelector(term.labelSelector), target.labels);
  } catch {
    return false;
  }
}
