/**
 * @module
 * `coordination.k8s.io/v1` Leases, read-only: one per enrolled node in `kube-node-lease`, derived
 * from its lease row on every read (kubectl-wire.md §2, `describe node`). Other namespaces hold
 * none. Writes are refused: the agent renews its lease through its sync, never through this API.
 */
import { Hono } from "hono";
import { settingsOf } from "../../../config.ts";
import type { Node } from "../../../resources/types.ts";
import { findNodeAgent } from "../../../store/node-agents.ts";
import { listNodeLeases } from "../../../store/node-leases.ts";
import { getObject, listObjects } from "../../../store/objects.ts";
import type { AppContext, AppEnv } from "../../context.ts";
import { ApiError } from "../../errors.ts";
import { sendJson, wantsTable } from "../request.ts";
import { leaseNamespace, leaseResource, leaseTable, nodeLease } from "./node-lease.ts";

const notFound = (name: string) => ApiError.notFound(leaseResource, name);

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
