import { describe, expect, it } from "vitest";
import { exitTermination, startErrorTermination, unknownTermination } from "./terminations.ts";

const instance = { pid: 42, startedAt: 1000 };

describe("exitTermination", () => {
  it.each([
    { name: "clean exit", code: 0, signal: null, want: { exitCode: 0, reason: "Completed" } },
    { name: "failure", code: 3, signal: null, want: { exitCode: 3, reason: "Error" } },
    { name: "SIGTERM", code: null, signal: "SIGTERM" as const, want: { exitCode: 143, signal: 15, reason: "Error" } },
    { name: "SIGKILL", code: null, signal: "SIGKILL" as const, want: { exitCode: 137, signal: 9, reason: "Error" } },
  ])("$name", ({ code, signal, want }) => {
    expect(exitTermination(instance, code, signal, 2000)).toEqual({
      ...want,
      startedAt: 1000,
      finishedAt: 2000,
      containerID: "process://42",
    });
  });
});

describe("other endings", () => {
  it.each([
    { name: "exec failure", got: startErrorTermination("spawn x ENOENT", 5), want: { exitCode: 128, reason: "StartError", message: "spawn x ENOENT" } },
    { name: "unseen exit", got: unknownTermination(instance, 5), want: { exitCode: 137, reason: "ContainerStatusUnknown", containerID: "process://42" } },
  ])("$name", ({ got, want }) => {
    expect(got).toMatchObject(want);
  });
});
