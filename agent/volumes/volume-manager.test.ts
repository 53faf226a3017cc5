import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConfigMap, Pod, Secret } from "../../src/resources/types.ts";
import type { ConfigSource } from "../pods/container-env.ts";
import { chooseSecretsDir, isMemoryFilesystem, removeSecretsDirIfEmpty } from "./secrets-dir.ts";
import { VolumeManager } from "./volume-manager.ts";

const b64 = (text: string) => Buffer.from(text).toString("base64");
let root: string;
let configMap: ConfigMap;
let secret: Secret | undefined;
const config: ConfigSource = { configMap: (_ns, name) => (name === configMap.metadata.name ? configMap : undefined), secret: () => secret };
const facts = { nodeName: "edge-1" };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "edgeset-vm-"));
  configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app", namespace: "default" }, data: { "app.conf": "v1" } };
  secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "default" }, data: { token: b64("t0k3n") } };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const manager = () => new VolumeManager({ stateDir: join(root, "state"), secretsDir: join(root, "shm") });

const pod: Pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "default", uid: "u1" },
  spec: {
    containers: [{ name: "main" }],
    volumes: [
      { name: "config", configMap: { name: "app" } },
      { name: "creds", secret: { secretName: "creds", defaultMode: 0o400 } },
      { name: "scratch", emptyDir: {} },
      { name: "host", hostPath: { path: join(tmpdir(), "edgeset-vm-host-dir-does-not-matter"), type: "" } },
    ],
  },
};

function setUp(volumes = manager()) {
  const result = volumes.setUp("default_web_u1", pod, config, facts);
  if ("error" in result) throw new Error(result.error);
  return result.paths;
}

describe("VolumeManager", () => {
  it("keeps ConfigMaps under the state dir and Secrets under the secrets dir, closed to others", () => {
    const paths = setUp();
    expect(paths.get("config")).toBe(join(root, "state/volumes/default_web_u1/config"));
    expect(paths.get("creds")).toBe(join(root, "shm/volumes/default_web_u1/creds"));
    expect(readFileSync(join(paths.get("config")!, "app.conf"), "utf8")).toBe("v1");
    expect(readFileSync(join(paths.get("creds")!, "token"), "utf8")).toBe("t0k3n");
    expect(lstatSync(join(paths.get("creds")!, "..data/token")).mode & 0o777).toBe(0o400);
    expect(lstatSync(join(root, "shm/volumes/default_web_u1")).mode & 0o777).toBe(0o700);
    expect(lstatSync(paths.get("scratch")!).mode & 0o777).toBe(0o777);
    expect(paths.get("host")).toBe(pod.spec.volumes![3].hostPath!.path);
  });

  it("updates a changed ConfigMap in place and leaves unchanged ones alone", () => {
    const volumes = manager();
    const paths = setUp(volumes);
    const file = join(paths.get("config")!, "app.conf");
    const secretData = lstatSync(join(paths.get("creds")!, "..data"), { bigint: false });
    configMap = { ...configMap, data: { "app.conf": "v2" } };
    setUp(volumes);
    expect(readFileSync(file, "utf8")).toBe("v2");
    expect(lstatSync(join(paths.get("creds")!, "..data")).ino).toBe(secretData.ino);
  });

  it("names the volume and the reason when a source is missing", () => {
    secret = undefined;
    expect(manager().setUp("default_web_u1", pod, config, facts)).toEqual({
      error: 'MountVolume.SetUp failed for volume "creds" : secret "creds" not found',
    });
  });

  it.each([
    { type: "Directory", make: false, error: "is not a directory" },
    { type: "File", make: "dir", error: "is not a file" },
    { type: "DirectoryOrCreate", make: false, error: undefined },
    { type: "FileOrCreate", make: false, error: undefined },
  ])("checks hostPath type $type", ({ type, make, error }) => {
    const path = join(root, "host-thing");
    if (make === "dir") mkdirSync(path);
    const hostPod: Pod = { ...pod, spec: { ...pod.spec, volumes: [{ name: "h", hostPath: { path, type } }] } };
    const result = manager().setUp("k", hostPod, config, facts);
    if (error) expect(result).toEqual({ error: expect.stringContaining(error) });
    else expect(existsSync(path)).toBe(true);
  });

  it("snapshots a subPath, which then does not follow updates (like a kubelet subPath bind mount)", () => {
    const volumes = manager();
    const paths = setUp(volumes);
    const snap = volumes.snapshotSubPath("default_web_u1", pod.spec.volumes![0], paths.get("config")!, "app.conf", "main", 0);
    if ("error" in snap) throw new Error(snap.error);
    configMap = { ...configMap, data: { "app.conf": "v2" } };
    setUp(volumes);
    expect(readFileSync(snap.path, "utf8")).toBe("v1");
    expect(volumes.snapshotSubPath("default_web_u1", pod.spec.volumes![0], paths.get("config")!, "../../x", "main", 1)).toEqual({
      error: "subPath ../../x must be a relative path without '..' (volume config)",
    });
  });

  it("tears a pod's volumes down, Secrets included, and removes those of unknown pods", () => {
    const volumes = manager();
    const paths = setUp(volumes);
    volumes.tearDown("default_web_u1");
    expect(existsSync(paths.get("creds")!)).toBe(false);
    expect(existsSync(paths.get("config")!)).toBe(false);
    setUp(volumes);
    volumes.setUp("default_other_u2", { ...pod, spec: { containers: [], volumes: [{ name: "s", secret: { secretName: "creds" } }] } }, config, facts);
    expect(volumes.removeOthers(new Set(["default_web_u1"]))).toEqual(["default_other_u2"]);
    expect(existsSync(join(root, "shm/volumes/default_other_u2"))).toBe(false);
    expect(existsSync(paths.get("creds")!)).toBe(true);
  });
});

describe("chooseSecretsDir", () => {
  it("prefers a tmpfs and falls back to the state dir", () => {
    const state = join(root, "state");
    const chosen = chooseSecretsDir(state, { XDG_RUNTIME_DIR: root });
    if (isMemoryFilesystem("/dev/shm") || isMemoryFilesystem("/run")) {
      expect(chosen.tmpfs).toBe(true);
      expect(chosen.dir).toMatch(/^\/(run|dev\/shm)\/edgeset-[0-9a-f]{12}$/);
      rmSync(chosen.dir, { recursive: true, force: true });
    } else {
      expect(chosen).toEqual({ dir: join(state, "secrets"), tmpfs: false });
    }
  });

  it("refuses a directory others can enter", () => {
    if (!isMemoryFilesystem("/dev/shm")) return;
    const state = join(root, "squatted");
    const first = chooseSecretsDir(state, {});
    try {
      writeFileSync(join(first.dir, "probe"), "");
      rmSync(join(first.dir, "probe"));
      // Loosen it as another user squatting the name would have it: it must not be used.
      chmodSync(first.dir, 0o777);
      expect(chooseSecretsDir(state, {}).dir).not.toBe(first.dir);
    } finally {
      rmSync(first.dir, { recursive: true, force: true });
    }
  });
});

describe("removeSecretsDirIfEmpty", () => {
  it("removes a dir with no file left, keeps one that still holds something", () => {
    const empty = join(root, "empty");
    mkdirSync(join(empty, "volumes", "pod"), { recursive: true });
    expect(removeSecretsDirIfEmpty(empty)).toBe(true);
    expect(existsSync(empty)).toBe(false);
    const kept = join(root, "kept");
    mkdirSync(join(kept, "volumes"), { recursive: true });
    writeFileSync(join(kept, "secrets.json"), "[]");
    expect(removeSecretsDirIfEmpty(kept)).toBe(false);
    expect(existsSync(join(kept, "secrets.json"))).toBe(true);
  });
});
