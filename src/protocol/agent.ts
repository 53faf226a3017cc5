/**
 * @module
 * The wire contract between the device agent and the control plane (`/agent/v1/*`). The agent
 * imports only these types from the Worker's tree.
 *
 * One sync per interval carries everything up (heartbeat, node status, the status of every pod
 * the agent runs, static pods) and brings the node's assigned pods down. The agent sends the
 * version it last received as `If-None-Match`; when the assignments did not change and nothing
 * reported changed, the answer is `304 Not Modified` with no body.
 *
 * The agent serialises its request deterministically (same state, same bytes), because the
 * control plane compares a digest of the body with the last one it stored to decide, without
 * reading anything else, that there is nothing to write.
 */
import type { ConfigMap, Labels, NodeAddress, NodeCondition, NodeSystemInfo, Pod, PodStatus, Secret } from "../resources/types.ts";

export const agentApiPrefix = "/agent/v1";

/**
 * The longest an agent waits between two sync attempts while the control plane does not answer
 * (its back-off cap, 60 s, plus 10 % jitter). After the control plane was away, every device gets
 * this long on top of the grace period to come back before it is judged.
 */
export const agentMaxRetryWaitMs = 66_000;

/**
 * Names each sync attempt `<boot>/<n>`: a random id per agent process and a counter. The control
 * plane writes a report through only if it is newer than the last one it wrote from the same boot,
 * so a report the network delivers late (after a newer one) or twice changes nothing.
 */
export const reportSequenceHeader = "X-Edgeset-Report-Sequence";

/**
 * On a sync answer (304 or 200): how many operator sessions (kubectl logs, exec, port-forward)
 * wait for this device. The agent then lists them (`GET /agent/v1/sessions`) and opens one
 * WebSocket per session (`GET /agent/v1/sessions/<id>`). Absent when none wait.
 */
export const sessionsHeader = "X-Edgeset-Sessions";

/**
 * What a session is for. The bridge and the agent dispatch on it; a kind one of them does not
 * serve is refused with 501 (an older agent), never left waiting.
 */
export type SessionKind = "log" | "exec" | "attach" | "portforward";

/** A session the control plane announced to the device. */
export interface SessionOffer {
  id: string;
  kind: SessionKind;
  namespace: string;
  pod: string;
  uid: string;
  /** For `log`: the validated PodLogOptions. */
  log?: {
    container: string;
    follow: boolean;
    previous: boolean;
    timestamps: boolean;
    sinceTime?: number;
    tailLines?: number;
    limitBytes?: number;
  };
  /**
   * For `exec`: the validated PodExecOptions and the subprotocol kubectl's socket speaks. For
   * `attach`: the same, with no command (PodAttachOptions; stdin and tty are refused before).
   */
  exec?: ExecOffer;
  /** For `portforward`: the subprotocol kubectl's socket speaks (ports come per stream). */
  portForward?: { protocol: string };
}

export interface ExecOffer {
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  /** `v5.channel.k8s.io` or `v4.channel.k8s.io` (see remote-command.ts). */
  protocol: string;
}

/**
 * The agent's first message on a session socket (text): whether it can serve it. Then binary
 * frames (the output), and a normal close at the end. The bridge sends `{"ack": bytes}` (text)
 * for what it passed on: the agent keeps at most `sessionWindowBytes` unacknowledged.
 */
export interface SessionHello {
  status: number;
  message?: string;
}

export const sessionWindowBytes = 256 * 1024;

export interface ReportSequence {
  boot: string;
  n: number;
}

/** The header's value, or undefined when it is malformed. */
export function parseReportSequence(value: string): ReportSequence | undefined {
  const match = /^([A-Za-z0-9-]{1,64})\/(\d{1,15})$/.exec(value);
  return match ? { boot: match[1]!, n: Number(match[2]) } : undefined;
}

export interface EnrollRequest {
  /** DNS-1123 subdomain; defaults to the hostname on the device. */
  nodeName: string;
  /** Applied when the node is first created only; afterwards the API owns the node's labels. */
  labels?: Labels;
  node?: NodeReport;
}

export interface EnrollResponse {
  nodeName: string;
  /** The node credential: shown once, stored hashed by the control plane. */
  credential: string;
  syncIntervalSeconds: number;
}

/** What the agent knows about its own node. */
export interface NodeReport {
  /**
   * Labels the agent owns and keeps current (`kubernetes.io/hostname`, `kubernetes.io/os`,
   * `kubernetes.io/arch`), as the kubelet does. Other labels are never touched by a sync.
   */
  labels?: Labels;
  nodeInfo?: Partial<NodeSystemInfo>;
  addresses?: NodeAddress[];
  capacity?: Record<string, string>;
  allocatable?: Record<string, string>;
  /** Conditions other than Ready (Ready is the control plane's to set from the lease). */
  conditions?: NodeCondition[];
  /** Workload runtimes this device can run (`process`, `docker`, `podman`). */
  runtimes?: string[];
}

export interface PodReport {
  namespace: string;
  name: string;
  uid: string;
  status: PodStatus;
}

export interface SyncRequest {
  node: NodeReport;
  /** Every assigned pod the agent runs or is trying to run. */
  pods: PodReport[];
  /**
   * UIDs of pods that carried a deletionTimestamp and whose workloads have stopped: the control
   * plane removes them (the kubelet's final delete with grace period 0).
   */
  terminated?: string[];
  /** Static pods from the device's manifest directory, reported as mirror pods (with status). */
  staticPods?: Pod[];
}

export interface SyncResponse {
  /**
   * Opaque version of the node's assignments, and of the ConfigMaps and Secrets they reference;
   * send it back as If-None-Match.
   */
  version: string;
  /** Every pod bound to the node, terminating ones included (with `metadata.deletionTimestamp`). */
  pods: Pod[];
  /**
   * The ConfigMaps and Secrets the pods reference (volumes, env, envFrom, imagePullSecrets), and
   * only those (the node authorizer rule). Secrets come decrypted, over TLS; keep them in memory or
   * on tmpfs, and only while a pod needs them. A referenced object that does not exist is absent.
   */
  configMaps?: ConfigMap[];
  secrets?: Secret[];
  syncIntervalSeconds: number;
}
