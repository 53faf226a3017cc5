import { mkdtempSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { layOutContainerRoot, normalizeMountPath } from "./container-root.ts";

let root: string;
beforeEach(() => {
  root = join(mkdtempSync(join(tmpdir(), "edgeset-root-")), "main");
});
afterEach(() => rmSync(join(root, ".."), { recursive: true, force: true }));

describe("normalizeMountPath", () => {
  it.each([
    ["/etc/config", "etc/config"],
    ["/etc/config/", "etc/config"],
    ["//var//log", "var/log"],
    ["/a/./b", "a/b"],
    ["/", undefined],
    ["/../x", "x"],
    ["", undefined],
  ])("%j -> %j", (input, want) => {
    expect(normalizeMountPath(input)).toBe(want);
  });
});

describe("layOutContainerRoot", () => {
  it("links every mount at its path under the root", () => {
    expect(
      layOutContainerRoot(root, [
        { mountPath: "/etc/fluent/config.d", source: "/vol/config" },
        { mountPath: "/var/log", source: "/var/log" },
        { mountPath: "/etc/fluent/token", source: "/vol/snap/0" },
      ]),
    ).toBeUndefined();
    expect(readlinkSync(join(root, "etc/fluent/config.d"))).toBe("/vol/config");
    expect(readlinkSync(join(root, "var/log"))).toBe("/var/log");
    expect(readlinkSync(join(root, "etc/fluent/token"))).toBe("/vol/snap/0");
  });

  it.each([
    { mounts: [{ mountPath: "/etc/app", source: "/a" }, { mountPath: "/etc/app/extra", source: "/b" }], error: "is inside the volumeMount at /etc/app" },
    { mounts: [{ mountPath: "/a", source: "/a" }, { mountPath: "/a-b", source: "/b" }, { mountPath: "/a/c", source: "/c" }], error: "/a/c is inside" },
    { mounts: [{ mountPath: "/x", source: "/a" }, { mountPath: "/x/", source: "/b" }], error: "two volumeMounts at /x" },
    { mounts: [{ mountPath: "/", source: "/a" }], error: "cannot be laid out" },
  ])("refuses $error", ({ mounts, error }) => {
    expect(layOutContainerRoot(root, mounts)).toContain(error);
  });
});
