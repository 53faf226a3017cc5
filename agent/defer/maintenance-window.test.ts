import { describe, expect, it } from "vitest";
import { parseFlags } from "../cli/flags.ts";
import { deferralCondition } from "./deferral.ts";
import { insideWindow, parseMaintenanceWindow, windowDeferral } from "./maintenance-window.ts";

const at = (iso: string) => Date.parse(iso);

describe("parseMaintenanceWindow", () => {
  it.each([
    ["02:00-04:00", 120, 240],
    ["22:00-02:00", 1320, 120],
    ["00:00-24:00".replace("24:00", "23:59"), 0, 1439],
    ["23:00-24:00", 1380, 0],
  ])("%s", (text, start, end) => {
    expect(parseMaintenanceWindow(text)).toMatchObject({ start, end });
  });

  it.each(["", "2:00-4:00", "02:00", "02:00-02:00", "00:00-24:00", "24:00-01:00", "02:60-03:00", "02:00-25:00", "late night"])("refuses %j", (text) => {
    expect(() => parseMaintenanceWindow(text)).toThrow(/invalid maintenance window/);
  });
});

describe("windowDeferral", () => {
  const night = parseMaintenanceWindow("02:00-04:00");
  const overMidnight = parseMaintenanceWindow("22:00-02:00");
  it.each([
    ["inside (start included)", night, "2026-06-01T02:00:00Z", 0, undefined],
    ["inside", night, "2026-06-01T03:59:59Z", 0, undefined],
    ["at the end (excluded): until tomorrow's start", night, "2026-06-01T04:00:00Z", 0, "2026-06-02T02:00:00.000Z"],
    ["before it the same day", night, "2026-06-01T01:30:10Z", 0, "2026-06-01T02:00:00.000Z"],
    ["device two hours east of UTC: 10:00 UTC is 12:00 local", night, "2026-06-01T10:00:00Z", 120, "2026-06-02T00:00:00.000Z"],
    ["device five hours west: 03:00 UTC is 22:00 local the day before", night, "2026-06-01T03:00:00Z", -300, "2026-06-01T07:00:00.000Z"],
    ["across midnight, inside after midnight", overMidnight, "2026-06-01T01:00:00Z", 0, undefined],
    ["across midnight, inside before midnight", overMidnight, "2026-06-01T23:00:00Z", 0, undefined],
    ["across midnight, outside", overMidnight, "2026-06-01T12:00:00Z", 0, "2026-06-01T22:00:00.000Z"],
  ] as const)("%s", (_name, window, now, offset, until) => {
    const deferral = windowDeferral(window, at(now), offset);
    expect(deferral && new Date(deferral.until).toISOString()).toBe(until);
  });

  it("stays the same between syncs outside the window (an unchanged sync), and is never 24 h or more", () => {
    const a = windowDeferral(night, at("2026-06-01T10:00:00Z"), 0)!;
    const b = windowDeferral(night, at("2026-06-01T10:00:11Z"), 0)!;
    expect(deferralCondition(a)).toEqual(deferralCondition(b));
    expect(deferralCondition(a).message).toBe("until 2026-06-02T02:00:00Z: outside the maintenance window 02:00-04:00 (device time)");
    for (let minute = 0; minute < 24 * 60; minute += 7) {
      const now = at("2026-06-01T00:00:00Z") + minute * 60_000;
      const deferral = windowDeferral(night, now, 0);
      expect(deferral === undefined).toBe(insideWindow(night, minute));
      if (deferral) expect(deferral.until - now).toBeLessThan(24 * 3_600_000);
    }
  });
});

describe("--maintenance-window", () => {
  it("is parsed from the flag or EDGESET_MAINTENANCE_WINDOW, and refused when malformed", () => {
    const ok = parseFlags(["--server", "https://cp.example", "--maintenance-window", "02:00-04:00"], {}, "edge-1");
    expect(ok.kind === "config" && ok.config.maintenanceWindow).toMatchObject({ start: 120, end: 240 });
    const env = parseFlags(["--server", "https://cp.example"], { EDGESET_MAINTENANCE_WINDOW: "22:00-02:00" }, "edge-1");
    expect(env.kind === "config" && env.config.maintenanceWindow?.text).toBe("22:00-02:00");
    const bad = parseFlags(["--server", "https://cp.example", "--maintenance-window", "2-4"], {}, "edge-1");
    expect(bad).toMatchObject({ kind: "error", message: expect.stringContaining("--maintenance-window: invalid maintenance window") });
  });
});
