/**
 * @module
 * Assembles a pod's API status from the runtime snapshot, as the kubelet's
 * `generateAPIPodStatus` does: container statuses sorted by name, the phase from `getPhase`, and
 * the Initialized / Ready / ContainersReady / PodScheduled conditions. Pure: every timestamp comes
 * from an event recorded in the snapshot (never "now"), so unchanged state gives the same status.
 *
 * @example
 * buildPodStatus(pod, runtime.listPods().find((p) => p.uid === uid), { hostIP: "192.168.1.20" })
 * // { phase: "Running", conditions: [...], containerStatuses: [...], startTime: "…", hostIP: "…" }
 */
import type {
  Container,
  ContainerState,
  ContainerStatus,
  Pod,
  PodCondition,
  PodPhase,
  PodStatus,
} from "../../src/resources/types.ts";
import type { ContainerSnapshot, RuntimePodSnapshot, Termination } from "../runtime/runtime.ts";
import { formatTimestamp } from "../time.ts";

/** Probe results by container name; a container without an entry is ready once running (no probes yet). */
export type ProbeResults = Record<string, { ready?: boolean; started?: boolean } | undefined>;

export interface PodStatusOptions {
  /** The node's InternalIP; a process shares the host network, so it is the pod IP too. */
  hostIP?: string;
  /** The pod's own address, when it has one (a container on a bridge network). */
  podIP?: string;
  probes?: ProbeResults;
}

function toApiTerminated(t: Termination): ContainerState {
  const terminated: NonNullable<ContainerState["terminated"]> = { exitCode: t.exitCode, reason: t.reason };
  if (t.signal !== undefined) terminated.signal = t.signal;
  if (t.message) terminated.message = t.message;
  if (t.startedAt !== undefined) terminated.startedAt = formatTimestamp(t.startedAt);
  terminated.finishedAt = formatTimestamp(t.finishedAt);
  return { terminated };
}

function toApiState(snapshot: ContainerSnapshot): ContainerState {
  const state = snapshot.state;
  switch (state.kind) {
    case "running":
      return { running: { startedAt: formatTimestamp(state.startedAt) } };
    case "terminated":
      return toApiTerminated(state.termination);
    case "waiting":
      return { waiting: state.message ? { reason: state.reason, message: state.message } : { reason: state.reason } };
  }
}

function buildContainerStatus(container: Container, snapshot: ContainerSnapshot | undefined, probes: ProbeResults): ContainerStatus {
  const image = snapshot?.image || container.image || "process";
  if (!snapshot) {
    return {
      name: container.name,
      state: { waiting: { reason: "ContainerCreating" } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image,
      imageID: "",
      started: false,
    };
  }
  const running = snapshot.state.kind === "running";
  const probe = probes[container.name];
  const status: ContainerStatus = {
    name: container.name,
    state: toApiState(snapshot),
    lastState: snapshot.lastTermination ? toApiTerminated(snapshot.lastTermination) : {},
    ready: running && (probe?.ready ?? true),
    restartCount: snapshot.restartCount,
    image,
    imageID: snapshot.imageID ?? "",
    started: running && (probe?.started ?? true),
  };
  if (snapshot.containerID) status.containerID = snapshot.containerID;
  return status;
}

/**
 * kubelet `getPhase` for regular containers (no init containers yet). `podIsTerminal`: the pod
 * was stopped, so its containers will not restart whatever the policy.
 */
export function getPhase(pod: Pod, statuses: ContainerStatus[], podIsTerminal: boolean): PodPhase {
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const container of pod.spec.containers) {
    const status = statuses.find((s) => s.name === container.name);
    if (!status?.state) {
      unknown++;
    } else if (status.state.running) {
      running++;
    } else if (status.state.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status.state.waiting) {
      if (status.lastState?.terminated) stopped++;
      else waiting++;
    } else {
      unknown++;
    }
  }
  const restartPolicy = pod.spec.restartPolicy ?? "Always";
  if (waiting > 0) return "Pending";
  if (running > 0 && unknown === 0) return "Running";
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? "Succeeded" : "Failed";
    if (restartPolicy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (restartPolicy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

/** When the pod's readiness last flipped, derived from container events (kubelet keeps it in memory). */
function readyTransitionTime(ready: boolean, snapshot: RuntimePodSnapshot): number {
  let latest: number | undefined;
  for (const c of snapshot.containers) {
    let at: number | undefined;
    if (ready && c.state.kind === "running") at = c.state.startedAt;
    if (!ready && c.state.kind === "terminated") at = c.state.termination.finishedAt;
    if (!ready && c.state.kind === "waiting") at = c.lastTermination?.finishedAt;
    if (at !== undefined && (latest === undefined || at > latest)) latest = at;
  }
  return latest ?? snapshot.startTime;
}

function condition(type: string, ok: boolean, at: string | undefined, reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status: ok ? "True" : "False", lastProbeTime: null };
  if (at) c.lastTransitionTime = at;
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c;
}

/** kubelet `GenerateContainersReadyCondition`: the reason and message when not every container is ready. */
function unreadyReason(pod: Pod, statuses: ContainerStatus[], phase: PodPhase): { reason?: string; message?: string } {
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const container of pod.spec.containers) {
    const status = statuses.find((s) => s.name === container.name);
    if (!status) unknown.push(container.name);
    else if (!status.ready) unready.push(container.name);
  }
  if (phase === "Succeeded" && unknown.length === 0) return { reason: "PodCompleted" };
  const messages: string[] = [];
  if (unknown.length > 0) messages.push(`containers with unknown status: [${unknown.join(" ")}]`);
  if (unready.length > 0) messages.push(`containers with unready status: [${unready.join(" ")}]`);
  if (messages.length === 0) return {};
  return { reason: "ContainersNotReady", message: messages.join(", ") };
}

export function buildPodStatus(pod: Pod, snapshot: RuntimePodSnapshot | undefined, options: PodStatusOptions = {}): PodStatus {
  const probes = options.probes ?? {};
  const containerStatuses = [...pod.spec.containers]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((c) => buildContainerStatus(c, snapshot?.containers.find((s) => s.name === c.name), probes));
  const phase = getPhase(pod, containerStatuses, snapshot?.phase === "stopped");

  const started = snapshot ? formatTimestamp(snapshot.startTime) : undefined;
  const { reason, message } = unreadyReason(pod, containerStatuses, phase);
  const ready = reason === undefined;
  const readyAt = snapshot ? formatTimestamp(readyTransitionTime(ready, snapshot)) : undefined;
  const scheduled =
    pod.status?.conditions?.find((c) => c.type === "PodScheduled") ??
    condition("PodScheduled", true, pod.metadata.creationTimestamp ?? started);

  const status: PodStatus = {
    phase,
    conditions: [
      condition("Initialized", true, started),
      condition("Ready", ready, readyAt, reason, message),
      condition("ContainersReady", ready, readyAt, reason, message),
      scheduled,
    ],
    containerStatuses,
  };
  if (options.hostIP) status.hostIP = options.hostIP;
  const podIP = options.podIP ?? options.hostIP;
  if (podIP) status.podIP = podIP;
  if (started) status.startTime = started;
  return status;
}
