import { describe, expect, it } from "vitest";
import { containerSnapshot, type EngineContainer, lastExit } from "./container-status.ts";
import type { InspectedContainer } from "./inspect.ts";

const t = (s: number) => Date.UTC(2024, 4, 1, 10, 0, s);
const instance = (attempt: number, state: Partial<InspectedContainer>): InspectedContainer => ({
  id: `id${attempt}`,
  name: `k8s_main_web_default_u1_${attempt}`,
  labels: { "io.kubernetes.container.restartCount": String(attempt) },
  status: "exited",
  running: false,
  pid: 0,
  exitCode: 0,
  oomKilled: false,
  error: "",
  image: "nginx:1.27",
  imageID: "sha256:abc",
  ...state,
});
const running = (attempt: number) => instance(attempt, { status: "running", running: true, pid: 42, startedAt: t(10) });
const exited = (attempt: number, exitCode: number) => instance(attempt, { exitCode, startedAt: t(1), finishedAt: t(5) });
const container = (c: Partial<EngineContainer>): EngineContainer => ({ name: "main", spec: { name: "main", image: "nginx:1.27" }, instances: [], busy: false, ...c });

describe("containerSnapshot", () => {
  it.each<{ name: string; c: Partial<EngineContainer>; want: object }>([
    { name: "nothing yet", c: {}, want: { restartCount: 0, state: { kind: "waiting", reason: "ContainerCreating" } } },
    {
      name: "the first instance running",
      c: { instances: [running(0)] },
      want: { restartCount: 0, containerID: "docker://id0", imageID: "sha256:abc", state: { kind: "running", startedAt: t(10) } },
    },
    {
      name: "a restart running, the previous exit as last state",
      c: { instances: [exited(0, 2), running(1)] },
      want: { restartCount: 1, containerID: "docker://id1", state: { kind: "running" }, lastTermination: { exitCode: 2, reason: "Error", containerID: "docker://id0" } },
    },
    {
      name: "backing off after an exit",
      c: { instances: [exited(0, 1)], waiting: { reason: "CrashLoopBackOff", message: "back-off 10s" } },
      want: { state: { kind: "waiting", reason: "CrashLoopBackOff" }, lastTermination: { exitCode: 1 } },
    },
    { name: "exited for good", c: { instances: [exited(3, 0)] }, want: { restartCount: 3, state: { kind: "terminated", termination: { exitCode: 0, reason: "Completed" } } } },
    {
      name: "created but never started (StartError)",
      c: { instances: [instance(0, { status: "created", error: "exec: no such file", createdAt: t(3) })] },
      want: { state: { kind: "terminated", termination: { exitCode: 128, reason: "StartError", message: "exec: no such file", finishedAt: t(3) } } },
    },
    {
      name: "a run that failed before any instance",
      c: { runFailure: { attempt: 1, termination: { exitCode: 128, reason: "StartError", message: "Conflict", finishedAt: t(7) } }, instances: [exited(0, 1)] },
      want: { restartCount: 1, state: { kind: "terminated", termination: { message: "Conflict" } }, lastTermination: { exitCode: 1 } },
    },
  ])("$name", ({ c, want }) => {
    expect(containerSnapshot(container(c), "docker", t(60))).toMatchObject({ name: "main", image: "nginx:1.27", ...want });
  });
});

describe("lastExit", () => {
  it.each<{ name: string; c: Partial<EngineContainer>; want: number | undefined }>([
    { name: "never ran", c: {}, want: undefined },
    { name: "running", c: { instances: [running(0)] }, want: undefined },
    { name: "exited", c: { instances: [exited(0, 1), exited(1, 1)] }, want: 1 },
    { name: "a later failed run", c: { instances: [exited(1, 1)], runFailure: { attempt: 2, termination: { exitCode: 128, reason: "StartError", finishedAt: 0 } } }, want: 2 },
  ])("$name", ({ c, want }) => {
    expect(lastExit(container(c), "docker", 0)?.attempt).toBe(want);
  });
});
