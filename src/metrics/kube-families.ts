/**
 * @module
 * The kube-state-metrics families edgeset has the objects for, with their names, labels and
 * values (kube-state-metrics `internal/store/daemonset.go`, `node.go`, `pod.go`), so dashboards
 * and alerts written for a cluster work on a fleet. Pure: objects in, families out.
 *
 * @example
 * daemonSetFamilies([ds]).find((f) => f.name === "kube_daemonset_status_number_ready");
 */
import type { DaemonSet, Node, Pod } from "../resources/types.ts";
import { prometheusLabels, type MetricFamily, type Sample } from "./exposition.ts";

const seconds = (timestamp: string | null | undefined) => (timestamp ? Date.parse(timestamp) / 1000 : NaN);
const gauge = (name: string, help: string, samples: Sample[]): MetricFamily => ({ name, help, type: "gauge", samples });
/** kube-state-metrics' three-valued conditions: one series per status, 1 on the one that holds. */
const conditionStatuses = ["true", "false", "unknown"] as const;
const statusSamples = (labels: Record<string, string>, status: string | undefined, key = "status"): Sample[] =>
  conditionStatuses.map((s) => ({ labels: { ...labels, [key]: s }, value: (status ?? "Unknown").toLowerCase() === s ? 1 : 0 }));

const dsLabels = (ds: DaemonSet) => ({ namespace: ds.metadata.namespace ?? "default", daemonset: ds.metadata.name ?? "" });

export function daemonSetFamilies(daemonSets: readonly DaemonSet[]): MetricFamily[] {
  const each = (pick: (ds: DaemonSet) => number | undefined) => daemonSets.map((ds) => ({ labels: dsLabels(ds), value: pick(ds) ?? 0 }));
  return [
    gauge("kube_daemonset_created", "Unix creation timestamp.", each((ds) => seconds(ds.metadata.creationTimestamp))),
    gauge("kube_daemonset_status_current_number_scheduled", "The number of nodes running at least one daemon pod and are supposed to.", each((ds) => ds.status?.currentNumberScheduled)),
    gauge("kube_daemonset_status_desired_number_scheduled", "The number of nodes that should be running the daemon pod.", each((ds) => ds.status?.desiredNumberScheduled)),
    gauge("kube_daemonset_status_number_available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.", each((ds) => ds.status?.numberAvailable)),
    gauge("kube_daemonset_status_number_misscheduled", "The number of nodes running a daemon pod but are not supposed to.", each((ds) => ds.status?.numberMisscheduled)),
    gauge("kube_daemonset_status_number_ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.", each((ds) => ds.status?.numberReady)),
    gauge("kube_daemonset_status_number_unavailable", "The number of nodes that should be running the daemon pod and have none of the daemon pod running and available.", each((ds) => ds.status?.numberUnavailable)),
    gauge("kube_daemonset_status_observed_generation", "The most recent generation observed by the daemon set controller.", each((ds) => ds.status?.observedGeneration)),
    gauge("kube_daemonset_status_updated_number_scheduled", "The total number of nodes that are running updated daemon pod.", each((ds) => ds.status?.updatedNumberScheduled)),
    gauge("kube_daemonset_metadata_generation", "Sequence number representing a specific generation of the desired state.", each((ds) => ds.metadata.generation)),
    gauge("kube_daemonset_labels", "Kubernetes labels converted to Prometheus labels.", daemonSets.map((ds) => ({ labels: { ...dsLabels(ds), ...prometheusLabels("label", ds.metadata.labels) }, value: 1 }))),
  ];
}

const internalIP = (node: Node) => node.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? "";

export function nodeFamilies(nodes: readonly Node[]): MetricFamily[] {
  const named = (node: Node) => ({ node: node.metadata.name ?? "" });
  return [
    gauge("kube_node_created", "Unix creation timestamp.", nodes.map((n) => ({ labels: named(n), value: seconds(n.metadata.creationTimestamp) }))),
    gauge(
      "kube_node_info",
      "Information about a cluster node.",
      nodes.map((n) => {
        const info = n.status?.nodeInfo;
        return {
          labels: {
            ...named(n),
            kernel_version: info?.kernelVersion ?? "",
            os_image: info?.osImage ?? "",
            container_runtime_version: info?.containerRuntimeVersion ?? "",
            kubelet_version: info?.kubeletVersion ?? "",
            kubeproxy_version: info?.kubeProxyVersion ?? "",
            provider_id: n.spec.providerID ?? "",
            pod_cidr: n.spec.podCIDR ?? "",
            system_uuid: info?.systemUUID ?? "",
            internal_ip: internalIP(n),
          },
          value: 1,
        };
      }),
    ),
    gauge("kube_node_labels", "Kubernetes labels converted to Prometheus labels.", nodes.map((n) => ({ labels: { ...named(n), ...prometheusLabels("label", n.metadata.labels) }, value: 1 }))),
    gauge("kube_node_spec_unschedulable", "Whether a node can schedule new pods.", nodes.map((n) => ({ labels: named(n), value: n.spec.unschedulable ? 1 : 0 }))),
    gauge(
      "kube_node_spec_taint",
      "The taint of a cluster node.",
      nodes.flatMap((n) => (n.spec.taints ?? []).map((t) => ({ labels: { ...named(n), key: t.key, value: t.value ?? "", effect: t.effect }, value: 1 }))),
    ),
    gauge(
      "kube_node_status_condition",
      "The condition of a cluster node.",
      nodes.flatMap((n) => (n.status?.conditions ?? []).flatMap((c) => statusSamples({ ...named(n), condition: c.type }, c.status))),
    ),
  ];
}

const podPhases = ["Pending", "Succeeded", "Failed", "Running", "Unknown"] as const;

export function podFamilies(pods: readonly Pod[]): MetricFamily[] {
  const id = (p: Pod) => ({ namespace: p.metadata.namespace ?? "default", pod: p.metadata.name ?? "", uid: p.metadata.uid ?? "" });
  return [
    gauge(
      "kube_pod_info",
      "Information about pod.",
      pods.map((p) => {
        const owner = p.metadata.ownerReferences?.find((o) => o.controller) ?? p.metadata.ownerReferences?.[0];
        return {
          labels: {
            ...id(p),
            host_ip: p.status?.hostIP ?? "",
            pod_ip: p.status?.podIP ?? "",
            node: p.spec.nodeName ?? "",
            created_by_kind: owner?.kind ?? "",
            created_by_name: owner?.name ?? "",
            priority_class: p.spec.priorityClassName ?? "",
            host_network: String(p.spec.hostNetwork ?? false),
          },
          value: 1,
        };
      }),
    ),
    gauge("kube_pod_status_phase", "The pods current phase.", pods.flatMap((p) => podPhases.map((phase) => ({ labels: { ...id(p), phase }, value: (p.status?.phase ?? "Pending") === phase ? 1 : 0 })))),
    gauge("kube_pod_status_ready", "Describes whether the pod is ready to serve requests.", pods.flatMap((p) => (p.status?.conditions ?? []).filter((c) => c.type === "Ready").flatMap((c) => statusSamples(id(p), c.status, "condition")))),
    {
      name: "kube_pod_container_status_restarts_total",
      help: "The number of container restarts per container.",
      type: "counter",
      samples: pods.flatMap((p) => (p.status?.containerStatuses ?? []).map((c) => ({ labels: { ...id(p), container: c.name }, value: c.restartCount }))),
    },
  ];
}
