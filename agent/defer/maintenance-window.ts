/**
 * @module
 * A maintenance window in device-local time (`--maintenance-window 02:00-04:00`): outside it the
 * device defers updates, through the same `UpdateDeferred` node condition as `edgeset-agent
 * defer` (deferral.ts), until the window next opens, so DaemonSets with
 * `rollout.edgeset.dev/allow-defer: "true"` update this device only inside its window and the
 * rest of the fleet is not held. The window is `HH:MM-HH:MM` on the device's clock and time zone,
 * start included, end excluded; a window that ends before it starts spans midnight
 * (`22:00-02:00`). Pure: `now` and the zone's offset at `now` are inputs.
 *
 * @example
 * const window = parseMaintenanceWindow("02:00-04:00");
 * windowDeferral(window, Date.parse("2026-06-01T10:00:00Z"), 120) // { until: 2026-06-02T00:00:00Z, reason: "outside the maintenance window 02:00-04:00 (device time)" }
 */
import type { Deferral } from "./deferral.ts";

export interface MaintenanceWindow {
  text: string;
  /** Minutes after local midnight. */
  start: number;
  end: number;
}

const dayMinutes = 24 * 60;

export function parseMaintenanceWindow(text: string): MaintenanceWindow {
  const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$/.exec(text.trim());
  const start = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  const end = m ? Number(m[3]) * 60 + Number(m[4]) : NaN;
  if (!m || end > dayMinutes) throw new Error(`invalid maintenance window ${JSON.stringify(text)}: use HH:MM-HH:MM in device time, e.g. 02:00-04:00`);
  if (start === end % dayMinutes) throw new Error(`invalid maintenance window ${JSON.stringify(text)}: it must not be empty or the whole day`);
  return { text: text.trim(), start, end: end % dayMinutes };
}

/** Whether local minute-of-day `minute` is inside the window. */
export function insideWindow(window: MaintenanceWindow, minute: number): boolean {
  return window.start < window.end ? minute >= window.start && minute < window.end : minute >= window.start || minute < window.end;
}

/**
 * The deferral in force at `now` (undefined inside the window): until the window next opens, on
 * the minute. `offsetMinutes` is the device zone's offset from UTC at `now` (east positive); a
 * daylight-saving change before the opening moves it by the change, and the next sync after the
 * change reports the corrected time.
 */
export function windowDeferral(window: MaintenanceWindow, now: number, offsetMinutes: number): Deferral | undefined {
  const localMs = now + offsetMinutes * 60_000;
  const minuteOfDay = Math.floor(localMs / 60_000) % dayMinutes;
  if (insideWindow(window, minuteOfDay)) return undefined;
  const wait = (window.start - minuteOfDay + dayMinutes) % dayMinutes;
  const until = (Math.floor(localMs / 60_000) + wait) * 60_000 - offsetMinutes * 60_000;
  return { until, reason: `outside the maintenance window ${window.text} (device time)` };
}

/** The offset from UTC of the process's time zone at `now`, in minutes (east positive). */
export const localOffsetMinutes = (now: number): number => -new Date(now).getTimezoneOffset();
