/**
 * @module
 * How the end of a process reads in the API (ContainerStateTerminated), matching what containerd
 * reports through the kubelet: exit code 128+N for signal N, reason Completed for 0 and Error
 * otherwise, StartError (128) when exec failed, and the kubelet's ContainerStatusUnknown (137) when
 * nobody saw the exit. Also signals a container's process group. `now` is a parameter.
 *
 * @example
 * exitTermination({ pid: 42, startedAt: t0 }, null, "SIGTERM", t1)
 * // { exitCode: 143, signal: 15, reason: "Error", startedAt: t0, finishedAt: t1, containerID: "process://42" }
 */
import { constants } from "node:os";
import type { Termination } from "../runtime.ts";

interface Instance {
  pid: number;
  startedAt: number;
}

export function exitTermination(instance: Instance, code: number | null, signal: NodeJS.Signals | null, now: number): Termination {
  const signalNumber = signal ? constants.signals[signal] : undefined;
  const exitCode = code ?? (signalNumber !== undefined ? 128 + signalNumber : 137);
  const termination: Termination = {
    exitCode,
    reason: exitCode === 0 ? "Completed" : "Error",
    startedAt: instance.startedAt,
    finishedAt: now,
    containerID: `process://${instance.pid}`,
  };
  if (signalNumber !== undefined) termination.signal = signalNumber;
  return termination;
}

export function startErrorTermination(message: string, now: number): Termination {
  return { exitCode: 128, reason: "StartError", message, startedAt: now, finishedAt: now };
}

/** The process was adopted (not our child) or ended while no agent ran: its exit status is lost. */
export function unknownTermination(instance: Instance, now: number): Termination {
  return {
    exitCode: 137,
    reason: "ContainerStatusUnknown",
    message: "the process was not a child of this agent, so its exit status is unknown",
    startedAt: instance.startedAt,
    finishedAt: now,
    containerID: `process://${instance.pid}`,
  };
}

/** Signals the process group a container leads (spawned detached, so its pgid is its pid). */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}
