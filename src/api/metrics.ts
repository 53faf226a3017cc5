/**
 * @module
 * `GET /metrics`: the fleet in the Prometheus text format, for the admin token, viewers and
 * metrics tokens (`api/authz.ts`). What one scrape costs is bounded before it starts
 * (docs/metrics.md):
 * - D1: one read each of the DaemonSets, Nodes and Pods, each stopped at its limit
 *   (`METRICS_*_LIMIT`); a kind with more objects than that gets no per-object series this
 *   scrape (`edgeset_metrics_objects_omitted`), never a partial set. DaemonSet status is what the
 *   controllers stored; nothing is recomputed.
 * - Durable Objects: one call per node shard (`NODE_SHARDS`: sync counters and nodes by Ready,
 *   from memory) and one per DaemonSet controller (its pass record), in parallel. A call that fails
 *   leaves its series out (`edgeset_node_shard_up` 0), not the scrape.
 *
 * @example
 * curl -H "Authorization: Bearer $TOKEN" https://edgeset.example.com/metrics
 */
import { Hono } from "hono";
import { metricsLimitsOf, settingsOf } from "../config.ts";
import { contentType, renderExposition } from "../metrics/exposition.ts";
import { controllerFamilies, rolloutFamilies, scrapeFamilies, shardFamilies, type ShardReading } from "../metrics/edgeset-families.ts";
import { daemonSetFamilies, nodeFamilies, podFamilies } from "../metrics/kube-families.ts";
import type { ShardStats } from "../controller/node-shard.ts";
import type { ReconcileStats } from "../metrics/reconcile-stats.ts";
import type { DaemonSet, Node, Pod } from "../resources/types.ts";
import { listObjects } from "../store/objects.ts";
import { requireKubeAccess } from "./auth/middleware.ts";
import type { AppContext, AppEnv } from "./context.ts";

const logged = <T>(what: string) => (error: unknown): T | undefined => {
  console.error(`metrics: ${what} did not answer`, error);
  return undefined;
};

async function handleMetrics(c: AppContext): Promise<Response> {
  const limits = metricsLimitsOf(c.env);
  const db = c.var.db;
  const [daemonSets, nodes, pods] = await Promise.all([
    listObjects<DaemonSet>(db, "DaemonSet", { limit: limits.daemonSets }),
    listObjects<Node>(db, "Node", { limit: limits.nodes }),
    listObjects<Pod>(db, "Pod", { limit: limits.pods }),
  ]);
  const shownDaemonSets = daemonSets.next ? [] : daemonSets.items;
  const shards = Array.from({ length: settingsOf(c.env).nodeShards }, (_, shard) => shard);
  const [shardReadings, controllerReadings] = await Promise.all([
    Promise.all(shards.map(async (shard): Promise<ShardReading> => ({ shard, stats: await c.env.NODE_SHARD.getByName(`shard:${shard}`).stats().catch(logged<ShardStats>(`node shard ${shard}`)) }))),
    Promise.all(
      shownDaemonSets.map(async (ds) => {
        const key = `${ds.metadata.namespace ?? "default"}/${ds.metadata.name}`;
        return { ds, stats: await c.env.DAEMONSET_CONTROLLER.getByName(key).reconcileStats().catch(logged<ReconcileStats>(`controller ${key}`)) };
      }),
    ),
  ]);
  const families = [
    ...daemonSetFamilies(shownDaemonSets),
    ...nodeFamilies(nodes.next ? [] : nodes.items),
    ...podFamilies(pods.next ? [] : pods.items),
    ...shardFamilies(shardReadings),
    ...controllerFamilies(controllerReadings),
    ...rolloutFamilies(shownDaemonSets),
    ...scrapeFamilies([
      { kind: "DaemonSet", limit: limits.daemonSets, omitted: Boolean(daemonSets.next) },
      { kind: "Node", limit: limits.nodes, omitted: Boolean(nodes.next) },
      { kind: "Pod", limit: limits.pods, omitted: Boolean(pods.next) },
    ]),
  ];
  return c.body(renderExposition(families), 200, { "Content-Type": contentType, "Cache-Control": "no-store" });
}

export const metricsRoutes = new Hono<AppEnv>().use(requireKubeAccess).get("/", handleMetrics);
