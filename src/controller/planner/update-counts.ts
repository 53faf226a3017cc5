/**
 * @module
 * `util.SurgeCount`, `util.UnavailableCount`, `util.AllowsSurge` and the budget rule of
 * `updatedDesiredNodeCounts`: both values are scaled against the number of desired nodes,
 * rounding up; a RollingUpdate that allows neither still allows one unavailable pod.
 *
 * @example
 * maxUnavailableAndSurge(ds, 15); // { maxUnavailable: 2, maxSurge: 0 } for maxUnavailable "10%"
 */

import type { DaemonSet } from "../../resources/types.ts";
import { scaledValue } from "./intstr.ts";

function rollingUpdateOf(ds: DaemonSet) {
  const strategy = ds.spec.updateStrategy;
  return strategy?.type === "RollingUpdate" ? strategy.rollingUpdate : undefined;
}

/** 0 unless RollingUpdate sets maxSurge; throws on a malformed value. */
export function surgeCount(ds: DaemonSet, numberToSchedule: number): number {
  const r = rollingUpdateOf(ds);
  if (r?.maxSurge === undefined || r.maxSurge === null) return 0;
  return scaledValue(r.maxSurge, numberToSchedule, true);
}

/** 0 unless RollingUpdate; throws when maxUnavailable is missing or malformed. */
export function unavailableCount(ds: DaemonSet, numberToSchedule: number): number {
  const r = rollingUpdateOf(ds);
  if (r === undefined) return 0;
  return scaledValue(r.maxUnavailable, numberToSchedule, true);
}

/** Surge mode: maxSurge scaled against a single node is positive. */
export function allowsSurge(ds: DaemonSet): boolean {
  try {
    return surgeCount(ds, 1) > 0;
  } catch {
    return false;
  }
}

/** Throws `invalid value for MaxUnavailable/MaxSurge` like `updatedDesiredNodeCounts`. */
export function maxUnavailableAndSurge(ds: DaemonSet, desired: number): { maxUnavailable: number; maxSurge: number } {
  let maxUnavailable: number;
  let maxSurge: number;
  try {
    maxUnavailable = unavailableCount(ds, desired);
  } catch (err) {
    throw new Error(`invalid value for MaxUnavailable: ${(err as Error).message}`);
  }
  try {
    maxSurge = surgeCount(ds, desired);
  } catch (err) {
    throw new Error(`invalid value for MaxSurge: ${(err as Error).message}`);
  }
  // An impossible configuration (both zero) falls back to accepting one unavailable pod.
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxUnavailable, maxSurge };
}
