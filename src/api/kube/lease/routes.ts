/**
 * @module
 * `coordination.k8s.io/v1` Leases, read-only: one per enrolled node in `kube-node-lease`, derived
 * from its lease row on every read (kubectl-wire.md §2, `describe node`). Other namespaces hold
 * none. Writes are refused: the agent renews its lease through its sync, never through this API.
 */
import { Hono } from "hono";
import { settingsOf } from "../../../config.ts";
import type { ResourceInfo } from "../../../resources/registry.ts";
import type { Node } from "../../../resources/types.ts";
import { findNodeAgent } from "../../../store/node-agents.ts";
import { listNodeLeases } from "../../../store/node-leases.ts";
import { getObject, listObjects } from "../../../store/objects.ts";
import type { AppContext, AppEnv } from "../../context.ts";
import { ApiError } from "../../errors.ts";
import { sendJson, wantsTable } from "../request.ts";
import { age } from "../table/age.ts";
import { column, type Table } from "../table/types.ts";
import { leaseNamespace, nodeLease, type Lease } from "./node-lease.ts";

export const leaseResource: ResourceInfo = {
  group: "coordination.k8s.io",
  versions: ["v1"],
  kind: "Lease",
  plural: "leases",
  singular: "lease",
  namespaced: true,
  verbs: ["get", "list"],
};

const notFound = (name: string) => ApiError.notFound(leaseResource, name);

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

const durationOf = (c: AppContext) => settingsOf(c.env).nodeGraceMs / 1000;

async function getLease(c: AppContext): Promise<Response> {
  const name = c.req.param("name") ?? "";
  if (c.req.param("namespace") !== leaseNamespace) throw notFound(name);
  const row = await findNodeAgent(c.var.db, name);
  if (!row) throw notFound(name);
  const node = await getObject<Node>(c.var.db, { kind: "Node", namespace: "", name });
  const lease = nodeLease(row, node, durationOf(c));
  return sendJson(c, wantsTable(c) ? { ...leaseTable([lease], c.var.now), metadata: { resourceVersion: lease.metadata.resourceVersion } } : lease);
}

async function listLeases(c: AppContext): Promise<Response> {
  if (c.req.query("watch") === "true" || c.req.query("watch") === "1") throw ApiError.methodNotAllowed();
  const namespace = c.req.param("namespace");
  const rows = namespace === undefined || namespace === leaseNamespace ? await listNodeLeases(c.var.db) : [];
  const nodes = rows.length ? await listObjects<Node>(c.var.db, "Node", { namespace: "" }) : { items: [], resourceVersion: "0" };
  const byName = new Map(nodes.items.map((n) => [n.metadata.name, n]));
  const items = rows.map((row) => nodeLease(row, byName.get(row.name), durationOf(c)));
  const metadata = { resourceVersion: nodes.resourceVersion };
  if (wantsTable(c)) return sendJson(c, { ...leaseTable(items, c.var.now), metadata });
  return sendJson(c, { kind: "LeaseList", apiVersion: "coordination.k8s.io/v1", metadata, items });
}

const readOnly = () => {
  throw ApiError.methodNotAllowed();
};

export const leaseRoutes = new Hono<AppEnv>()
  .get("/leases", listLeases)
  .get("/namespaces/:namespace/leases", listLeases)
  .get("/namespaces/:namespace/leases/:name", getLease)
  .all("/leases", readOnly)
  .all("/namespaces/:namespace/leases", readOnly)
  .all("/namespaces/:namespace/leases/:name", readOnly);
