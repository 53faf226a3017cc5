/**
 * @module
 * Nodes: defaults and validation (pkg/apis/core/validation ValidateNode, ValidateNodeUpdate;
 * core/v1 defaults SetDefaults_Node / SetDefaults_NodeStatus). Taints go through
 * resources/pod/toleration-validation.ts (validateTaints).
 *
 * @example
 * validateNode({ apiVersion: "v1", kind: "Node", metadata: { name: "edge-01" }, spec: {} }) // []
 */
import { validateObjectMeta, validateObjectMetaUpdate } from "../core/object-meta.ts";
import { child, invalid, type FieldError } from "../field-errors.ts";
import { isNegative, parseQuantity } from "../../protocol/quantity.ts";
import { validateTaints } from "../pod/toleration-validation.ts";
import type { Node, NodeStatus } from "../types.ts";

/** SetDefaults_NodeStatus: allocatable defaults to capacity. */
export function defaultNode(node: Node): Node {
  const n = structuredClone(node);
  n.spec ??= {};
  if (n.status?.capacity && !n.status.allocatable) n.status.allocatable = { ...n.status.capacity };
  return n;
}

function validateResourceList(list: Record<string, unknown> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, q] of Object.entries(list ?? {})) {
    const v = parseQuantity(q);
    if (v === undefined || isNegative(v)) errs.push(invalid(`${path}[${name}]`, q, "must be a non-negative quantity"));
  }
  return errs;
}

/**
 * ValidateNode's status rules (resources are non-negative quantities, addresses not empty), for a
 * status whoever reports it: the Node API under `status`, a device's report under `node`.
 */
export function validateNodeStatus(status: Pick<NodeStatus, "capacity" | "allocatable" | "addresses"> | undefined, path: string): FieldError[] {
  const errs = [...validateResourceList(status?.capacity, child(path, "capacity")), ...validateResourceList(status?.allocatable, child(path, "allocatable"))];
  (status?.addresses ?? []).forEach((a, i) => {
    if (!a?.address) errs.push(invalid(child(child(child(path, "addresses"), i), "address"), "", "must not be empty"));
  });
  return errs;
}

/** ValidateNode: cluster-scoped DNS-1123 subdomain name, taints, podCIDR(s), status resources. */
export function validateNode(node: Node): FieldError[] {
  const errs = validateObjectMeta(node.metadata, false, "metadata");
  errs.push(...validateTaints(node.spec?.taints, "spec.taints"));
  const cidrs = (node.spec as { podCIDRs?: string[] } | undefined)?.podCIDRs ?? [];
  if (node.spec?.podCIDR && cidrs.length && cidrs[0] !== node.spec.podCIDR)
    errs.push(invalid("spec.podCIDRs", cidrs, "first entry must match the podCIDR field"));
  errs.push(...validateNodeStatus(node.status, "status"));
  return errs;
}

/** ValidateNodeUpdate: metadata update rules; podCIDR and providerID may be set once, not changed. */
export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs = [...validateObjectMetaUpdate(node.metadata, old.metadata, "metadata"), ...validateNode(node)];
  for (const f of ["podCIDR", "providerID"] as const) {
    const before = old.spec?.[f];
    if (before && node.spec?.[f] !== before) errs.push(invalid(child("spec", f), node.spec?.[f] ?? "", `node updates may not change ${f} except from "" to valid`));
  }
  return errs;
}
