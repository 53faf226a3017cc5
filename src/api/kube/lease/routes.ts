/**
 * @module
 * `coordination.k8s.io/v1` Leases, read-only: one per enrolled node in `kube-node-lease`, derived
 * on every read from its agent row in D1 and its live lease in the node's shard (a sync renews it
 * there, in memory; D1 has only the last write-through): a get is one shard call, a list one call
 * per shard (kubectl-wire.md §2, `describe node`). Other namespaces hold none. Writes are refused:
 * the agent renews its lease through its sync, never through this API.
 */
import { Hono } from "hono";
import { settingsOf } from "../../../config.ts";
import type { Node } from "../../../resources/types.ts";
import { findNodeAgent } from "../../../store/node-agents.ts";
import { listNodeLeases } from "../../../store/node-leases.ts";
import { getObject, listObjects } from "../../../store/objects.ts";
import type { AppContext, AppEnv } from "../../context.ts";
import { ApiError } from "../../errors.ts";
import { checkListVersion, exactVersionGone, parseResourceVersion } from "../list-options.ts";
import { queryInteger, sendJson, wantsTable } from "../request.ts";
import { liveLeases } from "../../../controller/node-shards.ts";
import { leaseNamespace, leaseResource, leaseTable, nodeLease } from "./node-lease.ts";
import { queryFlag } from "../../auth/request-info.ts";

const notFound = (name: string) => ApiError.notFound(leaseResource, name);

/** The later of D1's renewal (the last write-through or enrolment) and the shard's live one. */
const withLiveLease = <T extends { name: string; leaseRenewedAt: number }>(row: T, live: ReadonlyMap<string, number>): T => ({
  ...row,
  leaseRenewedAt: Math.max(row.leaseRenewedAt, live.get(row.name) ?? 0),
});

const durationOf = (c: AppContext) => settingsOf(c.env).nodeGraceMs / 1000;

async function getLease(c: AppContext): Promise<Response> {
  const name = c.req.param("name") ?? "";
  parseResourceVersion(c.req.query("resourceVersion") ?? "");
  if (c.req.param("namespace") !== leaseNamespace) throw notFound(name);
  const [row, node, live] = await Promise.all([findNodeAgent(c.var.db, name), getObject<Node>(c.var.db, { kind: "Node", namespace: "", name }), liveLeases(c.env, [name])]);
  if (!row) throw notFound(name);
  const lease = nodeLease(withLiveLease(row, live), node, durationOf(c));
  return sendJson(c, wantsTable(c) ? { ...leaseTable([lease], c.var.now), metadata: { resourceVersion: lease.metadata.resourceVersion } } : lease);
}

async function listLeases(c: AppContext): Promise<Response> {
  if (queryFlag(c.req.query("watch"))) throw ApiError.methodNotAllowed();
  // The options are checked as for every list (the leases are derived, so only the newest list exists).
  queryInteger(c, "limit");
  const { options, requested } = checkListVersion(c);
  const namespace = c.req.param("namespace");
  const rows = namespace === undefined || namespace === leaseNamespace ? await listNodeLeases(c.var.db) : [];
  const nodes = rows.length ? await listObjects<Node>(c.var.db, "Node", { namespace: "" }) : { items: [], resourceVersion: "0" };
  const live = rows.length ? await liveLeases(c.env, rows.map((row) => row.name)) : new Map<string, number>();
  const byName = new Map(nodes.items.map((n) => [n.metadata.name, n]));
  const items = rows.map((row) => nodeLease(withLiveLease(row, live), byName.get(row.name), durationOf(c)));
  if (options.resourceVersionMatch === "Exact" && requested !== Number(nodes.resourceVersion)) throw exactVersionGone(options.resourceVersion ?? "", nodes.resourceVersion);
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
