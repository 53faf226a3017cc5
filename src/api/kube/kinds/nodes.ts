/**
 * @module
 * Nodes: created when a device enrolls, labelled, tainted and cordoned by operators. A change to
 * labels or taints wakes the DaemonSets whose placement on the node changed. Deleting a node
 * revokes its credential and removes its pods in the same transaction (the pod GC's job).
 */
import { refOf } from "../../../store/rows.ts";
import { validateNode, validateNodeStatus, validateNodeUpdate } from "../../../resources/node/index.ts";
import { resources } from "../../../resources/registry.ts";
import type { Node, Pod } from "../../../resources/types.ts";
import { wakeForNodeChange } from "../../../controller/wake.ts";
import { deleteNodeAgent } from "../../../store/node-agents.ts";
import { listObjects } from "../../../store/objects.ts";
import type { Write } from "../../../store/writes.ts";
import type { KindStrategy } from "../strategy.ts";
import { nodeTable } from "../table/node.ts";
import { asIs, decodeWith } from "./decode.ts";

export const nodes: KindStrategy<Node> = {
  info: resources.Node,
  decode: (body, apiVersion) => decodeWith(body, apiVersion, "Node", asIs<Node>("v1", "Node")),
  encode: (node) => node,
  prepareForCreate: (node) => ({ ...node, spec: node.spec ?? {}, status: node.status ?? {} }),
  prepareForUpdate: (node, old) => ({ ...node, spec: node.spec ?? {}, status: old.status }),
  prepareForStatusUpdate: (node, old) => ({ ...old, status: node.status }),
  validate: validateNode,
  validateUpdate: validateNodeUpdate,
  // What an operator writes to /status meets the rules a device report meets (ValidateNodeUpdate).
  validateStatusUpdate: (node) => validateNodeStatus(node.status, "status"),
  selectableFields: (node) => ({ "spec.unschedulable": String(node.spec.unschedulable ?? false) }),
  table: nodeTable,
  async deleteWrites(node, c): Promise<Write[]> {
    const { items } = await listObjects<Pod>(c.var.db, "Pod", { nodeName: node.metadata.name ?? "" });
    return [
      { op: "statement", statement: deleteNodeAgent(c.var.db, node.metadata.name ?? "") },
      ...items.map(
        (pod): Write => ({ op: "delete", ref: refOf(pod), uid: pod.metadata.uid, mustExist: false }),
      ),
    ];
  },
  // A deleted node wakes every DaemonSet that placed a pod there (their placement changed).
  async afterChange(c, change) {
    await wakeForNodeChange(c.env, c.var.db, change.type === "created" ? undefined : (change.old ?? change.object), change.type === "deleted" ? undefined : change.object);
  },
};
