// Secrets and test-only bindings, which `wrangler types` cannot see in wrangler.toml.
interface EdgesetSecrets {
  /** Bearer token for operators and dashboards (`wrangler secret put ADMIN_TOKEN`; locally `.dev.vars`). */
  ADMIN_TOKEN: string;
  /** Keys for Secrets at rest: `<id>:<base64 32 bytes>[,…]`, the first encrypts (`wrangler secret put SECRET_ENCRYPTION_KEYS`). */
  SECRET_ENCRYPTION_KEYS?: string;
  /** `memory`: count rate limits in memory even where the rate-limiting bindings exist (Worker tests). */
  RATE_LIMITER?: "memory";
  /** The most DaemonSets, Nodes and Pods one `/metrics` scrape reads (docs/metrics.md; defaults 500, 2000, 5000). */
  METRICS_DAEMONSET_LIMIT?: string;
  METRICS_NODE_LIMIT?: string;
  METRICS_POD_LIMIT?: string;
  /** Only in Worker tests: the migrations to apply. */
  TEST_MIGRATIONS?: import("cloudflare:test").D1Migration[];
}
interface Env extends EdgesetSecrets {}
declare namespace Cloudflare {
  interface Env extends EdgesetSecrets {}
}
