/**
 * @module
 * The downward API for environment variables: `fieldRef` (kubelet `podFieldSelectorRuntimeValue`
 * over `fieldpath.ExtractFieldPathAsString`) and `resourceFieldRef` (`ExtractContainerResourceValue`,
 * with unset limits defaulted to the node's allocatable as `defaultPodLimitsForDownwardAPI` does).
 * Pure: what only the device knows (node name, IPs, allocatable) comes in as `PodFacts`.
 *
 * @example
 * resolveFieldRef(pod, { fieldPath: "metadata.labels['app']" }, facts) // { value: "web" }
 * resolveResourceFieldRef(pod, container, { resource: "limits.memory", divisor: "1Mi" }, facts) // { value: "128" }
 */
import type { Container, EnvVar, Pod } from "../../src/resources/types.ts";
import { milliValue, parseQuantity, type Quantity, value } from "../../src/protocol/quantity.ts";

/** What the node knows about a pod it runs. */
export interface PodFacts {
  nodeName: string;
  hostIP?: string;
  /** Defaults to hostIP (processes and host-network containers share the node's address). */
  podIP?: string;
  /** The node's allocatable resources (`cpu`, `memory`, …), the default for unset limits. */
  nodeAllocatable?: Record<string, string>;
}

export type Resolved = { value: string } | { error: string };

type FieldRef = NonNullable<NonNullable<EnvVar["valueFrom"]>["fieldRef"]>;
type ResourceFieldRef = NonNullable<NonNullable<EnvVar["valueFrom"]>["resourceFieldRef"]>;

const subscripted = /^metadata\.(labels|annotations)\['(.*)'\]$/;

/** apimachinery `FormatMap`: sorted `key="value"` lines, used for the whole labels/annotations. */
function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((key) => `${key}=${JSON.stringify(map![key])}`)
    .join("\n");
}

export function resolveFieldRef(pod: Pod, ref: FieldRef, facts: PodFacts): Resolved {
  const version = ref.apiVersion || "v1";
  if (version !== "v1") return { error: `unsupported pod version: ${version}` };
  const path = ref.fieldPath;
  const podIP = facts.podIP ?? facts.hostIP ?? "";
  switch (path) {
    case "spec.nodeName":
      return { value: pod.spec.nodeName || facts.nodeName };
    case "spec.serviceAccountName":
      return { value: pod.spec.serviceAccountName ?? "" };
    case "status.hostIP":
    case "status.hostIPs":
      return facts.hostIP ? { value: facts.hostIP } : { error: "cannot get the node's IP address (no InternalIP)" };
    case "status.podIP":
    case "status.podIPs":
      return { value: podIP };
    case "metadata.name":
      return { value: pod.metadata.name ?? "" };
    case "metadata.namespace":
      return { value: pod.metadata.namespace || "default" };
    case "metadata.uid":
      return { value: pod.metadata.uid ?? "" };
    case "metadata.labels":
      return { value: formatMap(pod.metadata.labels) };
    case "metadata.annotations":
      return { value: formatMap(pod.metadata.annotations) };
  }
  const match = subscripted.exec(path);
  if (match) {
    const map = match[1] === "labels" ? pod.metadata.labels : pod.metadata.annotations;
    return { value: map && Object.hasOwn(map, match[2]) ? map[match[2]] : "" };
  }
  return { error: `field label not supported: ${path}` };
}

const storageResources = ["cpu", "memory", "ephemeral-storage"];

/** The container's limit (or request), a missing limit taking the node's allocatable. */
function resourceOf(container: Container, kind: "limits" | "requests", name: string, facts: PodFacts): Quantity {
  const own = parseQuantity(container.resources?.[kind]?.[name]);
  if (own) return own;
  if (kind === "limits" && storageResources.includes(name)) {
    const allocatable = parseQuantity(facts.nodeAllocatable?.[name]);
    if (allocatable) return allocatable;
  }
  return { mantissa: 0n, exp10: 0 };
}

export function resolveResourceFieldRef(pod: Pod, container: Container, ref: ResourceFieldRef, facts: PodFacts): Resolved {
  const target = ref.containerName ? pod.spec.containers.find((c) => c.name === ref.containerName) : container;
  if (!target) return { error: `container ${ref.containerName} not found` };
  const divisor = parseQuantity(ref.divisor ?? "1");
  if (!divisor || divisor.mantissa === 0n) return { error: `invalid divisor ${String(ref.divisor)}` };
  const dot = ref.resource.indexOf(".");
  const kind = ref.resource.slice(0, dot);
  const name = ref.resource.slice(dot + 1);
  if ((kind !== "limits" && kind !== "requests") || !(storageResources.includes(name) || name.startsWith("hugepages-"))) {
    return { error: `unsupported container resource : ${ref.resource}` };
  }
  const quantity = resourceOf(target, kind, name, facts);
  // convertResourceCPUToString divides millis, the others whole units; both round up.
  const [amount, per] = name === "cpu" ? [milliValue(quantity), milliValue(divisor)] : [value(quantity), value(divisor)];
  return { value: String(Math.ceil(Number(amount) / Number(per))) };
}
