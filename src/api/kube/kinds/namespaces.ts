/**
 * @module
 * Namespaces. `default` and `kube-system` always exist and cannot be deleted (the NamespaceLifecycle
 * admission rule). Deleting another namespace marks it Terminating (nothing new may be created in
 * it) and empties it as Kubernetes' namespace controller does: pods gracefully on their devices,
 * the rest at once; the namespace goes when nothing is left (controller/namespace-deletion.ts).
 */
import { ApiError } from "../../errors.ts";
import { validateNamespace } from "../../../resources/core/index.ts";
import { resources } from "../../../resources/registry.ts";
import type { KubeObject, Namespace } from "../../../resources/types.ts";
import { finalizeNamespace } from "../../../controller/namespace-deletion.ts";
import { wakeForNamespaceChange } from "../../../controller/wake.ts";
import { jsonEqual, rfc3339 } from "../../../resources/meta.ts";
import type { KindStrategy } from "../strategy.ts";
import { namespaceTable } from "../table/other.ts";
import { asIs, decodeWith } from "./decode.ts";

const undeletable = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);

export const namespaces: KindStrategy<Namespace> = {
  info: resources.Namespace,
  decode: (body, apiVersion) => decodeWith(body, apiVersion, "Namespace", asIs<Namespace>("v1", "Namespace")),
  encode: (ns) => ns,
  prepareForCreate: (ns) => ({
    ...ns,
    metadata: { ...ns.metadata, labels: { ...ns.metadata.labels, "kubernetes.io/metadata.name": ns.metadata.name ?? "" } },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  }),
  prepareForUpdate: (ns, old) => ({
    ...ns,
    metadata: { ...ns.metadata, labels: { ...ns.metadata.labels, "kubernetes.io/metadata.name": old.metadata.name ?? "" } },
    spec: old.spec,
    status: old.status,
  }),
  validate: validateNamespace,
  validateUpdate: (ns) => validateNamespace(ns),
  selectableFields: (ns) => ({ "status.phase": ns.status?.phase ?? "Active" }),
  table: namespaceTable,
  beginDelete(ns, _options, now) {
    if (undeletable.has(ns.metadata.name ?? "")) throw ApiError.forbidden(`namespaces "${ns.metadata.name}" is forbidden: this namespace may not be deleted`);
    // Graceful, as in Kubernetes: Terminating until what is in it is gone (finalizeNamespace).
    if (ns.metadata.deletionTimestamp) return ns;
    return { ...ns, metadata: { ...ns.metadata, deletionTimestamp: rfc3339(now), deletionGracePeriodSeconds: 0 }, status: { ...ns.status, phase: "Terminating" } };
  },
  async afterChange(c, change) {
    // Pod (anti-)affinity terms may select namespaces by label.
    if (change.type === "updated" && !jsonEqual(change.object.metadata.labels, change.old?.metadata.labels)) await wakeForNamespaceChange(c.env, c.var.db);
    if (!change.object.metadata.deletionTimestamp || change.old?.metadata.deletionTimestamp) return;
    const terminating = await finalizeNamespace(c.env, c.var.db, change.object.metadata.name ?? "", c.var.now);
    // Pods wait for their devices: the node lifecycle alarm comes back until the namespace is gone.
    if (terminating) await c.env.NODE_LIFECYCLE.getByName("node-lifecycle").watchNamespaces();
  },
};
