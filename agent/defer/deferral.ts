/**
 * @module
 * Device-side update deferral: an on-site operator (`edgeset-agent defer --for 30m`) or the
 * workload itself (writing the same file) asks the control plane not to update this device for
 * a while, a vehicle in motion or a shop during opening hours. The file is
 * `<state-dir>/defer.json`, `{"until": "<RFC 3339>", "reason": "..."}`; while it is in force the
 * agent reports the node condition `UpdateDeferred=True` with the message `until <time>: reason`.
 * The control plane honours it only for DaemonSets with `rollout.edgeset.dev/allow-defer: "true"`,
 * and never for longer than 24 hours from the moment it judges.
 *
 * @example
 * writeDeferral(stateDir, parseDeferDuration("30m"), "vehicle in motion", Date.now());
 * deferralCondition(readDeferral(stateDir, Date.now())); // { type: "UpdateDeferred", status: "True", ... }
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { NodeCondition } from "../../src/resources/types.ts";

export const maxDeferMs = 24 * 3_600_000;
export const deferFileName = "defer.json";

export interface Deferral {
  until: number;
  reason?: string;
}

/** `90s`, `30m`, `2h` (or a sum like `1h30m`), at most 24h. */
export function parseDeferDuration(text: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!text || !m) throw new Error(`invalid duration ${JSON.stringify(text)}: use e.g. 90s, 30m, 2h or 1h30m`);
  const ms = (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000;
  if (ms <= 0) throw new Error("the duration must be positive");
  if (ms > maxDeferMs) throw new Error("a deferral is at most 24h");
  return ms;
}

export function readDeferral(stateDir: string, now: number): Deferral | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(stateDir, deferFileName), "utf8"));
  } catch {
    return undefined; // no file, or a half-written one from a workload: no deferral
  }
  const body = parsed as { until?: unknown; reason?: unknown };
  const until = typeof body.until === "string" ? Date.parse(body.until) : Number.NaN;
  if (!Number.isFinite(until) || until <= now) return undefined;
  const reason = typeof body.reason === "string" ? body.reason.replace(/[\r\n]+/g, " ").slice(0, 200) : undefined;
  return { until: Math.min(until, now + maxDeferMs), ...(reason ? { reason } : {}) };
}

/** Writes (temp + rename) a deferral of `forMs` from `now`. */
export function writeDeferral(stateDir: string, forMs: number, reason: string | undefined, now: number): Deferral {
  const deferral: Deferral = { until: now + Math.min(forMs, maxDeferMs), ...(reason ? { reason } : {}) };
  mkdirSync(stateDir, { recursive: true });
  const tmp = join(stateDir, `${deferFileName}.tmp`);
  writeFileSync(tmp, JSON.stringify({ until: new Date(deferral.until).toISOString(), ...(reason ? { reason } : {}) }));
  renameSync(tmp, join(stateDir, deferFileName));
  return deferral;
}

export function clearDeferral(stateDir: string): void {
  rmSync(join(stateDir, deferFileName), { force: true });
}

/** The node condition reported while a deferral is in force (the time to the second, so it stays constant). */
export function deferralCondition(deferral: Deferral): NodeCondition {
  const until = new Date(Math.floor(deferral.until / 1000) * 1000).toISOString().replace(".000Z", "Z");
  return { type: "UpdateDeferred", status: "True", reason: "DeferredOnDevice", message: `until ${until}${deferral.reason ? `: ${deferral.reason}` : ""}` };
}
