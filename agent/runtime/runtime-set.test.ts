import { describe, expect, it } from "vitest";
import { FakeRuntime } from "../testing/fake-runtime.ts";
import { makePod } from "../testing/pods.ts";
import { RuntimeSet } from "./runtime-set.ts";

function setUp() {
  const processRuntime = new FakeRuntime("process");
  const docker = new FakeRuntime("docker");
  const podman = new FakeRuntime("podman");
  podman.isAvailable = false;
  return { processRuntime, docker, podman, set: new RuntimeSet([processRuntime, docker, podman], "process", () => 1000) };
}

const withClass = (name: string, runtimeClassName?: string) => {
  const pod = makePod(name, { uid: `u-${name}` });
  if (runtimeClassName) pod.spec.runtimeClassName = runtimeClassName;
  return pod;
};

describe("RuntimeSet", () => {
  it.each([
    { runtimeClassName: undefined, runs: "process" },
    { runtimeClassName: "docker", runs: "docker" },
    { runtimeClassName: "process", runs: "process" },
  ])("sends a pod with runtimeClassName $runtimeClassName to $runs", ({ runtimeClassName, runs }) => {
    const { set, processRuntime, docker } = setUp();
    set.syncPod(withClass("web", runtimeClassName));
    expect({ process: processRuntime.pods.size, docker: docker.pods.size }).toEqual({ process: runs === "process" ? 1 : 0, docker: runs === "docker" ? 1 : 0 });
  });

  it.each([
    { runtimeClassName: "podman", message: 'runtime "podman" is not available on this node (it has: process, docker)' },
    { runtimeClassName: "gvisor", message: 'runtime "gvisor" is not available on this node (it has: process, docker)' },
  ])("holds a pod whose runtime ($runtimeClassName) is missing, waiting with a clear reason", ({ runtimeClassName, message }) => {
    const { set, podman } = setUp();
    set.syncPod(withClass("web", runtimeClassName));
    set.syncPod(withClass("web", runtimeClassName));
    expect(podman.calls).toEqual([]);
    const [snapshot] = set.listPods();
    expect(snapshot).toMatchObject({ uid: "u-web", phase: "active", startTime: 1000 });
    expect(snapshot.containers[0].state).toEqual({ kind: "waiting", reason: "RuntimeNotAvailable", message });
  });

  it("moves a held pod to its runtime once that becomes available", () => {
    const { set, podman } = setUp();
    const pod = withClass("web", "podman");
    set.syncPod(pod);
    podman.isAvailable = true;
    set.syncPod(pod);
    expect(podman.pods.has("u-web")).toBe(true);
    expect(set.listPods().map((p) => p.containers[0].state.kind)).toEqual(["running"]);
  });

  it("routes kills and removals to where the pod runs, and stops held pods at once", async () => {
    const { set, docker } = setUp();
    set.syncPod(withClass("a", "docker"));
    set.syncPod(withClass("b", "podman"));
    await set.killPod("u-a", 30);
    await set.killPod("u-b", 30);
    expect(set.listPods().map((p) => [p.uid, p.phase])).toEqual([
      ["u-a", "stopped"],
      ["u-b", "stopped"],
    ]);
    set.removePod("u-a");
    set.removePod("u-b");
    expect(docker.calls).toContain("removePod u-a");
    expect(set.listPods()).toEqual([]);
  });

  it("lists the runtimes it can use now", () => {
    const { set, podman } = setUp();
    expect(set.availableNames()).toEqual(["process", "docker"]);
    podman.isAvailable = true;
    expect(set.availableNames()).toEqual(["process", "docker", "podman"]);
  });
});
