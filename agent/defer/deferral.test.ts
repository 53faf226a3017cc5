import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runDeferCommand } from "./defer-command.ts";
import { clearDeferral, deferralCondition, maxDeferMs, parseDeferDuration, readDeferral, writeDeferral } from "./deferral.ts";

const now = Date.parse("2026-01-01T10:00:00Z");
const dirs: string[] = [];
const stateDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "defer-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("parseDeferDuration", () => {
  it.each([["90s", 90_000], ["30m", 1_800_000], ["2h", 7_200_000], ["1h30m", 5_400_000], ["24h", maxDeferMs]])("%s", (text, ms) => {
    expect(parseDeferDuration(text)).toBe(ms);
  });
  it.each(["", "0s", "25h", "10", "1d", "-5m"])("refuses %j", (text) => {
    expect(() => parseDeferDuration(text)).toThrow();
  });
});

describe("deferral file", () => {
  it("writes, reads back as a constant condition, expires, clears", () => {
    const dir = stateDir();
    writeDeferral(dir, 1_800_000, "vehicle in motion", now);
    const deferral = readDeferral(dir, now + 1000);
    expect(deferralCondition(deferral!)).toEqual({ type: "UpdateDeferred", status: "True", reason: "DeferredOnDevice", message: "until 2026-01-01T10:30:00Z: vehicle in motion" });
    expect(readDeferral(dir, now + 1_800_000)).toBeUndefined();
    clearDeferral(dir);
    expect(readDeferral(dir, now)).toBeUndefined();
  });

  it("a file the workload writes is bounded to 24h and a broken one is no deferral", () => {
    const dir = stateDir();
    writeFileSync(join(dir, "defer.json"), JSON.stringify({ until: "2027-01-01T00:00:00Z" }));
    expect(readDeferral(dir, now)?.until).toBe(now + maxDeferMs);
    writeFileSync(join(dir, "defer.json"), "{\"until\":");
    expect(readDeferral(dir, now)).toBeUndefined();
  });

  it("the defer command", () => {
    const dir = stateDir();
    const out: string[] = [];
    expect(runDeferCommand(["--for", "30m", "--state-dir", dir], {}, now, (s) => out.push(s), (s) => out.push(s))).toBe(0);
    expect(out.join("")).toContain("2026-01-01T10:30:00.000Z");
    expect(readDeferral(dir, now)).toBeDefined();
    expect(runDeferCommand(["--for", "2d", "--state-dir", dir], {}, now, () => {}, () => {})).toBe(2);
    expect(runDeferCommand(["--clear"], { EDGESET_STATE_DIR: dir }, now, () => {}, () => {})).toBe(0);
    expect(readDeferral(dir, now)).toBeUndefined();
  });
});
