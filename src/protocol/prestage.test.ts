import { describe, expect, it } from "vitest";
import type { PodCondition } from "../resources/types.ts";
import { formatUpcoming, parseUpcoming, stagedCondition, stagedRevisionOf, stagingReportOf } from "./prestage.ts";

const withCondition = (c: PodCondition) => ({ status: { conditions: [{ type: "Ready", status: "True" }, c] } });

describe("the upcoming annotation", () => {
  it("round-trips", () => {
    const upcoming = { revision: "5f7c9d8b", spec: { containers: [{ name: "web", image: "web:2" }] } };
    expect(parseUpcoming(formatUpcoming(upcoming))).toEqual(upcoming);
  });

  it.each([undefined, "", "{", "[]", '{"revision":"","spec":{"containers":[]}}', '{"revision":"h","spec":{}}', '{"revision":1,"spec":{"containers":[]}}'])("%j is no upcoming revision", (value) => {
    expect(parseUpcoming(value)).toBeUndefined();
  });
});

describe("the Staged condition", () => {
  it.each([
    [stagedCondition("h2", { kind: "staged", detail: "1 image pulled, 0 volumes written" }), { revision: "h2", kind: "staged" }, "h2"],
    [stagedCondition("h2", { kind: "staging" }), { revision: "h2", kind: "staging" }, undefined],
    [stagedCondition("h2", { kind: "failed", message: "pull failed" }), { revision: "h2", kind: "failed" }, undefined],
    [{ type: "rollout.edgeset.dev/Staged", status: "True", reason: "Staged", message: "no revision here" }, undefined, undefined],
    [{ type: "Other", status: "True", message: "revision h2" }, undefined, undefined],
  ] as [PodCondition, unknown, string | undefined][])("%j", (condition, report, staged) => {
    expect(stagingReportOf(withCondition(condition))).toEqual(report);
    expect(stagedRevisionOf(withCondition(condition))).toBe(staged);
  });

  it("holds no timestamp: the same state is the same bytes", () => {
    expect(JSON.stringify(stagedCondition("h", { kind: "staging" }))).toBe(JSON.stringify(stagedCondition("h", { kind: "staging" })));
    expect(Object.keys(stagedCondition("h", { kind: "staging" }))).not.toContain("lastTransitionTime");
  });
});
