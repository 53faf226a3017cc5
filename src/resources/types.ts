/**
 * @module
 * The Kubernetes object shapes edgeset stores and serves, in their stored (apps/v1, core/v1)
 * form. They are rendered from the schema data the API validates with and serves to kubectl
 * (`k8s-types.ts`, written by `npm run gen:types`), so a field exists in the code exactly when the
 * schema has it; the few guarantees of the stored form (a stored object always has its metadata
 * and spec) are listed in `schema/stored-form.ts`.
 */
import type { ConfigMap, ControllerRevision, DaemonSet, Event, Namespace, Node, Pod, Secret, Taint } from "./k8s-types.ts";

export type {
  OwnerReference,
  ObjectMeta,
  LabelSelectorRequirement,
  LabelSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  NodeSelector,
  PreferredSchedulingTerm,
  NodeAffinity,
  PodAffinityTerm,
  WeightedPodAffinityTerm,
  PodAffinity,
  Affinity,
  Taint,
  Toleration,
  EnvVar,
  EnvFromSource,
  ContainerPort,
  VolumeMount,
  Probe,
  ResourceRequirements,
  Container,
  KeyToPath,
  Volume,
  PodSpec,
  PodTemplateSpec,
  IntOrString,
  DaemonSetUpdateStrategy,
  DaemonSetSpec,
  DaemonSetCondition,
  DaemonSetStatus,
  DaemonSet,
  PodCondition,
  ContainerState,
  ContainerStatus,
  PodStatus,
  Pod,
  NodeCondition,
  NodeAddress,
  NodeSystemInfo,
  NodeSpec,
  NodeStatus,
  Node,
  Namespace,
  ControllerRevision,
  ObjectReference,
  Event,
  ConfigMap,
  Secret,
} from "./k8s-types.ts";

export type Labels = Record<string, string>;

export interface TypeMeta {
  apiVersion: string;
  kind: string;
}

export type TaintEffect = Taint["effect"];
export type PodPhase = NonNullable<NonNullable<Pod["status"]>["phase"]>;

/** Any object edgeset stores. */
export type KubeObject = DaemonSet | Pod | Node | Namespace | ControllerRevision | Event | ConfigMap | Secret;

/** Well-known label, annotation and taint keys (Kubernetes names). */
export const wellKnown = {
  controllerRevisionHash: "controller-revision-hash",
  podTemplateGeneration: "pod-template-generation",
  templateGenerationAnnotation: "deprecated.daemonset.template.generation",
  changeCause: "kubernetes.io/change-cause",
  lastApplied: "kubectl.kubernetes.io/last-applied-configuration",
  hostname: "kubernetes.io/hostname",
  os: "kubernetes.io/os",
  arch: "kubernetes.io/arch",
  configMirror: "kubernetes.io/config.mirror",
  configSource: "kubernetes.io/config.source",
  configHash: "kubernetes.io/config.hash",
  taintNotReady: "node.kubernetes.io/not-ready",
  taintUnreachable: "node.kubernetes.io/unreachable",
  taintDiskPressure: "node.kubernetes.io/disk-pressure",
  taintMemoryPressure: "node.kubernetes.io/memory-pressure",
  taintPidPressure: "node.kubernetes.io/pid-pressure",
  taintUnschedulable: "node.kubernetes.io/unschedulable",
  taintNetworkUnavailable: "node.kubernetes.io/network-unavailable",
} as const;
