/**
 * @module
 * The `coordination.k8s.io/v1` Lease the kubelet keeps in `kube-node-lease` for its node, built
 * from edgeset's own lease row (`node_agents`): the holder is the node, the renew time is the
 * device's last lease renewal, and the Node owns it, as the kubelet's nodelease controller sets it.
 * `kubectl describe node` prints it under `Lease:`; `kubectl get leases -n kube-node-lease` lists
 * them (NAME HOLDER AGE, as printLease).
 *
 * @example
 * nodeLease({ name: "n1", leaseRenewedAt: 1764284400123, enrolledAt: 1764284000000 }, node, 40)
 * // { kind: "Lease", metadata: { name: "n1", namespace: "kube-node-lease", … }, spec: { holderIdentity: "n1", renewTime: "2025-11-27T23:00:00.123000Z", … } }
 */
import { rfc3339 } from "../../../resources/meta.ts";
import type { ResourceInfo } from "../../../resources/registry.ts";
import type { Node, ObjectMeta } from "../../../resources/types.ts";
import type { NodeLeaseRow } from "../../../store/node-leases.ts";
import { age } from "../table/age.ts";
import { column, type Table } from "../table/types.ts";

export const leaseNamespace = "kube-node-lease";

export interface Lease {
  apiVersion: "coordination.k8s.io/v1";
  kind: "Lease";
  metadata: ObjectMeta;
  spec: { holderIdentity: string; leaseDurationSeconds: number; renewTime: string };
}

/** metav1.MicroTime: RFC 3339 with six fractional digits. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

export function nodeLease(row: NodeLeaseRow, node: Node | undefined, leaseDurationSeconds: number): Lease {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name: row.name,
      namespace: leaseNamespace,
      // The lease has no row of its own: the node's version is the closest stable one.
      ...(node?.metadata.resourceVersion ? { resourceVersion: node.metadata.resourceVersion } : {}),
      creationTimestamp: rfc3339(row.enrolledAt),
      ...(node?.metadata.uid ? { ownerReferences: [{ apiVersion: "v1", kind: "Node", name: row.name, uid: node.metadata.uid }] } : {}),
    },
    spec: { holderIdentity: row.name, leaseDurationSeconds, renewTime: microTime(row.leaseRenewedAt) },
  };
}

export const leaseResource: ResourceInfo = {
  group: "coordination.k8s.io",
  versions: ["v1"],
  kind: "Lease",
  plural: "leases",
  singular: "lease",
  namespaced: true,
  verbs: ["get", "list"],
};

export function leaseTable(items: readonly Lease[], now: number): Table {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: {},
    columnDefinitions: [
      column("Name", "string", 0, "name", "Name must be unique within a namespace."),
      column("Holder", "string", 0, "", "holderIdentity contains the identity of the holder of a current lease."),
      column("Age", "string", 0, "", "CreationTimestamp is a timestamp representing the server time when this object was created."),
    ],
    rows: items.map((lease) => ({
      cells: [lease.metadata.name, lease.spec.holderIdentity, age(lease.metadata.creationTimestamp, now)],
      object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: lease.metadata },
    })),
  };
}
