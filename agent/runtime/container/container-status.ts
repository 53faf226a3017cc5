/**
 * @module
 * One pod container as the engine runtimes track it, and what it reads as in the API: the
 * instances the engine lists (one per start, oldest first, numbered by their restartCount label),
 * the waiting reason the agent set (pulling, back-off, config error), and a start that failed
 * before the engine created anything. The most recent instance is the current state; the one
 * before it, the last state. Pure (the clock is a parameter).
 *
 * @example
 * containerSnapshot(container, "docker", Date.now())
 * // { name: "main", restartCount: 2, containerID: "docker://4f…", state: { kind: "running", … }, lastTermination: { exitCode: 1, … } }
 */
import type { Container, Pod } from "../../../src/resources/types.ts";
import type { RestartBackoffEntry } from "../../pods/restart-backoff.ts";
import type { ContainerSnapshot, RuntimePodPhase, Termination } from "../runtime.ts";
import { type InspectedContainer, terminationOf } from "./inspect.ts";
import { labels } from "./run-args.ts";

export interface Waiting {
  reason: string;
  message?: string;
}

export interface EngineContainer {
  name: string;
  spec: Container;
  /** Instances from the last relist, oldest attempt first. */
  instances: InspectedContainer[];
  /** An operation (pull, run, stop) is under way: nothing else starts meanwhile. */
  busy: boolean;
  waiting?: Waiting;
  /** A `run` that failed before the engine created anything (no instance to show it). */
  runFailure?: { termination: Termination; attempt: number };
  backoff?: RestartBackoffEntry;
  pullBackoff?: RestartBackoffEntry;
  pullFailedAt?: number;
  timer?: ReturnType<typeof setTimeout>;
}

/** A pod on an engine: its containers, and its volumes once set up. */
export interface EnginePod {
  uid: string;
  namespace: string;
  name: string;
  /** `<namespace>_<name>_<uid>`, the name of its volume directories. */
  key: string;
  pod: Pod;
  startTime: number;
  phase: RuntimePodPhase;
  stopping?: Promise<void>;
  volumePaths?: Map<string, string>;
  volumeError?: string;
  containers: Map<string, EngineContainer>;
}

export const attemptOf = (c: InspectedContainer): number => Number(c.labels[labels.restartCount] ?? 0) || 0;

/** An exit, or for an instance the engine created but could not start, containerd's StartError. */
export function instanceTermination(i: InspectedContainer, engine: string, now: number): Termination {
  if (i.status === "created") {
    const at = i.createdAt ?? now;
    return { exitCode: 128, reason: "StartError", message: i.error || "the container was created but never started", startedAt: at, finishedAt: at, containerID: `${engine}://${i.id}` };
  }
  return terminationOf(i, engine, now);
}

/** The latest end of the container and its restart number, or undefined when it runs or never ran. */
export function lastExit(c: EngineContainer, engine: string, now: number): { termination: Termination; attempt: number } | undefined {
  const current = c.instances.at(-1);
  if (c.runFailure && (!current || c.runFailure.attempt > attemptOf(current))) return c.runFailure;
  if (!current || current.running) return undefined;
  return { termination: instanceTermination(current, engine, now), attempt: attemptOf(current) };
}

export function containerSnapshot(c: EngineContainer, engine: string, now: number): ContainerSnapshot {
  const current = c.instances.at(-1);
  const previous = c.instances.at(-2);
  const endOf = (i: InspectedContainer) => instanceTermination(i, engine, now);
  const base = {
    name: c.name,
    restartCount: Math.max(current ? attemptOf(current) : 0, c.runFailure?.attempt ?? 0),
    image: c.spec.image,
    ...(current ? { containerID: `${engine}://${current.id}`, imageID: current.imageID } : {}),
  };
  if (current?.running) {
    return { ...base, state: { kind: "running", startedAt: current.startedAt ?? now }, ...(previous ? { lastTermination: endOf(previous) } : {}) };
  }
  const last = lastExit(c, engine, now)?.termination;
  if (c.waiting) return { ...base, state: { kind: "waiting", ...c.waiting }, ...(last ? { lastTermination: last } : {}) };
  if (last) {
    const failedRun = c.runFailure !== undefined && last === c.runFailure.termination;
    const before = failedRun ? (current ? endOf(current) : undefined) : previous ? endOf(previous) : undefined;
    return { ...base, state: { kind: "terminated", termination: last }, ...(before ? { lastTermination: before } : {}) };
  }
  return { ...base, state: { kind: "waiting", reason: "ContainerCreating" } };
}
