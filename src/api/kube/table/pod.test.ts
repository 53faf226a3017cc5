import { describe, expect, it } from "vitest";
import type { Pod } from "../../../resources/types.ts";
import { podTable } from "./pod.ts";

const now = Date.parse("2026-01-01T12:00:00Z");
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString().replace(".000Z", "Z");
const running = (name: string, extra: object = {}) => ({ name, ready: true, restartCount: 0, image: "busybox", imageID: "", state: { running: { startedAt: ago(60) } }, ...extra });

function pod(overrides: { spec?: object; status?: object; metadata?: object } = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web-x", namespace: "default", creationTimestamp: ago(300), ...overrides.metadata },
    spec: { nodeName: "shop-1", containers: [{ name: "main", image: "busybox" }], ...overrides.spec },
    status: { phase: "Running", podIP: "10.0.0.7", conditions: [{ type: "Ready", status: "True" }], containerStatuses: [running("main")], ...overrides.status },
  } as Pod;
}

const cells = (p: Pod) => podTable([p], now).rows[0]!.cells;
/** READY, STATUS, RESTARTS */
const summary = (p: Pod) => cells(p).slice(1, 4);

describe("kubectl get pods columns", () => {
  it("has the Kubernetes column set, wide columns at priority 1", () => {
    const defs = podTable([], now).columnDefinitions;
    expect(defs.map((c) => `${c.name}:${c.priority}`)).toEqual(["Name:0", "Ready:0", "Status:0", "Restarts:0", "Age:0", "IP:1", "Node:1", "Nominated Node:1", "Readiness Gates:1"]);
  });

  it("prints a running pod with its IP and node", () => {
    expect(cells(pod())).toEqual(["web-x", "1/1", "Running", "0", "5m", "10.0.0.7", "shop-1", "<none>", "<none>"]);
  });

  it.each<[string, Pod, unknown[]]>([
    ["pending, nothing reported yet", pod({ status: { phase: "Pending", podIP: undefined, containerStatuses: undefined, conditions: [] } }), ["0/1", "Pending", "0"]],
    ["a waiting reason wins over the phase", pod({ status: { containerStatuses: [{ ...running("main"), ready: false, state: { waiting: { reason: "CrashLoopBackOff" } } }] } }), ["0/1", "CrashLoopBackOff", "0"]],
    ["a terminated reason", pod({ status: { phase: "Succeeded", containerStatuses: [{ ...running("main"), ready: false, state: { terminated: { exitCode: 0, reason: "Completed" } } }] } }), ["0/1", "Completed", "0"]],
    ["a terminated container without reason shows its exit code", pod({ status: { containerStatuses: [{ ...running("main"), ready: false, state: { terminated: { exitCode: 3 } } }] } }), ["0/1", "ExitCode:3", "0"]],
    ["or its signal", pod({ status: { containerStatuses: [{ ...running("main"), ready: false, state: { terminated: { exitCode: 137, signal: 9 } } }] } }), ["0/1", "Signal:9", "0"]],
    [
      "Completed with a container still running is Running again",
      pod({
        spec: { containers: [{ name: "a" }, { name: "b" }] },
        status: { containerStatuses: [{ ...running("a"), ready: false, state: { terminated: { exitCode: 0, reason: "Completed" } } }, running("b")] },
      }),
      ["1/2", "Running", "0"],
    ],
    ["a deleting pod is Terminating", pod({ metadata: { deletionTimestamp: ago(0) } }), ["1/1", "Terminating", "0"]],
    ["a deleting pod on a lost node is Unknown", pod({ metadata: { deletionTimestamp: ago(0) }, status: { reason: "NodeLost" } }), ["1/1", "Unknown", "0"]],
    ["a deleting pod that already finished keeps its status", pod({ metadata: { deletionTimestamp: ago(0) }, status: { phase: "Succeeded", containerStatuses: [] } }), ["0/1", "Succeeded", "0"]],
    ["a gated pod", pod({ status: { phase: "Pending", containerStatuses: [], conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }] } }), ["0/1", "SchedulingGated", "0"]],
    [
      "restarts with the time of the last one",
      pod({ status: { containerStatuses: [{ ...running("main"), restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: ago(125) } } }] } }),
      ["1/1", "Running", "3 (2m5s ago)"],
    ],
  ])("%s", (_name, p, want) => {
    expect(summary(p)).toEqual(want);
  });

  it.each<[string, object, unknown[]]>([
    ["the first init container running", { initContainerStatuses: [{ ...running("init"), ready: false }] }, ["0/1", "Init:0/2", "0"]],
    ["the second, after the first succeeded", { initContainerStatuses: [{ ...running("init"), state: { terminated: { exitCode: 0 } } }, { ...running("init2"), ready: false, state: { waiting: { reason: "PodInitializing" } } }] }, ["0/1", "Init:1/2", "0"]],
    ["an init container failing", { initContainerStatuses: [{ ...running("init"), restartCount: 2, state: { terminated: { exitCode: 1, reason: "Error" } } }] }, ["0/1", "Init:Error", "2"]],
    ["an init container waiting with a reason", { initContainerStatuses: [{ ...running("init"), state: { waiting: { reason: "ImagePullBackOff" } } }] }, ["0/1", "Init:ImagePullBackOff", "0"]],
  ])("init containers: %s", (_name, status, want) => {
    const p = pod({
      spec: { initContainers: [{ name: "init" }, { name: "init2" }] },
      status: { phase: "Pending", conditions: [{ type: "Initialized", status: "False" }], containerStatuses: [{ ...running("main"), ready: false, state: { waiting: { reason: "PodInitializing" } } }], ...status },
    });
    expect(summary(p)).toEqual(want);
  });

  it("counts a started sidecar (restartable init container) as a container", () => {
    const p = pod({
      spec: { initContainers: [{ name: "proxy", restartPolicy: "Always" }] },
      status: { initContainerStatuses: [{ ...running("proxy"), started: true }], conditions: [{ type: "Initialized", status: "True" }, { type: "Ready", status: "True" }] },
    });
    expect(summary(p)).toEqual(["2/2", "Running", "0"]);
  });

  it("prints readiness gates as true/total", () => {
    const p = pod({ spec: { readinessGates: [{ conditionType: "example.com/lb" }, { conditionType: "example.com/dns" }] }, status: { conditions: [{ type: "example.com/lb", status: "True" }] } });
    expect(cells(p)[8]).toBe("1/2");
  });

  it("prefers the first of podIPs, and prints <none> without an IP or node", () => {
    expect(cells(pod({ status: { podIPs: [{ ip: "fd00::7" }, { ip: "10.0.0.7" }] } }))[5]).toBe("fd00::7");
    expect(cells(pod({ spec: { nodeName: undefined }, status: { podIP: undefined } })).slice(5, 7)).toEqual(["<none>", "<none>"]);
  });
});
