/**
 * @module
 * The kubelet's probe worker bookkeeping (pkg/kubelet/prober/worker.go `doProbe`), as pure
 * functions: defaults of a probe's timing fields, the value a probe has before it first runs
 * (readiness: failure, liveness: success, startup: unknown), and how one outcome moves the
 * published result: only after `successThreshold` successes or `failureThreshold` failures in a
 * row. A liveness or startup failure that gets through puts the worker on hold until the
 * container is replaced (it is being restarted).
 *
 * @example
 * let state = newProbeState("readiness");
 * ({ state } = recordOutcome(state, "success", probeTiming({ successThreshold: 2 }), "readiness")); // result still "failure"
 * ({ state } = recordOutcome(state, "success", probeTiming({ successThreshold: 2 }), "readiness")); // result "success"
 */
import type { Probe } from "../../src/resources/types.ts";

export type ProbeType = "readiness" | "liveness" | "startup";
export type ProbeResult = "success" | "failure" | "unknown";

export interface ProbeTiming {
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

/** The API's defaults (SetDefaults_Probe): period 10 s, timeout 1 s, thresholds 1 and 3. */
export function probeTiming(probe: Partial<Probe>): ProbeTiming {
  const positive = (value: number | undefined, fallback: number) => (value !== undefined && value > 0 ? value : fallback);
  return {
    initialDelaySeconds: Math.max(0, probe.initialDelaySeconds ?? 0),
    periodSeconds: positive(probe.periodSeconds, 10),
    timeoutSeconds: positive(probe.timeoutSeconds, 1),
    successThreshold: positive(probe.successThreshold, 1),
    failureThreshold: positive(probe.failureThreshold, 3),
  };
}

export function initialResult(type: ProbeType): ProbeResult {
  return type === "readiness" ? "failure" : type === "liveness" ? "success" : "unknown";
}

export interface ProbeState {
  /** The container instance the result belongs to. */
  containerID?: string;
  /** The published result (what readiness, startup and restarts act on). */
  result: ProbeResult;
  lastOutcome?: ProbeResult;
  /** How many times in a row `lastOutcome` came. */
  run: number;
  /** Set after a liveness/startup failure: no probing until a new container. */
  onHold: boolean;
}

export function newProbeState(type: ProbeType): ProbeState {
  return { result: initialResult(type), run: 0, onHold: false };
}

/** A new container instance: the result starts over, probing resumes (the run count is kept, as in the kubelet). */
export function resetForContainer(state: ProbeState, containerID: string, type: ProbeType): ProbeState {
  return { ...state, containerID, result: initialResult(type), onHold: false };
}

export interface RecordedOutcome {
  state: ProbeState;
  /** The published result changed. */
  changed: boolean;
  /** A liveness or startup probe failed for good: the container must be restarted. */
  kill: boolean;
}

export function recordOutcome(state: ProbeState, outcome: ProbeResult, timing: ProbeTiming, type: ProbeType): RecordedOutcome {
  const run = state.lastOutcome === outcome ? state.run + 1 : 1;
  const next: ProbeState = { ...state, lastOutcome: outcome, run };
  if ((outcome === "failure" && run < timing.failureThreshold) || (outcome === "success" && run < timing.successThreshold)) {
    return { state: next, changed: false, kill: false };
  }
  const changed = next.result !== outcome;
  next.result = outcome;
  if ((type === "liveness" || type === "startup") && outcome === "failure") {
    next.onHold = true;
    next.run = 0;
    return { state: next, changed, kill: true };
  }
  return { state: next, changed, kill: false };
}
