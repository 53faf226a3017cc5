/**
 * @module
 * Inter-pod affinity for one pod on one node, as kube-scheduler's InterPodAffinity Filter
 * (`framework/plugins/interpodaffinity/filtering.go`) decides it, with a message that names the
 * failing term. Only required terms count; preferred terms only score.
 *
 * - podAffinity: terms are ANDed. The node must carry every term's topologyKey, and for each
 *   term some running pod matching *all* terms must sit in the node's domain of that key. If no
 *   such pod exists anywhere and the pod matches its own terms, it passes (first of a series).
 * - podAntiAffinity: fails when a pod matching a term runs in the node's domain; a node without
 *   the key passes.
 * - Existing pods' required anti-affinity against this pod is enforced too (symmetry).
 *
 * labelSelector null selects no pod, `{}` every pod; no namespaces and no namespaceSelector
 * means the pod's own namespace; namespaceSelector `{}` means every namespace.
 *
 * @example
 * checkPodAffinity(pod, world.nodes.get("edge-2")!, world)
 * // { fits: false, message: "node(s) didn't match pod affinity rules: no running pod matching security=S1
 * //   in the same kubernetes.io/hostname domain (podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0])" }
 */

import { formatLabelSelector, matchesLabels, selectorFromLabelSelector, type Selector } from "../resources/label-selector.ts";
import type { Labels, Namespace, Node, Pod, PodAffinityTerm, PodSpec } from "../resources/types.ts";

export interface PodAffinityWorld {
  nodes: ReadonlyMap<string, Node>;
  /**
   * Pods bound to nodes (spec.nodeName set). Terminal ones are skipped here; pods being deleted
   * still count until they are gone, as in the scheduler's cache.
   */
  pods: readonly Pod[];
  namespaces: readonly Namespace[];
}

/** The pod being placed. `name`/`uid`, when given, keep it from counting as one of the running pods. */
export interface IncomingPod {
  namespace: string;
  name?: string;
  uid?: string;
  labels?: Labels;
  spec: PodSpec;
}

export type PodAffinityFit = { fits: true } | { fits: false; message: string };

export const reasonAffinityRules = "node(s) didn't match pod affinity rules";
export const reasonAntiAffinityRules = "node(s) didn't match pod anti-affinity rules";
export const reasonExistingAntiAffinityRules = "node(s) didn't satisfy existing pods anti-affinity rules";

/** framework.AffinityTerm, plus where the term came from for messages. */
interface Term {
  path: string;
  source: PodAffinityTerm;
  selector: Selector;
  namespaces: ReadonlySet<string>;
  namespaceSelector: Selector;
  topologyKey: string;
}

/** Labels of a namespace by name; undefined when the namespace is unknown. */
type NamespaceLabels = (ns: string) => Labels | undefined;

interface RunningPod {
  pod: Pod;
  namespace: string;
  node: Node;
}

/** newAffinityTerm; throws SelectorError on an invalid selector. */
function buildTerms(ownNamespace: string, terms: readonly PodAffinityTerm[] | undefined, path: string): Term[] {
  return (terms ?? []).map((source, i) => ({
    path: `${path}[${i}]`,
    source,
    selector: selectorFromLabelSelector(source.labelSelector),
    // getNamespacesFromPodAffinityTerm: no namespaces and no namespaceSelector = the pod's own.
    namespaces: new Set(source.namespaces?.length || source.namespaceSelector ? (source.namespaces ?? []) : [ownNamespace]),
    namespaceSelector: selectorFromLabelSelector(source.namespaceSelector),
    topologyKey: source.topologyKey,
  }));
}

/**
 * AffinityTerm.Matches. `nsLabels` undefined means the namespace object is unknown: then only
 * the listed names and an everything-selector can admit it (as the scheduler's namespace
 * lister would).
 */
function termMatches(t: Term, namespace: string, labels: Labels | undefined, nsLabels: Labels | undefined): boolean {
  const inNamespace =
    t.namespaces.has(namespace) ||
    t.namespaceSelector.kind === "everything" ||
    (nsLabels !== undefined && matchesLabels(t.namespaceSelector, nsLabels));
  return inNamespace && matchesLabels(t.selector, labels);
}

const labelOf = (node: Node, key: string): string | undefined => {
  const labels = node.metadata.labels;
  return labels && Object.hasOwn(labels, key) ? labels[key] : undefined;
};

const sameDomain = (a: Node, b: Node, key: string): boolean => {
  const v = labelOf(a, key);
  return v !== undefined && v === labelOf(b, key);
};

function namespaceLabelsIn(world: PodAffinityWorld): NamespaceLabels {
  const byName = new Map(world.namespaces.map((n) => [n.metadata.name ?? "", n.metadata.labels ?? {}]));
  return (ns) => byName.get(ns);
}

function runningPods(world: PodAffinityWorld, self: IncomingPod): RunningPod[] {
  const running: RunningPod[] = [];
  for (const pod of world.pods) {
    const node = pod.spec.nodeName ? world.nodes.get(pod.spec.nodeName) : undefined;
    if (!node || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
    const namespace = pod.metadata.namespace ?? "default";
    const isSelf =
      (self.uid !== undefined && pod.metadata.uid === self.uid) ||
      (self.name !== undefined && pod.metadata.name === self.name && namespace === self.namespace);
    if (!isSelf) running.push({ pod, namespace, node });
  }
  return running;
}

// ---- messages ----

const podName = (p: RunningPod): string => `${p.namespace}/${p.pod.metadata.name ?? p.pod.metadata.generateName ?? "<unnamed>"}`;

function describePods(t: Term): string {
  const ls = t.source.labelSelector;
  const formatted = ls === null || ls === undefined ? "" : formatLabelSelector(ls);
  const labels = !formatted ? "a null labelSelector (which selects no pod)" : formatted === "<none>" ? "any labels" : formatted;
  const nsSel = t.source.namespaceSelector;
  const names = t.source.namespaces?.length ? t.source.namespaces.join(",") : "";
  if (nsSel !== null && nsSel !== undefined) {
    const selected = formatLabelSelector(nsSel) === "<none>" ? "in any namespace" : `in namespaces selected by ${formatLabelSelector(nsSel)}`;
    return `${labels} ${selected}${names ? ` or in namespace(s) ${names}` : ""}`;
  }
  return names ? `${labels} in namespace(s) ${names}` : labels;
}

const fail = (reason: string, detail: string, path: string): PodAffinityFit => ({ fits: false, message: `${reason}: ${detail} (${path})` });

// ---- the three checks, in the Filter's order ----

function checkAffinity(pod: IncomingPod, node: Node, terms: Term[], running: RunningPod[], nsLabels: NamespaceLabels): PodAffinityFit {
  if (terms.length === 0) return { fits: true };
  const lacking = terms.find((t) => labelOf(node, t.topologyKey) === undefined);
  // All topology labels must exist on the node; the first-of-a-series exception does not help here.
  if (lacking) return fail(reasonAffinityRules, `node has no ${lacking.topologyKey} label`, lacking.path);
  // An existing pod counts only if it matches every term (updateWithAffinityTerms).
  const matching = running.filter((p) =>
    terms.every((t) => termMatches(t, p.namespace, p.pod.metadata.labels, nsLabels(p.namespace))),
  );
  const unsatisfied = terms.find((t) => !matching.some((p) => sameDomain(p.node, node, t.topologyKey)));
  if (!unsatisfied) return { fits: true };
  const anyCounted = matching.some((p) => terms.some((t) => labelOf(p.node, t.topologyKey) !== undefined));
  const matchesOwnTerms = terms.every((t) => termMatches(t, pod.namespace, pod.labels, nsLabels(pod.namespace)));
  if (!anyCounted && matchesOwnTerms) return { fits: true };
  const others = terms.length > 1 ? " and the other required podAffinity terms" : "";
  const detail = `no running pod matching ${describePods(unsatisfied)}${others} in the same ${unsatisfied.topologyKey} domain`;
  return fail(reasonAffinityRules, detail, unsatisfied.path);
}

function checkAntiAffinity(node: Node, terms: Term[], running: RunningPod[], nsLabels: NamespaceLabels): PodAffinityFit {
  for (const t of terms) {
    const blocker = running.find(
      (p) => sameDomain(p.node, node, t.topologyKey) && termMatches(t, p.namespace, p.pod.metadata.labels, nsLabels(p.namespace)),
    );
    if (blocker) {
      const domain = `${t.topologyKey}=${labelOf(node, t.topologyKey)}`;
      const detail = `pod ${podName(blocker)} matching ${describePods(t)} already runs in the same ${t.topologyKey} domain (${domain})`;
      return fail(reasonAntiAffinityRules, detail, t.path);
    }
  }
  return { fits: true };
}

function checkExistingAntiAffinity(pod: IncomingPod, node: Node, running: RunningPod[], ownNsLabels: Labels): PodAffinityFit {
  const path = "podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution";
  for (const p of running) {
    const required = p.pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required?.length) continue;
    let terms: Term[];
    try {
      terms = buildTerms(p.namespace, required, path);
    } catch {
      continue; // The scheduler drops the terms of a pod it cannot parse.
    }
    const t = terms.find((t) => sameDomain(p.node, node, t.topologyKey) && termMatches(t, pod.namespace, pod.labels, ownNsLabels));
    if (t) {
      const domain = `${t.topologyKey}=${labelOf(node, t.topologyKey)}`;
      const detail = `pod ${podName(p)} on node ${p.node.metadata.name} has ${t.path} matching this pod in the same ${t.topologyKey} domain (${domain})`;
      return { fits: false, message: `${reasonExistingAntiAffinityRules}: ${detail}` };
    }
  }
  return { fits: true };
}

export function checkPodAffinity(pod: IncomingPod, node: Node, world: PodAffinityWorld): PodAffinityFit {
  let affinityTerms: Term[];
  let antiAffinityTerms: Term[];
  try {
    const { podAffinity, podAntiAffinity } = pod.spec.affinity ?? {};
    const required = "requiredDuringSchedulingIgnoredDuringExecution";
    affinityTerms = buildTerms(pod.namespace, podAffinity?.[required], `podAffinity.${required}`);
    antiAffinityTerms = buildTerms(pod.namespace, podAntiAffinity?.[required], `podAntiAffinity.${required}`);
  } catch (e) {
    return { fits: false, message: `parsing pod: ${(e as Error).message}` };
  }
  const running = runningPods(world, pod);
  const nsLabels = namespaceLabelsIn(world);
  const affinity = checkAffinity(pod, node, affinityTerms, running, nsLabels);
  if (!affinity.fits) return affinity;
  const anti = checkAntiAffinity(node, antiAffinityTerms, running, nsLabels);
  if (!anti.fits) return anti;
  // GetNamespaceLabelsSnapshot: an unknown namespace has no labels.
  return checkExistingAntiAffinity(pod, node, running, nsLabels(pod.namespace) ?? {});
}
