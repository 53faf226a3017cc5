/**
 * @module
 * Settings read from the Worker's vars (wrangler.toml), with the defaults documented there.
 */

export interface Settings {
  /** A node that has not synced for this long turns Ready=Unknown (node-monitor-grace-period). */
  nodeGraceMs: number;
  /** The lease is written when older than this: a quarter of the grace period, as the kubelet's. */
  leaseRenewMs: number;
  /** The sync interval the control plane asks agents to use. */
  syncIntervalSeconds: number;
  /** Deleted objects stay visible to watchers this long. */
  tombstoneTtlMs: number;
  /** Events expire after this long (kube-apiserver --event-ttl, 1h). */
  eventTtlMs: number;
  /** How many node shards (Durable Objects) hold the devices' hot state; see docs/scale.md before changing it. */
  nodeShards: number;
  /** A shard reloads a node's entry from D1 at least this often (heals a lost invalidation). */
  shardReloadMs: number;
}

const positive = (value: string | undefined, fallback: number): number => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

export function settingsOf(env: { NODE_GRACE_SECONDS?: string; SYNC_INTERVAL_SECONDS?: string; NODE_SHARDS?: string }): Settings {
  const graceSeconds = positive(env.NODE_GRACE_SECONDS, 40);
  return {
    nodeGraceMs: graceSeconds * 1000,
    leaseRenewMs: (graceSeconds * 1000) / 4,
    syncIntervalSeconds: positive(env.SYNC_INTERVAL_SECONDS, 10),
    tombstoneTtlMs: 15 * 60 * 1000,
    eventTtlMs: 60 * 60 * 1000,
    nodeShards: Math.floor(positive(env.NODE_SHARDS, 4)),
    shardReloadMs: 10 * 60 * 1000,
  };
}

export type RateLimitKind = "api" | "sync" | "enroll" | "enrollNode";

/** Requests a minute (sustained, and the burst) per key for the in-memory limiter; 0 = no limit. */
export interface RateLimits extends Record<RateLimitKind, number> {
  /** The `period` of the rate-limiting bindings in wrangler.toml: what a refused caller waits. */
  bindingPeriodSeconds: number;
}

const limit = (value: string | undefined, fallback: number): number => {
  const n = Number(value);
  return value !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : fallback;
};

export function rateLimitsOf(env: { API_RATE_LIMIT_PER_MINUTE?: string; SYNC_RATE_LIMIT_PER_MINUTE?: string; ENROLL_RATE_LIMIT_PER_MINUTE?: string; ENROLL_NODE_RATE_LIMIT_PER_MINUTE?: string }): RateLimits {
  return {
    api: limit(env.API_RATE_LIMIT_PER_MINUTE, 600),
    sync: limit(env.SYNC_RATE_LIMIT_PER_MINUTE, 120),
    enroll: limit(env.ENROLL_RATE_LIMIT_PER_MINUTE, 600),
    // One device name: a device enrolls once, and again only when its credential is refused.
    enrollNode: limit(env.ENROLL_NODE_RATE_LIMIT_PER_MINUTE, 10),
    bindingPeriodSeconds: 60,
  };
}

/** How long the audit log keeps an event (documented in docs/security.md). */
export function auditRetentionMsOf(env: { AUDIT_RETENTION_DAYS?: string }): number {
  return positive(env.AUDIT_RETENTION_DAYS, 30) * 24 * 60 * 60 * 1000;
}

/** The most objects of each kind one `/metrics` scrape reads (docs/metrics.md); beyond them, per-object series are left out. */
export interface MetricsLimits {
  daemonSets: number;
  nodes: number;
  pods: number;
}

export function metricsLimitsOf(env: { METRICS_DAEMONSET_LIMIT?: string; METRICS_NODE_LIMIT?: string; METRICS_POD_LIMIT?: string }): MetricsLimits {
  return {
    daemonSets: Math.floor(positive(env.METRICS_DAEMONSET_LIMIT, 500)),
    nodes: Math.floor(positive(env.METRICS_NODE_LIMIT, 2000)),
    pods: Math.floor(positive(env.METRICS_POD_LIMIT, 5000)),
  };
}
