import { describe, expect, it } from "vitest";
import type { ContainerSnapshot, RuntimePodSnapshot } from "../runtime/runtime.ts";
import { makePod } from "../testing/pods.ts";
import { buildPodStatus } from "./pod-status.ts";

const t0 = Date.UTC(2024, 4, 1, 10, 0, 0);
const at = (seconds: number) => t0 + seconds * 1000;
const iso = (seconds: number) => new Date(at(seconds)).toISOString().replace(".000Z", "Z");

const twoContainers = makePod("web", {
  containers: [
    { name: "b-side", image: "nginx:1", command: ["b"] },
    { name: "a-main", command: ["a"] },
  ],
});

function snapshot(containers: ContainerSnapshot[], phase: RuntimePodSnapshot["phase"] = "active"): RuntimePodSnapshot {
  return { uid: "uid-web", namespace: "default", name: "web", startTime: at(0), phase, pod: twoContainers, containers };
}

const running = (name: string, startedSec: number, pid: number, restartCount = 0): ContainerSnapshot => ({
  name,
  containerID: `process://${pid}`,
  restartCount,
  state: { kind: "running", startedAt: at(startedSec) },
});

const crashLooping = (name: string): ContainerSnapshot => ({
  name,
  containerID: "process://77",
  restartCount: 2,
  state: { kind: "waiting", reason: "CrashLoopBackOff", message: "back-off 20s restarting failed container=a-main pod=web_default(uid-web)" },
  lastTermination: { exitCode: 1, reason: "Error", startedAt: at(5), finishedAt: at(6), containerID: "process://77" },
});

describe("buildPodStatus", () => {
  it.each([
    {
      name: "nothing started yet is Pending with containers creating",
      snap: undefined,
      phase: "Pending",
      ready: "False",
    },
    {
      name: "one container still creating is Pending",
      snap: snapshot([running("a-main", 1, 10)]),
      phase: "Pending",
      ready: "False",
    },
    {
      name: "every container running is Running and Ready",
      snap: snapshot([running("a-main", 1, 10), running("b-side", 2, 11)]),
      phase: "Running",
      ready: "True",
    },
    {
      name: "a crash-looping container keeps the pod Running but not Ready",
      snap: snapshot([crashLooping("a-main"), running("b-side", 2, 11)]),
      phase: "Running",
      ready: "False",
    },
  ])("$name", ({ snap, phase, ready }) => {
    const status = buildPodStatus(twoContainers, snap, { hostIP: "10.1.2.3" });
    expect(status.phase).toBe(phase);
    expect(status.conditions?.find((c) => c.type === "Ready")?.status).toBe(ready);
    expect(status.conditions?.find((c) => c.type === "ContainersReady")?.status).toBe(ready);
  });

  it("sorts container statuses by name and fills them like the kubelet", () => {
    const status = buildPodStatus(twoContainers, snapshot([running("a-main", 1, 10), crashLooping("b-side")]));
    expect(status.containerStatuses).toEqual([
      {
        name: "a-main",
        state: { running: { startedAt: iso(1) } },
        lastState: {},
        ready: true,
        started: true,
        restartCount: 0,
        image: "process",
        imageID: "",
        containerID: "process://10",
      },
      {
        name: "b-side",
        state: {
          waiting: {
            reason: "CrashLoopBackOff",
            message: "back-off 20s restarting failed container=a-main pod=web_default(uid-web)",
          },
        },
        lastState: { terminated: { exitCode: 1, reason: "Error", startedAt: iso(5), finishedAt: iso(6) } },
        ready: false,
        started: false,
        restartCount: 2,
        image: "nginx:1",
        imageID: "",
        containerID: "process://77",
      },
    ]);
  });

  it("names unready containers in the Ready condition", () => {
    const status = buildPodStatus(twoContainers, snapshot([crashLooping("a-main"), running("b-side", 2, 11)]));
    expect(status.conditions?.find((c) => c.type === "Ready")).toEqual({
      type: "Ready",
      status: "False",
      lastProbeTime: null,
      lastTransitionTime: iso(6),
      reason: "ContainersNotReady",
      message: "containers with unready status: [a-main]",
    });
  });

  it("dates Ready from the last container that started", () => {
    const status = buildPodStatus(twoContainers, snapshot([running("a-main", 1, 10), running("b-side", 7, 11)]));
    expect(status.conditions?.map((c) => [c.type, c.status, c.lastTransitionTime])).toEqual([
      ["Initialized", "True", iso(0)],
      ["Ready", "True", iso(7)],
      ["ContainersReady", "True", iso(7)],
      ["PodScheduled", "True", iso(0)],
    ]);
  });

  it("keeps the PodScheduled condition the control plane set", () => {
    const pod = structuredClone(twoContainers);
    const scheduled = { type: "PodScheduled", status: "True" as const, lastTransitionTime: "2024-01-01T00:00:00Z" };
    pod.status = { conditions: [scheduled] };
    expect(buildPodStatus(pod, undefined).conditions?.[3]).toEqual(scheduled);
  });

  it("reports the node IP as host and pod IP, and the start time", () => {
    const status = buildPodStatus(twoContainers, snapshot([]), { hostIP: "10.1.2.3" });
    expect([status.hostIP, status.podIP, status.startTime]).toEqual(["10.1.2.3", "10.1.2.3", iso(0)]);
  });

  it("lets a probe result hold readiness back", () => {
    const status = buildPodStatus(twoContainers, snapshot([running("a-main", 1, 10), running("b-side", 2, 11)]), {
      probes: { "b-side": { ready: false } },
    });
    expect(status.containerStatuses?.map((c) => c.ready)).toEqual([true, false]);
    expect(status.phase).toBe("Running");
  });

  it("is the same for the same snapshot", () => {
    const snap = snapshot([running("a-main", 1, 10), crashLooping("b-side")]);
    expect(JSON.stringify(buildPodStatus(twoContainers, snap))).toBe(JSON.stringify(buildPodStatus(twoContainers, snap)));
  });
});

describe("phase with restart policies", () => {
  const exited = (exitCode: number): ContainerSnapshot => ({
    name: "main",
    containerID: "process://5",
    restartCount: 0,
    state: { kind: "terminated", termination: { exitCode, reason: exitCode === 0 ? "Completed" : "Error", finishedAt: at(3) } },
  });
  it.each([
    { policy: "Never" as const, exitCode: 0, phase: "Succeeded" },
    { policy: "Never" as const, exitCode: 2, phase: "Failed" },
    { policy: "OnFailure" as const, exitCode: 0, phase: "Succeeded" },
    { policy: "Always" as const, exitCode: 0, phase: "Running" },
  ])("$policy with exit $exitCode is $phase", ({ policy, exitCode, phase }) => {
    const pod = makePod("job", { restartPolicy: policy });
    const snap: RuntimePodSnapshot = { uid: "u", namespace: "default", name: "job", startTime: at(0), phase: "active", pod, containers: [exited(exitCode)] };
    expect(buildPodStatus(pod, snap).phase).toBe(phase);
  });

  it("a stopped pod is terminal whatever its policy", () => {
    const pod = makePod("ds");
    const snap: RuntimePodSnapshot = { uid: "u", namespace: "default", name: "ds", startTime: at(0), phase: "stopped", pod, containers: [exited(143)] };
    expect(buildPodStatus(pod, snap).phase).toBe("Failed");
  });

  it("a succeeded pod's Ready condition says PodCompleted", () => {
    const pod = makePod("job", { restartPolicy: "Never" });
    const snap: RuntimePodSnapshot = { uid: "u", namespace: "default", name: "job", startTime: at(0), phase: "active", pod, containers: [exited(0)] };
    const ready = buildPodStatus(pod, snap).conditions?.find((c) => c.type === "Ready");
    expect([ready?.status, ready?.reason, ready?.message]).toEqual(["False", "PodCompleted", undefined]);
  });
});
