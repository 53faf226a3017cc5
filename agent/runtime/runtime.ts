/**
 * @module
 * What the agent needs from a workload runtime (host processes, docker, podman), what a runtime
 * needs from the agent (`RuntimeHelper`, the kubelet's name for it: ConfigMaps and Secrets, the
 * node's facts, volumes), and the runtime-neutral snapshot of a pod that status assembly, probes
 * and the pod action planner read. Times are milliseconds since the epoch, fixed when the event
 * happened.
 *
 * @example
 * runtime.onChange(() => agent.converge());
 * await runtime.recover();          // adopt what survived the last agent
 * runtime.syncPod(pod);             // start, keep or restart its containers
 * await runtime.killPod(uid, 30);   // SIGTERM, grace, SIGKILL
 */
import type { Pod, PodSpec } from "../../src/resources/types.ts";
import type { ConfigSource } from "../pods/container-env.ts";
import type { PodFacts } from "../pods/downward-api.ts";
import type { VolumeManager } from "../volumes/volume-manager.ts";

export interface Termination {
  exitCode: number;
  /** Signal number when the process was killed by a signal. */
  signal?: number;
  /** Completed | Error | StartError | ContainerStatusUnknown */
  reason: string;
  message?: string;
  startedAt?: number;
  finishedAt: number;
  containerID?: string;
}

export type ContainerCurrentState =
  | { kind: "waiting"; reason: string; message?: string }
  | { kind: "running"; startedAt: number }
  | { kind: "terminated"; termination: Termination };

export interface ContainerSnapshot {
  name: string;
  /** The image as the runtime reports it, and its id (container runtimes only). */
  image?: string;
  imageID?: string;
  /** The current or most recent instance, e.g. `process://1234`. */
  containerID?: string;
  restartCount: number;
  state: ContainerCurrentState;
  /** The termination before the current state (the API's `lastState`). */
  lastTermination?: Termination;
}

/** active: containers run or restart; stopping: kill in progress; stopped: nothing runs any more. */
export type RuntimePodPhase = "active" | "stopping" | "stopped";

export interface RuntimePodSnapshot {
  uid: string;
  namespace: string;
  name: string;
  /** When the runtime first took the pod on (the API's `status.startTime`). */
  startTime: number;
  phase: RuntimePodPhase;
  /** The pod as last given to `syncPod` (orphans found on disk keep their grace period). */
  pod: Pod;
  /** The pod's own address when it has one (a container on a bridge network); else the node's. */
  podIP?: string;
  containers: ContainerSnapshot[];
}

export interface ExecResult {
  exitCode: number;
  /** stdout and stderr, at most 10 KiB (the kubelet's probe output limit). */
  output: string;
  timedOut: boolean;
}

/**
 * `kubectl logs` options, as the pods/log subresource takes them (k8s `PodLogOptions`), already
 * validated by the control plane. Times are milliseconds since the epoch.
 */
export interface LogRequest {
  container: string;
  /** Stream new output until the container stops or the session ends. */
  follow: boolean;
  /** The instance before the current one (its log is kept until the next restart). */
  previous: boolean;
  /** Prefix every line with its RFC 3339 timestamp (nanoseconds, as the kubelet prints). */
  timestamps: boolean;
  /** Only lines written at or after this time (`--since`, `--since-time`). */
  sinceTime?: number;
  /** Only the last N lines (`--tail`). */
  tailLines?: number;
  /** Stop after this many bytes (`--limit-bytes`). */
  limitBytes?: number;
}

/**
 * Where log or exec output goes. `write` resolves when the bytes were taken (back-pressure: do not
 * write again before it resolves). `signal` aborts when the operator went away or a limit was hit.
 */
export interface OutputSink {
  write(chunk: Uint8Array): Promise<void>;
  readonly signal: AbortSignal;
}

/** A terminal size, as kubectl's resize channel sends it. */
export interface TerminalSize {
  width: number;
  height: number;
}

/** `kubectl exec` as the agent sees it: the command and its three streams. */
export interface ExecRequest {
  container: string;
  command: string[];
  tty: boolean;
  /** Whether the operator sends stdin (`-i`). */
  stdin: boolean;
}

/** The operator's side of an exec: its input, resizes, and where the output goes. */
export interface ExecStreams {
  stdout: OutputSink;
  /** Absent with a TTY (stderr is merged into the terminal). */
  stderr?: OutputSink;
  /** Each stdin chunk, then null when the operator closed stdin. */
  onStdin(listener: (chunk: Uint8Array | null) => void): void;
  onResize(listener: (size: TerminalSize) => void): void;
}

/** A TCP byte stream to a pod port (port-forward), in both directions. */
export interface PortStream {
  write(chunk: Uint8Array): Promise<void>;
  /** Each chunk from the pod, then null when the pod side closed. */
  onData(listener: (chunk: Uint8Array | null) => void): void;
  close(): void;
}

/** What runtimes ask the agent for when they start a container (kubelet `RuntimeHelper`). */
export interface RuntimeHelper {
  config: ConfigSource;
  podFacts(): PodFacts;
  volumes: VolumeManager;
}

export interface Runtime {
  readonly name: string;
  /** False while the runtime cannot run anything (its CLI is missing, its daemon down). */
  available(): boolean;
  /** Checks again whether an unavailable runtime came up (rate-limited by the runtime). */
  refreshAvailability?(): void;
  /** Loads what the previous agent left on disk and adopts workloads that are still alive. */
  recover(): Promise<void>;
  /** Makes the pod's containers run as its restart policy says; idempotent. */
  syncPod(pod: Pod): void;
  /** Stops every container of the pod: SIGTERM, then SIGKILL after the grace period. */
  killPod(uid: string, gracePeriodSeconds: number): Promise<void>;
  /**
   * Stops one container (a failed liveness or startup probe): SIGTERM, grace, SIGKILL; the pod's
   * restart policy then applies as after any exit.
   */
  killContainer(uid: string, container: string, gracePeriodSeconds: number): Promise<void>;
  /** Runs a command in the container's context (exec probes); rejects only when it cannot run at all. */
  exec(uid: string, container: string, command: string[], timeoutMs: number): Promise<ExecResult>;
  /**
   * Writes the container's log as `kubectl logs` prints it (lines, with timestamps when asked),
   * honouring every option; resolves when done (at once without `follow`; with it, when the
   * container stopped or `out.signal` aborted). Rejects with a message for the operator when the
   * pod or container is unknown, or `previous` has no earlier instance.
   */
  logs?(uid: string, request: LogRequest, out: OutputSink): Promise<void>;
  /**
   * Runs `request.command` in the container (a process pod: its env, working directory and
   * user), wired to `streams`; resolves with its exit code. Rejects when it cannot start at all.
   */
  execStream?(uid: string, request: ExecRequest, streams: ExecStreams): Promise<number>;
  /**
   * Pre-staging: pulls the images of a pod spec that a start would pull (missing ones, and every
   * one with `imagePullPolicy: Always`), starting nothing; resolves to the images pulled, rejects
   * with the first failure. Absent: the runtime has nothing to pull (host processes).
   */
  pullImages?(namespace: string, spec: PodSpec): Promise<string[]>;
  /** Connects to `port` of the pod (a process pod: on the node's loopback). */
  connectPort?(uid: string, port: number): Promise<PortStream>;
  /** Where httpGet and tcpSocket probes without a host connect to. */
  probeHost(uid: string): string;
  /** Forgets a stopped pod and deletes what it kept on disk. */
  removePod(uid: string): void;
  listPods(): RuntimePodSnapshot[];
  /** Called after every state change a status report would show (start, exit, back-off, stop). */
  onChange(listener: () => void): void;
  /** Stops watching; the workloads keep running. */
  close(): void;
}
