/**
 * @module
 * When to sync next, as pure functions of the attempt count and an injected random source: the
 * regular interval with ±10% jitter (so a fleet that rebooted together spreads out), and the
 * back-off after a failed sync (1 s doubling to 60 s, with jitter). The interval the server asks
 * for is held between 1 s and 1 h: a tiny one would hammer it, and one past 24.8 days overflows
 * setTimeout, which then fires at once, in a loop.
 *
 * @example
 * nextSyncDelay(10, () => 0.5)            // 10000
 * syncBackoffDelay(3, defaultSyncBackoff, () => 0.5) // 8000
 * clampSyncInterval(1e9)                  // 3600
 */

export interface SyncBackoffParams {
  initialMs: number;
  maxMs: number;
}

export const defaultSyncBackoff: SyncBackoffParams = { initialMs: 1000, maxMs: 60_000 };

export interface SyncIntervalBounds {
  minSeconds: number;
  maxSeconds: number;
}

export const defaultSyncIntervalBounds: SyncIntervalBounds = { minSeconds: 1, maxSeconds: 3600 };

/** The interval held within `bounds`, or undefined when `seconds` is not a positive number. */
export function clampSyncInterval(seconds: unknown, bounds: SyncIntervalBounds = defaultSyncIntervalBounds): number | undefined {
  if (typeof seconds !== "number" || !(seconds > 0)) return undefined;
  return Math.min(Math.max(seconds, bounds.minSeconds), bounds.maxSeconds);
}

/** ±10% around `base`, `random()` in [0, 1). */
function jitter(base: number, random: () => number): number {
  return Math.round(base * (0.9 + 0.2 * random()));
}

export function nextSyncDelay(intervalSeconds: number, random: () => number): number {
  return jitter(intervalSeconds * 1000, random);
}

/**
 * Delay before retry number `failures` (1 = the first failure): initialMs·2^(failures-1), capped
 * at maxMs, then jittered (the cap holds after jitter).
 */
export function syncBackoffDelay(failures: number, params: SyncBackoffParams, random: () => number): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  const base = Math.min(params.initialMs * 2 ** exponent, params.maxMs);
  return Math.min(jitter(base, random), params.maxMs);
}

/** The longest `Retry-After` the agent waits: past it, a wrong header would silence the device. */
export const maxRetryAfterSeconds = 3600;

/**
 * The delay after a refusal that said `Retry-After: seconds` (a 429 or 503): never sooner than it
 * asks, spread over the next 20% so a fleet refused at once does not come back at once, and never
 * sooner than the back-off would retry anyway.
 */
export function retryAfterDelay(seconds: number, backoffMs: number, random: () => number): number {
  const asked = Math.min(Math.max(seconds, 0), maxRetryAfterSeconds) * 1000;
  return Math.max(backoffMs, Math.round(asked * (1 + 0.2 * random())));
}

/** `Retry-After` as seconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, now: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d{1,10}$/.test(value)) return Number(value);
  // An HTTP-date names its day and month; Date.parse would also read "-1" as a year.
  const at = /[a-z]/i.test(value) ? Date.parse(value) : NaN;
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - now) / 1000)) : undefined;
}
