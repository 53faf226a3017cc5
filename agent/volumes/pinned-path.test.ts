import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { firstChanged, pinnedPathChanged, pinResolved, resolveExisting, type PinnedPath } from "./pinned-path.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "edgeset-pin-"));
  mkdirSync(join(root, "vol/logs"), { recursive: true });
  mkdirSync(join(root, "outside"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const pin = (path: string): PinnedPath => {
  const pinned = pinResolved(path);
  if ("error" in pinned) throw new Error(pinned.error);
  return pinned;
};

describe("resolveExisting", () => {
  it("resolves every link of the part that exists and keeps a missing tail as written", () => {
    symlinkSync(join(root, "vol"), join(root, "via"));
    expect(resolveExisting(join(root, "via/logs"))).toBe(join(root, "vol/logs"));
    expect(resolveExisting(join(root, "via/new/deeper"))).toBe(join(root, "vol/new/deeper"));
  });
});

describe("a pinned path checked again before the start", () => {
  it("is unchanged when nothing happened", () => {
    expect(pinnedPathChanged(pin(join(root, "vol/logs")))).toBeUndefined();
  });

  it("refuses a path that is not resolved (a link in it)", () => {
    symlinkSync(join(root, "outside"), join(root, "vol/link"));
    expect(pinResolved(join(root, "vol/link"))).toEqual({ error: expect.stringContaining(`now resolves to ${join(root, "outside")}`) });
  });

  it("sees a directory swapped for a link to outside between the check and the start", () => {
    const pinned = pin(join(root, "vol/logs"));
    renameSync(join(root, "vol/logs"), join(root, "vol/old"));
    symlinkSync(join(root, "outside"), join(root, "vol/logs"));
    expect(pinnedPathChanged(pinned)).toContain(`now resolves to ${join(root, "outside")}`);
  });

  it("sees a parent directory swapped for a link", () => {
    const pinned = pin(join(root, "vol/logs"));
    mkdirSync(join(root, "outside/logs"));
    renameSync(join(root, "vol"), join(root, "vol-old"));
    symlinkSync(join(root, "outside"), join(root, "vol"));
    expect(pinnedPathChanged(pinned)).toContain("now resolves to");
  });

  it("sees a directory replaced by another real directory", () => {
    const pinned = pin(join(root, "vol/logs"));
    renameSync(join(root, "vol/logs"), join(root, "vol/old"));
    mkdirSync(join(root, "vol/logs"));
    expect(pinnedPathChanged(pinned)).toContain("was replaced by another file or directory");
  });

  it("sees a directory that is gone", () => {
    const pinned = pin(join(root, "vol/logs"));
    rmSync(join(root, "vol/logs"), { recursive: true });
    expect(pinnedPathChanged(pinned)).toContain("is gone");
  });

  it("lets a missing hostPath be created as a directory, not as a link", () => {
    const path = join(root, "vol/new/data");
    const pinned = pin(path);
    mkdirSync(path, { recursive: true });
    expect(pinnedPathChanged(pinned)).toBeUndefined();
    rmSync(join(root, "vol/new"), { recursive: true });
    symlinkSync(join(root, "outside"), join(root, "vol/new"));
    expect(pinnedPathChanged(pinned)).toContain("now resolves to");
  });

  it("names the first of several pins that changed", () => {
    const pins = [pin(join(root, "vol")), pin(join(root, "vol/logs"))];
    expect(firstChanged(pins)).toBeUndefined();
    rmSync(join(root, "vol/logs"), { recursive: true });
    symlinkSync("/", join(root, "vol/logs"));
    expect(firstChanged(pins)).toContain(`${join(root, "vol/logs")} changed since it was checked`);
  });
});
