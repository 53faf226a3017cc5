import { describe, expect, it } from "vitest";
import type { PodAffinityTerm } from "../resources/types.ts";
import { hasRequiredPodAffinityTerms, requiredTopologyKeys, termMaySelect } from "./pod-affinity-terms.ts";

const t = (extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({ labelSelector: { matchLabels: { security: "S1" } }, topologyKey: "site", ...extra });
const s1 = { security: "S1" };

describe("termMaySelect", () => {
  it.each<[string, PodAffinityTerm, string, { namespace: string; labels?: Record<string, string> }, boolean]>([
    ["own namespace, matching labels", t(), "default", { namespace: "default", labels: s1 }, true],
    ["own namespace, other labels", t(), "default", { namespace: "default", labels: { security: "S2" } }, false],
    ["another namespace", t(), "default", { namespace: "edge", labels: s1 }, false],
    ["another namespace listed", t({ namespaces: ["edge"] }), "default", { namespace: "edge", labels: s1 }, true],
    ["namespaces listed: the own one no longer implied", t({ namespaces: ["edge"] }), "default", { namespace: "default", labels: s1 }, false],
    ["a namespaceSelector may select any namespace", t({ namespaceSelector: { matchLabels: { team: "x" } } }), "default", { namespace: "edge", labels: s1 }, true],
    ["labelSelector {} selects every pod", t({ labelSelector: {} }), "default", { namespace: "default", labels: {} }, true],
    ["labelSelector null selects none", t({ labelSelector: null as never }), "default", { namespace: "default", labels: s1 }, false],
    ["an unparsable selector selects none", t({ labelSelector: { matchExpressions: [{ key: "security", operator: "Bogus" as "In" }] } }), "default", { namespace: "default", labels: s1 }, false],
  ])("%s", (_name, term, own, target, expected) => {
    expect(termMaySelect(term, own, target)).toBe(expected);
  });
});

describe("required terms of a spec", () => {
  it.each<[string, Parameters<typeof hasRequiredPodAffinityTerms>[0], boolean, string[]]>([
    ["none", { affinity: {} }, false, []],
    ["only preferred ones", { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: t() }] } } }, false, []],
    ["required affinity and anti-affinity", { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t()] }, podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t({ topologyKey: "kubernetes.io/hostname" }), t()] } } }, true, ["site", "kubernetes.io/hostname"]],
  ])("%s", (_name, spec, has, keys) => {
    expect(hasRequiredPodAffinityTerms(spec)).toBe(has);
    expect(requiredTopologyKeys(spec)).toEqual(keys);
  });
});
