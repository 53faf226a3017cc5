import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireInstanceLock } from "./instance-lock.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "edgeset-lock-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(process.platform === "linux")("acquireInstanceLock", () => {
  it("refuses a second agent on the same directory", () => {
    const lock = acquireInstanceLock(dir);
    expect(() => acquireInstanceLock(dir)).toThrow(`another agent (pid ${process.pid}) is using ${dir}`);
    lock.release();
    expect(existsSync(join(dir, "agent.lock"))).toBe(false);
    acquireInstanceLock(dir).release();
  });

  it.each([
    { name: "a dead owner", content: JSON.stringify({ pid: 2 ** 22 + 7, startTicks: "1", bootId: "x" }) },
    { name: "an owner from another boot", content: JSON.stringify({ pid: process.pid, startTicks: "1", bootId: "old-boot" }) },
    { name: "a corrupt lock file", content: "{" },
  ])("takes over a lock left by $name", ({ content }) => {
    writeFileSync(join(dir, "agent.lock"), content);
    acquireInstanceLock(dir).release();
  });
});
