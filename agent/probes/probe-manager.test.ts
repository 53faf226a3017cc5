import { afterEach, describe, expect, it, vi } from "vitest";
import type { Container, Probe } from "../../src/resources/types.ts";
import { FakeRuntime } from "../testing/fake-runtime.ts";
import { makePod } from "../testing/pods.ts";
import { waitFor } from "../testing/wait.ts";
import { ProbeManager } from "./probe-manager.ts";

const managers: ProbeManager[] = [];
afterEach(() => {
  managers.splice(0).forEach((m) => m.close());
  vi.useRealTimers();
});

/** Fractions of a second keep these tests fast; the API only allows whole seconds. */
const fast = (command: string, extra: Partial<Probe> = {}): Probe => ({ exec: { command: [command] }, periodSeconds: 0.03, failureThreshold: 1, ...extra });

function setUp(container: Partial<Container>, healthy: Record<string, boolean> = {}) {
  const runtime = new FakeRuntime("process");
  runtime.execHandler = ([command]) => ({ exitCode: healthy[command] ? 0 : 1, output: `${command} said no`, timedOut: false });
  let changes = 0;
  const logs: string[] = [];
  const manager = new ProbeManager({ runtime, log: (l) => logs.push(l), onChange: () => changes++ });
  managers.push(manager);
  runtime.onChange(() => manager.update(runtime.listPods()));
  const pod = makePod("web", { uid: "u1", containers: [{ name: "main", ...container }], terminationGracePeriodSeconds: 7 });
  runtime.syncPod(pod);
  /** How many probe runs of `command` (every probe when absent) the runtime has seen. */
  const runs = (command?: string) => runtime.calls.filter((c) => (command ? c === `exec u1 main ${command}` : c.startsWith("exec "))).length;
  return { runtime, manager, logs, runs, changes: () => changes, results: () => manager.results("u1")?.main };
}

/** "Nothing happened" is shown after this many observed probe runs, not after a fixed sleep. */
const observedRuns = 3;

describe("ProbeManager", () => {
  it("holds readiness back until the readiness probe succeeds, and takes it away again", async () => {
    const healthy = { ready: false };
    const { results, changes, runs } = setUp({ readinessProbe: fast("ready") }, healthy);
    expect(results()).toEqual({ started: true, ready: false });
    await waitFor(() => runs("ready") >= observedRuns, 2000, "failing readiness probe runs");
    expect(results()).toEqual({ started: true, ready: false });
    healthy.ready = true;
    await waitFor(() => results()?.ready, 2000, "ready");
    expect(changes()).toBeGreaterThan(0);
    healthy.ready = false;
    await waitFor(() => results()?.ready === false, 2000, "unready again");
  });

  it("restarts a container whose liveness probe fails, with the probe's grace period, then probes the new one", async () => {
    const healthy = { alive: true };
    const { runtime, logs, runs } = setUp({ livenessProbe: fast("alive", { terminationGracePeriodSeconds: 3 }) }, healthy);
    await waitFor(() => runs("alive") >= observedRuns, 2000, "passing liveness probe runs");
    expect(runtime.calls.filter((c) => c.startsWith("killContainer"))).toEqual([]);
    healthy.alive = false;
    await waitFor(() => runtime.calls.includes("killContainer u1 main"), 2000, "the kill");
    expect(logs).toContain("pod default/web: container main failed liveness probe, will be restarted");
    const probesBefore = runtime.calls.filter((c) => c.startsWith("exec")).length;
    await waitFor(() => runtime.calls.filter((c) => c.startsWith("exec")).length > probesBefore + 1, 2000, "probing the new container");
  });

  it("runs readiness and liveness only after the startup probe succeeded", async () => {
    const healthy = { started: false, ready: true, alive: true };
    const { runtime, results, runs } = setUp({ startupProbe: fast("started", { failureThreshold: 1000 }), readinessProbe: fast("ready"), livenessProbe: fast("alive") }, healthy);
    await waitFor(() => runs("started") >= observedRuns, 2000, "failing startup probe runs");
    expect(new Set(runtime.calls.filter((c) => c.startsWith("exec")))).toEqual(new Set(["exec u1 main started"]));
    expect(results()).toEqual({ started: false, ready: false });
    healthy.started = true;
    await waitFor(() => results()?.ready, 2000, "started and ready");
    expect(runtime.calls).toContain("exec u1 main alive");
  });

  it("waits initialDelaySeconds before the first probe", async () => {
    vi.useFakeTimers(); // the container's start time and the probe timers on one fake clock
    const { runs } = setUp({ readinessProbe: fast("ready", { initialDelaySeconds: 1 }) }, { ready: true });
    await vi.advanceTimersByTimeAsync(950); // some 30 probe periods, all within the delay
    expect(runs()).toBe(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(runs()).toBeGreaterThan(0);
  });

  it("stops probing a pod that stops", async () => {
    vi.useFakeTimers();
    const { runtime, manager, runs } = setUp({ readinessProbe: fast("ready") }, { ready: true });
    await vi.advanceTimersByTimeAsync(100);
    expect(runs()).toBeGreaterThan(0);
    await runtime.killPod("u1");
    manager.update(runtime.listPods());
    const count = runtime.calls.length;
    await vi.advanceTimersByTimeAsync(1000); // some 30 probe periods
    expect(runtime.calls.length).toBe(count);
    expect(manager.results("u1")).toBeUndefined();
  });
});
