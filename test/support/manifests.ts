/**
 * @module
 * The one builder of DaemonSet and Pod manifests for the Worker and end-to-end tests, typed from
 * the generated Kubernetes types. What a test does not name is the smallest valid object: one
 * container `main` running `busybox:1.36` `sleep 3600`, selected and labelled `app: <name>`.
 *
 * @example
 * daemonSet({ name, nodeSelector: { site }, pod: { terminationGracePeriodSeconds: 1 } });
 * daemonSet({ name, containers: [workloadContainer(marker)], spec: { minReadySeconds: 5 } });
 * pod({ name, namespace, containers: [{ name: "c", image: "busybox" }] });
 */
import type { Container, DaemonSet, DaemonSetSpec, ObjectMeta, Pod, PodSpec, PodStatus } from "../../src/resources/k8s-types.ts";

export const defaultImage = "busybox:1.36";
export const defaultCommand = ["sleep", "3600"];

interface ContainerOptions {
  /** The image of the one container (default busybox:1.36). */
  image?: string;
  /** The command of the one container (default `sleep 3600`). */
  command?: string[];
  /** Merged into the one container. */
  container?: Partial<Container>;
  /** The containers, instead of the one built from the options above. */
  containers?: Container[];
}

export interface DaemonSetOptions extends ContainerOptions {
  name: string;
  namespace?: string;
  apiVersion?: string;
  /** The selector's labels, carried by the template too (default `{ app: name }`). */
  labels?: Record<string, string>;
  /** Labels the template carries beside the selector's. */
  templateLabels?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  /** Merged into the pod template's spec. */
  pod?: Partial<PodSpec>;
  /** Merged into the DaemonSet's spec (updateStrategy, minReadySeconds, ...). */
  spec?: Partial<DaemonSetSpec>;
  /** Merged into the DaemonSet's metadata. */
  metadata?: ObjectMeta;
}

export interface PodOptions extends ContainerOptions {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  nodeName?: string;
  /** Merged into the pod's spec. */
  spec?: Partial<PodSpec>;
  /** Merged into the pod's metadata. */
  metadata?: ObjectMeta;
  status?: PodStatus;
}

function containersOf(options: ContainerOptions): Container[] {
  if (options.containers) return options.containers;
  return [{ name: "main", image: options.image ?? defaultImage, command: options.command ?? defaultCommand, ...options.container }];
}

export function daemonSet(options: DaemonSetOptions): DaemonSet {
  const labels = options.labels ?? { app: options.name };
  return {
    apiVersion: options.apiVersion ?? "apps/v1",
    kind: "DaemonSet",
    metadata: { name: options.name, ...(options.namespace ? { namespace: options.namespace } : {}), ...options.metadata },
    spec: {
      selector: { matchLabels: labels },
      ...options.spec,
      template: {
        metadata: { labels: { ...labels, ...options.templateLabels } },
        spec: { ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}), containers: containersOf(options), ...options.pod },
      },
    },
  };
}

export function pod(options: PodOptions): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: options.name,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      ...(options.labels ? { labels: options.labels } : {}),
      ...(options.annotations ? { annotations: options.annotations } : {}),
      ...options.metadata,
    },
    spec: { ...(options.nodeName ? { nodeName: options.nodeName } : {}), containers: containersOf(options), ...options.spec },
    ...(options.status ? { status: options.status } : {}),
  };
}
