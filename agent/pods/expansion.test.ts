import { describe, expect, it } from "vitest";
import { expandVariables } from "./expansion.ts";

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
