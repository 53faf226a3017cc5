/** `kubectl get nodes` columns (printNode). */
import type { Node } from "../../../resources/types.ts";
import { age } from "./age.ts";
import { column, type Table } from "./types.ts";

export function nodeStatusText(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  const states = [ready?.status === "True" ? "Ready" : ready ? "NotReady" : "Unknown"];
  if (node.spec.unschedulable) states.push("SchedulingDisabled");
  return states.join(",");
}

/** findNodeRoles: `node-role.kubernetes.io/<role>` keys and the `kubernetes.io/role` value, sorted, once each. */
const roles = (node: Node): string => {
  const found = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith("node-role.kubernetes.io/") && key.length > "node-role.kubernetes.io/".length) found.add(key.slice("node-role.kubernetes.io/".length));
    else if (key === "kubernetes.io/role" && value) found.add(value);
  }
  return found.size ? [...found].sort().join(",") : "<none>";
};

const address = (node: Node, type: string) => node.status?.addresses?.find((a) => a.type === type)?.address ?? "<none>";

export function nodeTable(items: readonly Node[], now: number): Omit<Table, "metadata"> {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    columnDefinitions: [
      column("Name", "string", 0, "name", "Name must be unique within a namespace."),
      column("Status", "string", 0, "", "The status of the node"),
      column("Roles", "string", 0, "", "The roles of the node"),
      column("Age", "string", 0, "", "CreationTimestamp is a timestamp representing the server time when this object was created."),
      column("Version", "string", 0, "", "Kubelet Version reported by the node."),
      column("Internal-IP", "string", 1, "", "List of addresses reachable to the node. Queried from cloud provider, if available."),
      column("External-IP", "string", 1, "", "List of addresses reachable to the node. Queried from cloud provider, if available."),
      column("OS-Image", "string", 1, "", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
      column("Kernel-Version", "string", 1, "", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
      column("Container-Runtime", "string", 1, "", "Container runtime version reported by the node."),
    ],
    rows: items.map((node) => ({
      cells: [
        node.metadata.name,
        nodeStatusText(node),
        roles(node),
        age(node.metadata.creationTimestamp, now),
        node.status?.nodeInfo?.kubeletVersion ?? "",
        address(node, "InternalIP"),
        address(node, "ExternalIP"),
        node.status?.nodeInfo?.osImage || "<unknown>",
        node.status?.nodeInfo?.kernelVersion || "<unknown>",
        node.status?.nodeInfo?.containerRuntimeVersion || "<unknown>",
      ],
    })),
  };
}
