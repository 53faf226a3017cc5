import { describe, expect, it } from "vitest";
import { buildContainerCommand, expandVariables } from "./container-command.ts";

describe("expandVariables (Kubernetes $(VAR) rules)", () => {
  const vars: Record<string, string> = { A: "1", B: "two" };
  it.each([
    ["$(A)", "1"],
    ["x-$(A)-$(B)-y", "x-1-two-y"],
    ["$(MISSING)", "$(MISSING)"],
    ["$$(A)", "$(A)"],
    ["$$", "$"],
    ["$A", "$A"],
    ["$(A", "$(A"],
    ["cost $", "cost $"],
    ["", ""],
  ])("%j -> %j", (input, want) => {
    expect(expandVariables(input, (name) => vars[name])).toBe(want);
  });
});

describe("buildContainerCommand", () => {
  it.each([
    {
      name: "command and args",
      container: { name: "c", command: ["sh", "-c"], args: ["echo hi"] },
      want: { argv: ["sh", "-c", "echo hi"], env: {} },
    },
    {
      name: "env references earlier env, command references env",
      container: {
        name: "c",
        command: ["echo", "$(URL)"],
        args: ["$(PORT)", "$(LATER)"],
        env: [
          { name: "LATER_USED_EARLY", value: "$(PORT)" },
          { name: "PORT", value: "8080" },
          { name: "URL", value: "http://localhost:$(PORT)/" },
        ],
      },
      want: {
        argv: ["echo", "http://localhost:8080/", "8080", "$(LATER)"],
        env: { LATER_USED_EARLY: "$(PORT)", PORT: "8080", URL: "http://localhost:8080/" },
      },
    },
    {
      name: "valueFrom is skipped, not fatal",
      container: {
        name: "c",
        command: ["true"],
        env: [{ name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }, { name: "EMPTY" }],
      },
      want: { argv: ["true"], env: { EMPTY: "" } },
    },
  ])("$name", ({ container, want }) => {
    expect(buildContainerCommand(container)).toEqual(want);
  });

  it.each([
    { name: "no command", container: { name: "c", image: "nginx" } },
    { name: "args only", container: { name: "c", args: ["x"] } },
    { name: "empty command", container: { name: "c", command: [] } },
  ])("has nothing to run with $name", ({ container }) => {
    expect(buildContainerCommand(container)).toBeUndefined();
  });
});
