import { describe, expect, it } from "vitest";
import { wellKnown, type Pod } from "../../resources/types.ts";
import {
  compareByCreationTimestampAndPhase,
  getTargetNodeName,
  getTemplateGeneration,
  isPodAvailable,
  isPodReady,
  isPodUpdated,
} from "./pod-util.ts";
import { newDaemonSet, newPod, seconds, simpleDaemonSetLabel } from "./test-fixtures.ts";

describe("isPodReady / isPodAvailable", () => {
  it.each([
    { name: "not ready", ready: false, min: 0, now: seconds(100), isReady: false, available: false },
    { name: "ready, minReadySeconds 0", ready: seconds(99), min: 0, now: seconds(100), isReady: true, available: true },
    { name: "ready 10s of 15", ready: seconds(50), min: 15, now: seconds(60), isReady: true, available: false },
    { name: "ready exactly 15s of 15", ready: seconds(50), min: 15, now: seconds(65), isReady: true, available: true },
    { name: "ready 20s of 15", ready: seconds(50), min: 15, now: seconds(70), isReady: true, available: true },
  ])("$name", ({ ready, min, now, isReady, available }) => {
    const pod = newPod("p", "node-0", simpleDaemonSetLabel, null, { ready });
    expect(isPodReady(pod)).toBe(isReady);
    expect(isPodAvailable(pod, min, now)).toBe(available);
  });

  it("never counts a Ready pod without a transition time as available when minReadySeconds > 0", () => {
    const pod = newPod("p", "node-0", simpleDaemonSetLabel, null);
    delete pod.status!.conditions![0]!.lastTransitionTime;
    expect(isPodAvailable(pod, 5, seconds(1000))).toBe(false);
    expect(isPodAvailable(pod, 0, seconds(1000))).toBe(true);
  });
});

describe("isPodUpdated", () => {
  const pod = (labels: Record<string, string>) => newPod("p", "node-0", labels, null);
  it.each<{ name: string; labels: Record<string, string>; hash: string; gen: number | undefined; want: boolean }>([
    { name: "hash matches", labels: { [wellKnown.controllerRevisionHash]: "h1" }, hash: "h1", gen: 2, want: true },
    { name: "generation matches (legacy pod)", labels: { [wellKnown.podTemplateGeneration]: "2" }, hash: "h1", gen: 2, want: true },
    { name: "neither", labels: { [wellKnown.controllerRevisionHash]: "h0", [wellKnown.podTemplateGeneration]: "1" }, hash: "h1", gen: 2, want: false },
    { name: "no generation on the ds", labels: { [wellKnown.podTemplateGeneration]: "2" }, hash: "h1", gen: undefined, want: false },
    { name: "empty hash never matches", labels: {}, hash: "", gen: undefined, want: false },
  ])("$name", ({ labels, hash, gen, want }) => {
    expect(isPodUpdated(pod(labels), hash, gen)).toBe(want);
  });

  it("reads the template generation annotation", () => {
    expect(getTemplateGeneration(newDaemonSet())).toBe(1);
    expect(getTemplateGeneration(newDaemonSet("x", (ds) => (ds.metadata.annotations = { [wellKnown.templateGenerationAnnotation]: "x" })))).toBeUndefined();
    expect(getTemplateGeneration(newDaemonSet("x", (ds) => (ds.metadata.annotations = {})))).toBeUndefined();
  });
});

describe("getTargetNodeName", () => {
  it.each([
    { name: "bound pod", pod: newPod("p", "node-1", {}, null), want: "node-1" },
    { name: "unbound pod with the matchFields term", pod: newPod("p", "node-2", {}, null, { bound: false }), want: "node-2" },
    {
      name: "unbound pod with two values",
      pod: ((): Pod => {
        const p = newPod("p", "node-2", {}, null, { bound: false });
        p.spec.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms[0]!.matchFields![0]!.values = ["a", "b"];
        return p;
      })(),
      want: undefined,
    },
    { name: "unbound pod without affinity", pod: ((): Pod => ({ ...newPod("p", "x", {}, null, { bound: false }), spec: { containers: [] } }))(), want: undefined },
  ])("$name", ({ pod, want }) => {
    expect(getTargetNodeName(pod)).toBe(want);
  });
});

describe("compareByCreationTimestampAndPhase", () => {
  it("puts bound pods first, then the oldest, then by name", () => {
    const pods = [
      newPod("c", "n", {}, null, { created: seconds(5) }),
      newPod("unbound-old", "n", {}, null, { created: seconds(1), bound: false }),
      newPod("b", "n", {}, null, { created: seconds(5) }),
      newPod("a", "n", {}, null, { created: seconds(9) }),
    ];
    expect(pods.sort(compareByCreationTimestampAndPhase).map((p) => p.metadata.name)).toEqual(["b", "c", "a", "unbound-old"]);
  });
});
