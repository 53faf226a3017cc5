/**
 * Every containment rule of the agent's volumes, each with the attack it stops: a volume or
 * container name that climbs out, a subPath or items path with `..`, a link a workload makes
 * inside an emptyDir (for the engine's bind mount and the process runtime's snapshot), and links
 * a workload swaps into an API volume between two updates of the atomic writer.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConfigMap, Pod } from "../../src/resources/types.ts";
import { bindMounts } from "../runtime/container/bind-mounts.ts";
import { prepareProcessStart } from "../runtime/process/prepare-start.ts";
import { writeAtomically } from "./atomic-writer.ts";
import { childDir, resolveInside } from "./contained-path.ts";
import { firstChanged } from "./pinned-path.ts";
import { VolumeManager } from "./volume-manager.ts";
import type { Payload } from "./volume-payload.ts";

let root: string;
let outside: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "edgeset-contain-"));
  outside = join(root, "outside");
  mkdirSync(outside);
  writeFileSync(join(outside, "precious"), "keep me");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const payload = (entries: Record<string, string>): Payload => new Map(Object.entries(entries).map(([path, text]) => [path, { data: Buffer.from(text), mode: 0o644 }]));
const at = (n: number) => new Date(Date.UTC(2024, 4, 1, 10, 0, n));

describe("childDir", () => {
  it.each(["", ".", "..", "../x", "a/b", "a\0b"])("refuses the path element %j", (name) => {
    expect(childDir(root, name, 0o700)).toEqual({ error: `invalid path element ${JSON.stringify(name)}` });
  });

  it("refuses a link where its directory should be, creating nothing through it", () => {
    symlinkSync(outside, join(root, "vol"));
    expect(childDir(root, "vol", 0o700)).toEqual({ error: expect.stringContaining("a symbolic link") });
  });

  it("creates a real directory", () => {
    expect(childDir(root, "vol", 0o700)).toEqual({ path: join(root, "vol") });
    expect(lstatSync(join(root, "vol")).isDirectory()).toBe(true);
  });
});

describe("resolveInside", () => {
  beforeEach(() => {
    mkdirSync(join(root, "vol/sub"), { recursive: true });
    writeFileSync(join(root, "vol/sub/f"), "x");
  });

  it.each([
    { name: "a path in the volume", path: "sub/f", want: () => ({ path: join(root, "vol/sub/f") }) },
    { name: "a link that stays inside", path: "inside", link: "sub", want: () => ({ path: join(root, "vol/sub") }) },
    { name: "a link to outside", path: "escape", link: "../outside", want: () => ({ error: expect.stringContaining("is outside the volume") }) },
    { name: "an absolute link", path: "abs", link: "/etc", want: () => ({ error: expect.stringContaining("is outside the volume") }) },
    { name: "a link in a parent element", path: "escape/precious", link: "../outside", want: () => ({ error: expect.stringContaining("is outside the volume") }) },
    { name: "..", path: "../outside", want: () => ({ error: "../outside must be a relative path without '..'" }) },
    { name: "an absolute path", path: "/etc/passwd", want: () => ({ error: "/etc/passwd must be a relative path without '..'" }) },
    { name: "a missing path", path: "nope", want: () => ({ error: "nope does not exist" }) },
  ])("$name", ({ path, link, want }) => {
    if (link) symlinkSync(link, join(root, "vol", path.split("/")[0]));
    expect(resolveInside(join(root, "vol"), path)).toEqual(want());
  });
});

const configMap: ConfigMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app", namespace: "default" }, data: { "app.conf": "v1" } };
const config = { configMap: () => configMap, secret: () => undefined };
const podWith = (volumes: Pod["spec"]["volumes"], mounts: NonNullable<Pod["spec"]["containers"][0]["volumeMounts"]> = []): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "default", uid: "u1" },
  spec: { containers: [{ name: "main", image: "busybox", volumeMounts: mounts }], volumes },
});

describe("VolumeManager", () => {
  const manager = () => new VolumeManager({ stateDir: join(root, "state"), secretsDir: join(root, "shm") });

  it.each(["..", "../../../outside/new", "a/b"])("refuses the volume name %j and creates nothing outside the state dir", (name) => {
    const result = manager().setUp("default_web_u1", podWith([{ name, emptyDir: {} }]), config, { nodeName: "n" });
    expect(result).toEqual({ error: expect.stringContaining("invalid path element") });
    expect(readdirSync(outside)).toEqual(["precious"]);
    expect(existsSync(join(root, "state/new"))).toBe(false);
  });

  it("does not bind-mount a link a container made inside its emptyDir to outside it", () => {
    const pod = podWith([{ name: "scratch", emptyDir: {} }], [{ name: "scratch", mountPath: "/data", subPath: "escape" }]);
    const set = manager().setUp("default_web_u1", pod, config, { nodeName: "n" });
    if (!("paths" in set)) throw new Error(set.error);
    symlinkSync(outside, join(set.paths.get("scratch")!, "escape"));
    expect(bindMounts(pod, pod.spec.containers[0], set.paths)).toEqual({ error: expect.stringContaining("escape is outside the volume") });
  });

  it("refuses the start when a subPath directory is swapped for a link between the check and the start", () => {
    const pod = podWith([{ name: "scratch", emptyDir: {} }], [{ name: "scratch", mountPath: "/data", subPath: "logs" }]);
    const set = manager().setUp("default_web_u1", pod, config, { nodeName: "n" });
    if (!("paths" in set)) throw new Error(set.error);
    const scratch = set.paths.get("scratch")!;
    mkdirSync(join(scratch, "logs"));
    const mounts = bindMounts(pod, pod.spec.containers[0], set.paths);
    if ("error" in mounts) throw new Error(mounts.error);
    // The engine gets the resolved path; the workload swaps it (during an image pull, say).
    expect(mounts.mounts[0].hostPath).toBe(join(scratch, "logs"));
    expect(firstChanged(mounts.pins)).toBeUndefined();
    renameSync(join(scratch, "logs"), join(scratch, "logs-old"));
    symlinkSync(outside, join(scratch, "logs"));
    expect(firstChanged(mounts.pins)).toContain(`now resolves to ${outside}`);
  });

  it("hands a hostPath over resolved, and refuses it when it was swapped for a link before the start", () => {
    mkdirSync(join(root, "host/data"), { recursive: true });
    symlinkSync(join(root, "host"), join(root, "host-link"));
    const pod = podWith([{ name: "data", hostPath: { path: join(root, "host-link/data"), type: "Directory" } }], [{ name: "data", mountPath: "/data" }]);
    const volumes = manager();
    const set = volumes.setUp("default_web_u1", pod, config, { nodeName: "n" });
    if (!("paths" in set)) throw new Error(set.error);
    expect(set.paths.get("data")).toBe(join(root, "host/data"));
    const helper = { config, podFacts: () => ({ nodeName: "n" }), volumes };
    const start = () => prepareProcessStart({ pod: { ...pod, spec: { ...pod.spec, containers: [{ name: "main", command: ["true"], volumeMounts: [{ name: "data", mountPath: "/data" }] }] } }, spec: { name: "main", command: ["true"], volumeMounts: [{ name: "data", mountPath: "/data" }] }, helper, podKey: "default_web_u1", volumePaths: set.paths, root: join(root, "pods/root/main"), baseEnv: {} });
    expect(start()).toMatchObject({ argv: ["true"] });
    // Another pod that can write to the host directory swaps `data` for a link to outside.
    renameSync(join(root, "host/data"), join(root, "host/data-old"));
    symlinkSync(outside, join(root, "host/data"));
    expect(start()).toEqual({ reason: "CreateContainerConfigError", message: expect.stringContaining(`now resolves to ${outside}`) });
    expect(bindMounts(pod, pod.spec.containers[0], set.paths)).toEqual({ error: expect.stringContaining(`now resolves to ${outside}`) });
  });

  it("does not let a mountPath add bind-mount options (:rw to a read-only ConfigMap)", () => {
    const pod = podWith([{ name: "cfg", configMap: { name: "app" } }], [{ name: "cfg", mountPath: "/etc/app:rw" }]);
    const set = manager().setUp("default_web_u1", pod, config, { nodeName: "n" });
    if (!("paths" in set)) throw new Error(set.error);
    expect(bindMounts(pod, pod.spec.containers[0], set.paths)).toEqual({ error: "volumeMount cfg: a path with ':' cannot be bind-mounted" });
  });

  it("does not copy a link out of the volume into a process runtime subPath snapshot", () => {
    const volumes = manager();
    const pod = podWith([{ name: "scratch", emptyDir: {} }]);
    const set = volumes.setUp("default_web_u1", pod, config, { nodeName: "n" });
    if (!("paths" in set)) throw new Error(set.error);
    const scratch = set.paths.get("scratch")!;
    symlinkSync(outside, join(scratch, "escape"));
    expect(volumes.snapshotSubPath("default_web_u1", pod.spec.volumes![0], scratch, "escape", "main", 0)).toEqual({ error: expect.stringContaining("is outside the volume") });
    mkdirSync(join(scratch, "dir"));
    writeFileSync(join(scratch, "dir/own"), "mine");
    symlinkSync(join(outside, "precious"), join(scratch, "dir/leak"));
    symlinkSync("own", join(scratch, "dir/alias"));
    const snap = volumes.snapshotSubPath("default_web_u1", pod.spec.volumes![0], scratch, "dir", "main", 1);
    if ("error" in snap) throw new Error(snap.error);
    expect(readdirSync(snap.path).sort()).toEqual(["alias", "own"]);
  });
});

describe("writeAtomically, with a workload writing in the volume", () => {
  const vol = () => join(root, "vol");

  it("does not follow a ..data link it did not create, and deletes nothing through it", () => {
    mkdirSync(vol());
    symlinkSync(outside, join(vol(), "..data"));
    writeAtomically(vol(), payload({ "app.conf": "v1" }), at(0));
    expect(readFileSync(join(outside, "precious"), "utf8")).toBe("keep me");
    expect(readlinkSync(join(vol(), "..data"))).toMatch(/^\.\.2024_05_01_10_00_00\./);
    expect(readFileSync(join(vol(), "app.conf"), "utf8")).toBe("v1");
  });

  it("survives a ..data link swapped by the workload between two updates", () => {
    writeAtomically(vol(), payload({ "app.conf": "v1", "old.conf": "o" }), at(0));
    // The workload points ..data at a directory of its choosing, named like the writer's own.
    const fake = join(vol(), "..2024_05_01_09_00_00.AAAAAA");
    symlinkSync(outside, fake);
    rmSync(join(vol(), "..data"));
    symlinkSync("..2024_05_01_09_00_00.AAAAAA", join(vol(), "..data"));
    writeAtomically(vol(), payload({ "app.conf": "v2" }), at(1));
    expect(readdirSync(outside)).toEqual(["precious"]);
    expect(readFileSync(join(vol(), "app.conf"), "utf8")).toBe("v2");
  });

  it("replaces a user-visible entry the workload swapped for a link elsewhere, without touching the target", () => {
    writeAtomically(vol(), payload({ "app.conf": "v1" }), at(0));
    rmSync(join(vol(), "app.conf"));
    symlinkSync(join(outside, "precious"), join(vol(), "app.conf"));
    expect(writeAtomically(vol(), payload({ "app.conf": "v1" }), at(1))).toBe(true);
    expect(readlinkSync(join(vol(), "app.conf"))).toBe("..data/app.conf");
    expect(readFileSync(join(outside, "precious"), "utf8")).toBe("keep me");
  });

  it("replaces a ..data the workload made a directory, and a user entry it made a directory", () => {
    mkdirSync(join(vol(), "..data"), { recursive: true });
    mkdirSync(join(vol(), "app.conf"));
    symlinkSync(outside, join(vol(), "app.conf", "link"));
    writeAtomically(vol(), payload({ "app.conf": "v1" }), at(0));
    expect(readFileSync(join(vol(), "app.conf"), "utf8")).toBe("v1");
    expect(readdirSync(outside)).toEqual(["precious"]);
  });

  it("unlinks, never follows, an entry that is gone from the payload", () => {
    writeAtomically(vol(), payload({ "app.conf": "v1", "gone.conf": "g" }), at(0));
    rmSync(join(vol(), "gone.conf"));
    symlinkSync(outside, join(vol(), "gone.conf"));
    renameSync(join(vol(), "gone.conf"), join(vol(), "gone.conf"));
    writeAtomically(vol(), payload({ "app.conf": "v1" }), at(1));
    expect(readdirSync(outside)).toEqual(["precious"]);
  });
});
