/**
 * @module
 * A token bucket, pure: `capacity` requests at once, refilled at `perMinute` a minute. The
 * in-memory limiter keeps one per key; the decision takes `now`.
 *
 * @example
 * takeToken(undefined, 0, { perMinute: 60 }) // { allowed: true, bucket: { tokens: 59, at: 0 }, retryAfterSeconds: 0 }
 */

export interface Bucket {
  tokens: number;
  /** When `tokens` was computed, ms. */
  at: number;
}

export interface BucketLimit {
  /** Sustained rate, and the burst a full bucket allows. */
  perMinute: number;
}

export interface Take {
  allowed: boolean;
  bucket: Bucket;
  /** Whole seconds until one token is back (0 when allowed). */
  retryAfterSeconds: number;
}

export function takeToken(bucket: Bucket | undefined, now: number, limit: BucketLimit): Take {
  const perMs = limit.perMinute / 60_000;
  const elapsed = bucket ? Math.max(0, now - bucket.at) : 0;
  const tokens = bucket ? Math.min(limit.perMinute, bucket.tokens + elapsed * perMs) : limit.perMinute;
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, at: now }, retryAfterSeconds: 0 };
  return { allowed: false, bucket: { tokens, at: now }, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
}
