import { describe, expect, it } from "vitest";
import type { Pod } from "../../src/resources/types.ts";
import type { RuntimePodPhase, RuntimePodSnapshot } from "../runtime/runtime.ts";
import { makePod } from "../testing/pods.ts";
import { gracePeriodFor, planPodActions } from "./plan-pod-actions.ts";

const deleted = "2024-05-01T10:00:00Z";
const web = makePod("web", { uid: "w" });
const webDeleting = makePod("web", { uid: "w", deletionTimestamp: deleted, deletionGracePeriodSeconds: 5 });
const old = makePod("old", { uid: "o", terminationGracePeriodSeconds: 12 });

function held(pod: Pod, phase: RuntimePodPhase): RuntimePodSnapshot {
  return {
    uid: pod.metadata.uid ?? "",
    namespace: "default",
    name: pod.metadata.name ?? "",
    startTime: 0,
    phase,
    pod,
    containers: [],
  };
}

describe("planPodActions", () => {
  it.each<{ name: string; assigned: Pod[]; running: RuntimePodSnapshot[]; want: object }>([
    {
      name: "a new assignment is synced",
      assigned: [web],
      running: [],
      want: { sync: [web], kill: [], remove: [], terminated: [] },
    },
    {
      name: "a running assignment is synced again (idempotent)",
      assigned: [web],
      running: [held(web, "active")],
      want: { sync: [web], kill: [], remove: [], terminated: [] },
    },
    {
      name: "a terminating pod is killed with its deletion grace period",
      assigned: [webDeleting],
      running: [held(web, "active")],
      want: {
        sync: [],
        kill: [{ uid: "w", namespace: "default", name: "web", gracePeriodSeconds: 5, reason: "deleted" }],
        remove: [],
        terminated: [],
      },
    },
    {
      name: "a terminating pod being stopped is left alone",
      assigned: [webDeleting],
      running: [held(web, "stopping")],
      want: { sync: [], kill: [], remove: [], terminated: [] },
    },
    {
      name: "a terminating pod that stopped is reported terminated and kept",
      assigned: [webDeleting],
      running: [held(web, "stopped")],
      want: { sync: [], kill: [], remove: [], terminated: ["w"] },
    },
    {
      name: "a terminating pod that never started is terminated at once",
      assigned: [webDeleting],
      running: [],
      want: { sync: [], kill: [], remove: [], terminated: ["w"] },
    },
    {
      name: "an unassigned pod is killed with its spec grace period",
      assigned: [],
      running: [held(old, "active")],
      want: {
        sync: [],
        kill: [{ uid: "o", namespace: "default", name: "old", gracePeriodSeconds: 12, reason: "unassigned" }],
        remove: [],
        terminated: [],
      },
    },
    {
      name: "an unassigned pod being stopped is left alone",
      assigned: [],
      running: [held(old, "stopping")],
      want: { sync: [], kill: [], remove: [], terminated: [] },
    },
    {
      name: "an unassigned pod that stopped is removed",
      assigned: [],
      running: [held(old, "stopped")],
      want: { sync: [], kill: [], remove: ["o"], terminated: [] },
    },
    {
      name: "a stopped pod that is assigned again is synced (restarted)",
      assigned: [web],
      running: [held(web, "stopped")],
      want: { sync: [web], kill: [], remove: [], terminated: [] },
    },
    {
      name: "a pod being stopped is not restarted before its kill ends",
      assigned: [web],
      running: [held(web, "stopping")],
      want: { sync: [], kill: [], remove: [], terminated: [] },
    },
    {
      name: "a pod without uid is ignored",
      assigned: [{ ...web, metadata: { name: "x" } }],
      running: [],
      want: { sync: [], kill: [], remove: [], terminated: [] },
    },
  ])("$name", ({ assigned, running, want }) => {
    expect(planPodActions(assigned, running)).toEqual(want);
  });

  it("sorts terminated uids", () => {
    const a = makePod("a", { uid: "z", deletionTimestamp: deleted });
    const b = makePod("b", { uid: "m", deletionTimestamp: deleted });
    expect(planPodActions([a, b], []).terminated).toEqual(["m", "z"]);
  });
});

describe("gracePeriodFor", () => {
  it.each([
    { name: "default", pod: makePod("p"), want: 30 },
    { name: "spec", pod: makePod("p", { terminationGracePeriodSeconds: 3 }), want: 3 },
    { name: "deletion wins", pod: makePod("p", { terminationGracePeriodSeconds: 3, deletionTimestamp: deleted, deletionGracePeriodSeconds: 0 }), want: 0 },
    { name: "deletion without its own grace uses the spec", pod: makePod("p", { terminationGracePeriodSeconds: 3, deletionTimestamp: deleted }), want: 3 },
  ])("$name", ({ pod, want }) => {
    expect(gracePeriodFor(pod)).toBe(want);
  });
});
