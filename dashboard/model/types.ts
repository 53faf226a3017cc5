/** The slices of the Kubernetes objects the dashboard reads (the API serves the full objects). */

export interface Meta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
}

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Node {
  metadata: Meta;
  spec: { unschedulable?: boolean; taints?: Taint[] };
  status?: { conditions?: Condition[]; nodeInfo?: { kubeletVersion?: string; osImage?: string; architecture?: string } };
}

export interface Probe {
  [key: string]: unknown;
}

export interface Container {
  name: string;
  image?: string;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state?: { waiting?: { reason?: string }; running?: { startedAt?: string }; terminated?: { exitCode: number; reason?: string } };
}

export interface Pod {
  metadata: Meta;
  spec: { nodeName?: string; containers: Container[] };
  status?: { phase?: string; conditions?: Condition[]; containerStatuses?: ContainerStatus[]; message?: string };
}

export interface DaemonSetStatus {
  desiredNumberScheduled?: number;
  currentNumberScheduled?: number;
  updatedNumberScheduled?: number;
  numberReady?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  numberMisscheduled?: number;
  observedGeneration?: number;
  /** `Progressing` (and `RolledBack`), set by the controller when edge rollout settings are present. */
  conditions?: Condition[];
}

export interface DaemonSet {
  metadata: Meta & { generation?: number };
  spec: { selector?: { matchLabels?: Record<string, string> }; updateStrategy?: { type?: string }; template: { metadata?: { annotations?: Record<string, string> } } };
  status?: DaemonSetStatus;
}

export interface ControllerRevision {
  metadata: Meta;
  revision: number;
  data?: unknown;
}

export interface Event {
  metadata: Meta;
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  firstTimestamp?: string | null;
}

export interface Lease {
  metadata: Meta;
  spec: { renewTime?: string };
}

export interface List<T> {
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}
