/**
 * @module
 * Rate limits: per API token on the Kubernetes API, per device on the sync, per bootstrap token,
 * per client address and per device name on enrolment. A refused request is 429 with `Retry-After` and a
 * `TooManyRequests` Status, before any D1 read of its own.
 *
 * Deployed, the Workers rate-limiting bindings count (`ratelimits` in wrangler.toml: per
 * location and approximate, so abuse protection, not quotas); without a binding, or with
 * `RATE_LIMITER=memory`, an in-memory token bucket per isolate does, sized by the
 * `*_RATE_LIMIT_PER_MINUTE` vars (`config.ts`).
 */
import { rateLimitsOf, type RateLimitKind } from "../../config.ts";
import type { AppContext } from "../context.ts";
import { ApiError } from "../errors.ts";
import { takeToken, type Bucket } from "./token-bucket.ts";

/** One isolate's buckets. Bounded: past `maxKeys` the oldest keys go (they were the least recent). */
const buckets = new Map<string, Bucket>();
const maxKeys = 10_000;

const bindingOf = (env: Env, kind: RateLimitKind): RateLimit | undefined => {
  if (env.RATE_LIMITER === "memory") return undefined;
  return { api: env.API_RATE_LIMIT, sync: env.SYNC_RATE_LIMIT, enroll: env.ENROLL_RATE_LIMIT, enrollNode: env.ENROLL_NODE_RATE_LIMIT }[kind];
};

/** Seconds to wait, or 0 when `key` may go ahead now. */
async function check(env: Env, kind: RateLimitKind, key: string, now: number): Promise<number> {
  const limits = rateLimitsOf(env);
  const binding = bindingOf(env, kind);
  if (binding) return (await binding.limit({ key: `${kind}:${key}` })).success ? 0 : limits.bindingPeriodSeconds;
  const perMinute = limits[kind];
  if (perMinute <= 0) return 0;
  const name = `${kind}:${key}`;
  const take = takeToken(buckets.get(name), now, { perMinute });
  buckets.delete(name);
  buckets.set(name, take.bucket);
  if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
  return take.retryAfterSeconds;
}

/** Throws 429 when `key` has used up its `kind` budget. */
export async function enforceRateLimit(c: AppContext, kind: RateLimitKind, key: string): Promise<void> {
  const retryAfter = await check(c.env, kind, key, c.var.now);
  if (retryAfter === 0) return;
  // app.onError sends `Retry-After` from the details, as the apiserver does for every 429.
  throw new ApiError(429, "TooManyRequests", `too many requests (the ${kind} limit of ${key}), please try again in ${retryAfter} s`, { retryAfterSeconds: retryAfter });
}
