/**
 * @module
 * Namespaces. `default` and `kube-system` always exist and cannot be deleted (the NamespaceLifecycle
 * admission rule). Deleting another namespace deletes what is in it: its DaemonSets through their
 * controllers (so their pods stop on the devices), the rest at once.
 */
import { ApiError } from "../../errors.ts";
import { validateNamespace } from "../../../resources/core/index.ts";
import { resources } from "../../../resources/registry.ts";
import type { KubeObject, Namespace } from "../../../resources/types.ts";
import { wakeDaemonSets, wakeForNamespaceChange } from "../../../controller/wake.ts";
import { jsonEqual } from "../../../resources/meta.ts";
import { listObjects } from "../../../store/objects.ts";
import type { Write } from "../../../store/writes.ts";
import type { KindStrategy } from "../strategy.ts";
import { namespaceTable } from "../table/other.ts";
import { asIs, decodeWith } from "./decode.ts";

const undeletable = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);
const contents = ["DaemonSet", "ControllerRevision", "Event", "ConfigMap", "Secret"];

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
  beginDelete(ns) {
    if (undeletable.has(ns.metadata.name ?? "")) throw ApiError.forbidden(`namespaces "${ns.metadata.name}" is forbidden: this namespace may not be deleted`);
    return undefined;
  },
  async deleteWrites(ns, c): Promise<Write[]> {
    const namespace = ns.metadata.name ?? "";
    const writes: Write[] = [];
    for (const kind of contents) {
      const { items } = await listObjects<KubeObject>(c.var.db, kind, { namespace });
      for (const o of items) writes.push({ op: "delete", ref: { kind, namespace, name: o.metadata.name ?? "" }, uid: o.metadata.uid, mustExist: false });
    }
    return writes;
  },
  async afterChange(c, change) {
    // Pod (anti-)affinity terms may select namespaces by label.
    if (change.type === "updated" && !jsonEqual(change.object.metadata.labels, change.old?.metadata.labels)) await wakeForNamespaceChange(c.env, c.var.db);
    if (change.type !== "deleted") return;
    // Their controllers see the DaemonSets gone and delete the pods (graceful, on the devices).
    const namespace = change.object.metadata.name ?? "";
    const { items } = await listObjects<KubeObject>(c.var.db, "Pod", { namespace });
    const owners = new Set(items.flatMap((pod) => pod.metadata.ownerReferences?.filter((o) => o.kind === "DaemonSet" && o.controller).map((o) => `${o.name}\u0000${o.uid}`) ?? []));
    await wakeDaemonSets(
      c.env,
      [...owners].map((key) => {
        const [name, uid] = key.split("\u0000");
        return { namespace, name: name!, uid, propagationPolicy: "Background" as const };
      }),
    );
  },
};
