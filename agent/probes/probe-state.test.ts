import { describe, expect, it } from "vitest";
import { newProbeState, type ProbeResult, type ProbeType, probeTiming, recordOutcome, resetForContainer } from "./probe-state.ts";

describe("probeTiming", () => {
  it.each([
    { probe: {}, want: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 } },
    {
      probe: { initialDelaySeconds: 5, periodSeconds: 2, timeoutSeconds: 3, successThreshold: 2, failureThreshold: 1 },
      want: { initialDelaySeconds: 5, periodSeconds: 2, timeoutSeconds: 3, successThreshold: 2, failureThreshold: 1 },
    },
    { probe: { periodSeconds: 0, timeoutSeconds: 0 }, want: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 } },
  ])("$probe", ({ probe, want }) => {
    expect(probeTiming(probe)).toEqual(want);
  });
});

/** Feeds outcomes in order; returns the published result after each and whether a kill was asked. */
function feed(type: ProbeType, outcomes: ProbeResult[], thresholds: { successThreshold?: number; failureThreshold?: number } = {}) {
  let state = resetForContainer(newProbeState(type), "c1", type);
  const timing = probeTiming(thresholds);
  return outcomes.map((outcome) => {
    const recorded = recordOutcome(state, outcome, timing, type);
    state = recorded.state;
    return recorded.kill ? `${state.result}+kill` : state.result;
  });
}

describe("recordOutcome", () => {
  it.each<{ name: string; type: ProbeType; outcomes: ProbeResult[]; thresholds?: object; want: string[] }>([
    { name: "readiness starts failed and turns ready on the first success", type: "readiness", outcomes: ["success"], want: ["success"] },
    {
      name: "readiness needs successThreshold successes in a row",
      type: "readiness",
      outcomes: ["success", "failure", "success", "success"],
      thresholds: { successThreshold: 2 },
      want: ["failure", "failure", "failure", "success"],
    },
    {
      name: "readiness turns unready after failureThreshold failures",
      type: "readiness",
      outcomes: ["success", "failure", "failure", "failure"],
      want: ["success", "success", "success", "failure"],
    },
    {
      name: "liveness starts healthy and asks for a kill after failureThreshold failures",
      type: "liveness",
      outcomes: ["failure", "failure", "failure"],
      want: ["success", "success", "failure+kill"],
    },
    { name: "a success in between resets the failure count", type: "liveness", outcomes: ["failure", "failure", "success", "failure", "failure"], want: ["success", "success", "success", "success", "success"] },
    { name: "startup is unknown until it succeeds", type: "startup", outcomes: ["failure", "success"], want: ["unknown", "success"] },
    { name: "startup failing for good asks for a kill", type: "startup", outcomes: ["failure"], thresholds: { failureThreshold: 1 }, want: ["failure+kill"] },
  ])("$name", ({ type, outcomes, thresholds, want }) => {
    expect(feed(type, outcomes, thresholds)).toEqual(want);
  });

  it("holds a killed container's worker until a new container comes", () => {
    const timing = probeTiming({ failureThreshold: 1 });
    let state = resetForContainer(newProbeState("liveness"), "c1", "liveness");
    state = recordOutcome(state, "failure", timing, "liveness").state;
    expect(state.onHold).toBe(true);
    state = resetForContainer(state, "c2", "liveness");
    expect(state).toMatchObject({ containerID: "c2", result: "success", onHold: false });
  });
});
