/**
 * @module
 * edgeset's own families, beside the kube-state-metrics ones: the devices' syncs as the node shards
 * counted them, the nodes each shard holds by Ready status, the DaemonSet controllers' reconcile
 * passes, rollouts in progress, and what a scrape left out to stay bounded. Pure.
 *
 * @example
 * rolloutInProgress(ds); // true while a RollingUpdate DaemonSet has not reached its template everywhere
 */
import type { DaemonSet } from "../resources/types.ts";
import type { ShardStats } from "../controller/node-shard.ts";
import type { MetricFamily, Sample } from "./exposition.ts";
import { passBuckets, type ReconcileStats } from "./reconcile-stats.ts";

/** A shard's answer; undefined when the call failed (its series are missing, `up` is 0). */
export interface ShardReading {
  shard: number;
  stats?: ShardStats;
}

export function shardFamilies(readings: readonly ShardReading[]): MetricFamily[] {
  const label = (r: ShardReading) => ({ shard: String(r.shard) });
  const answered = readings.filter((r): r is Required<ShardReading> => r.stats !== undefined);
  const nodes = new Map<string, number>();
  for (const r of answered) for (const [ready, n] of Object.entries(r.stats.nodes)) nodes.set(ready, (nodes.get(ready) ?? 0) + n);
  return [
    { name: "edgeset_node_shard_up", help: "Whether the node shard answered this scrape.", type: "gauge", samples: readings.map((r) => ({ labels: label(r), value: r.stats ? 1 : 0 })) },
    { name: "edgeset_node_shard_start_time_seconds", help: "When the node shard's instance started: its counters count from here.", type: "gauge", samples: answered.map((r) => ({ labels: label(r), value: r.stats.startedAt / 1000 })) },
    {
      name: "edgeset_node_shard_nodes",
      help: "Devices held by the node shard, by the Ready status the control plane last recorded (True, or Unknown once the lease expired).",
      type: "gauge",
      samples: answered.flatMap((r) => Object.entries(r.stats.nodes).map(([ready, n]) => ({ labels: { ...label(r), ready }, value: n }))),
    },
    { name: "edgeset_nodes", help: "Devices by the Ready status the control plane last recorded, summed over the node shards.", type: "gauge", samples: [...nodes].sort().map(([ready, n]) => ({ labels: { ready }, value: n })) },
    {
      name: "edgeset_syncs_total",
      help: "Device syncs by answer (result: 200, 304, error) and where it was decided (path: shard = from memory, assignments = assignments read from D1, d1 = checked in D1, write = report written through).",
      type: "counter",
      samples: answered.flatMap((r) =>
        Object.entries(r.stats.syncs).map(([key, n]) => {
          const [result = "", path = ""] = key.split("/");
          return { labels: { ...label(r), result, path }, value: n };
        }),
      ),
    },
  ];
}

/** A DaemonSet and its controller's record; `stats` undefined when the controller did not answer. */
export interface ControllerReading {
  ds: DaemonSet;
  stats?: ReconcileStats;
}

export function controllerFamilies(readings: readonly ControllerReading[]): MetricFamily[] {
  const answered = readings.filter((r): r is Required<ControllerReading> => r.stats !== undefined);
  const label = (ds: DaemonSet) => ({ namespace: ds.metadata.namespace ?? "default", daemonset: ds.metadata.name ?? "" });
  const histogram: Sample[] = answered.flatMap(({ ds, stats }) => [
    ...passBuckets.map((le, i) => ({ suffix: "_bucket", labels: { ...label(ds), le: String(le) }, value: stats.buckets[i] ?? 0 })),
    { suffix: "_bucket", labels: { ...label(ds), le: "+Inf" }, value: stats.passes },
    { suffix: "_sum", labels: label(ds), value: stats.sumSeconds },
    { suffix: "_count", labels: label(ds), value: stats.passes },
  ]);
  return [
    { name: "edgeset_reconcile_passes_total", help: "Reconcile passes the DaemonSet's controller ran.", type: "counter", samples: answered.map(({ ds, stats }) => ({ labels: label(ds), value: stats.passes })) },
    { name: "edgeset_reconcile_pass_failures_total", help: "Reconcile passes that failed (and were retried).", type: "counter", samples: answered.map(({ ds, stats }) => ({ labels: label(ds), value: stats.failures })) },
    { name: "edgeset_reconcile_pass_duration_seconds", help: "How long a reconcile pass took, D1 round trips included.", type: "histogram", samples: histogram },
  ];
}

/**
 * Whether a rollout is under way, by `kubectl rollout status`'s rule for DaemonSets
 * (`DaemonSetStatusViewer`): a RollingUpdate DaemonSet whose controller has not observed its
 * generation, or whose updated or available pods are fewer than desired. OnDelete has no rollout.
 */
export function rolloutInProgress(ds: DaemonSet): boolean {
  if ((ds.spec.updateStrategy?.type ?? "RollingUpdate") !== "RollingUpdate") return false;
  const status = ds.status;
  if (!status) return true;
  const desired = status.desiredNumberScheduled;
  return (status.observedGeneration ?? 0) < (ds.metadata.generation ?? 0) || (status.updatedNumberScheduled ?? 0) < desired || (status.numberAvailable ?? 0) < desired;
}

export function rolloutFamilies(daemonSets: readonly DaemonSet[]): MetricFamily[] {
  const each = daemonSets.map((ds) => ({ labels: { namespace: ds.metadata.namespace ?? "default", daemonset: ds.metadata.name ?? "" }, value: rolloutInProgress(ds) ? 1 : 0 }));
  return [
    { name: "edgeset_daemonset_rollout_in_progress", help: "1 while the DaemonSet's RollingUpdate has not reached every node (kubectl rollout status would wait).", type: "gauge", samples: each },
    { name: "edgeset_rollouts_in_progress", help: "RollingUpdate DaemonSets whose rollout is under way.", type: "gauge", samples: [{ value: each.reduce((n, s) => n + s.value, 0) }] },
  ];
}

/** Per kind: how many objects a scrape reads at most, and whether there were more (their per-object series are left out). */
export interface ScrapeBounds {
  kind: string;
  limit: number;
  omitted: boolean;
}

export function scrapeFamilies(bounds: readonly ScrapeBounds[]): MetricFamily[] {
  return [
    { name: "edgeset_metrics_object_limit", help: "The most objects of the kind a scrape reads (METRICS_<KIND>_LIMIT).", type: "gauge", samples: bounds.map((b) => ({ labels: { kind: b.kind }, value: b.limit })) },
    { name: "edgeset_metrics_objects_omitted", help: "1 when there are more objects of the kind than the limit: their per-object series are left out of this scrape.", type: "gauge", samples: bounds.map((b) => ({ labels: { kind: b.kind }, value: b.omitted ? 1 : 0 })) },
  ];
}
