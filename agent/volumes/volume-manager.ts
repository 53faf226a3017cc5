/**
 * @module
 * Materialises a pod's volumes on the device, for both runtimes: `configMap`, `secret` and
 * `projected` volumes are written with the atomic writer (and rewritten in place whenever their
 * source changes), `emptyDir` is a directory, `hostPath` is checked and resolved (no links:
 * `pinned-path.ts`). Volumes that hold Secret data (and `emptyDir` with `medium: Memory`) live
 * under the secrets dir (tmpfs); the others under the state dir. A pod's volumes are removed when the pod stops, so Secrets stay
 * on the device only while a pod needs them.
 *
 * ```
 * <state>/volumes/<namespace>_<name>_<uid>/<volume>/            configMap, emptyDir
 * <secrets>/volumes/<namespace>_<name>_<uid>/<volume>/          secret, projected with a secret, Memory emptyDir
 * <…>/volumes/<pod>/.subpaths/<volume>/<container>/<index>     subPath snapshots (process runtime)
 * ```
 *
 * @example
 * const volumes = new VolumeManager({ stateDir: "/var/lib/edgeset", secretsDir: "/run/edgeset-3f2a" });
 * volumes.setUp("default_web_u1", pod, config, facts) // { paths: Map { "config" => "/var/lib/edgeset/volumes/default_web_u1/config" } }
 */
import { createHash } from "node:crypto";
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Pod, Volume } from "../../src/resources/types.ts";
import type { ConfigSource } from "../pods/container-env.ts";
import type { PodFacts } from "../pods/downward-api.ts";
import { writeAtomically } from "./atomic-writer.ts";
import { childDir, type Contained, resolveInside } from "./contained-path.ts";
import { resolveExisting } from "./pinned-path.ts";
import { ensurePrivateDir } from "./secrets-dir.ts";
import { holdsSecrets, isProjectedKind, makeVolumePayload, type Payload } from "./volume-payload.ts";

export interface VolumeManagerOptions {
  stateDir: string;
  secretsDir: string;
  now?: () => number;
}

export type VolumeSetUp = { paths: Map<string, string> } | { error: string };

function digestOf(payload: Payload): string {
  const hash = createHash("sha256");
  for (const path of [...payload.keys()].sort()) {
    const file = payload.get(path)!;
    hash.update(`${path}\0${file.mode}\0${file.data.length}\0`).update(file.data);
  }
  return hash.digest("hex");
}

/** kubelet hostPath type checks (`checkType`), DirectoryOrCreate and FileOrCreate creating what is missing. */
function checkHostPath(path: string, type: string | undefined): string | undefined {
  const stat = (() => {
    try {
      return statSync(path);
    } catch {
      return undefined;
    }
  })();
  switch (type ?? "") {
    case "":
      return undefined;
    case "DirectoryOrCreate":
      if (!stat) mkdirSync(path, { recursive: true, mode: 0o755 });
      else if (!stat.isDirectory()) return `hostPath type check failed: ${path} is not a directory`;
      return undefined;
    case "FileOrCreate":
      if (!stat) writeFileSync(path, "", { mode: 0o644 });
      else if (!stat.isFile()) return `hostPath type check failed: ${path} is not a file`;
      return undefined;
    case "Directory":
      return stat?.isDirectory() ? undefined : `hostPath type check failed: ${path} is not a directory`;
    case "File":
      return stat?.isFile() ? undefined : `hostPath type check failed: ${path} is not a file`;
    case "Socket":
      return stat?.isSocket() ? undefined : `hostPath type check failed: ${path} is not a socket file`;
    case "CharDevice":
      return stat?.isCharacterDevice() ? undefined : `hostPath type check failed: ${path} is not a character device`;
    case "BlockDevice":
      return stat?.isBlockDevice() ? undefined : `hostPath type check failed: ${path} is not a block device`;
    default:
      return `hostPath type ${type} is not supported`;
  }
}

/** The path, or throws the containment error (setUp turns it into the pod's volume error). */
function contained(result: Contained): string {
  if ("error" in result) throw new Error(result.error);
  return result.path;
}

export class VolumeManager {
  private readonly stateBase: string;
  private readonly secretBase: string;
  private readonly now: () => number;
  /** Digest of what each volume directory holds, so an unchanged sync writes nothing. */
  private readonly written = new Map<string, string>();

  constructor(options: VolumeManagerOptions) {
    // Resolved once (a state dir reached through a link): every volume path handed out is link-free.
    this.stateBase = join(resolveExisting(options.stateDir), "volumes");
    this.secretBase = join(resolveExisting(options.secretsDir), "volumes");
    this.now = options.now ?? Date.now;
  }

  /** The tree a volume lives in: memory for Secret data and Memory emptyDirs, else the state dir. */
  private baseOf(volume: Volume): string {
    return holdsSecrets(volume) || volume.emptyDir?.medium === "Memory" ? this.secretBase : this.stateBase;
  }

  /** `<base>/<pod>/`, created 0700 under a 0700 base: the volumes inside may be readable, the path to them is not. */
  private podDir(base: string, key: string): string {
    ensurePrivateDir(base);
    return contained(childDir(base, key, 0o700));
  }

  /** Sets up (or refreshes) every volume of the pod; the first failure stops it, as MountVolume.SetUp would. */
  setUp(key: string, pod: Pod, config: ConfigSource, facts: PodFacts): VolumeSetUp {
    const paths = new Map<string, string>();
    for (const volume of pod.spec.volumes ?? []) {
      let error: string | undefined;
      try {
        error = this.setUpOne(key, pod, volume, config, facts, paths);
      } catch (thrown) {
        // A volume that cannot be built holds back this pod only.
        error = (thrown as Error).message;
      }
      if (error) return { error: `MountVolume.SetUp failed for volume "${volume.name}" : ${error}` };
    }
    return { paths };
  }

  private setUpOne(key: string, pod: Pod, volume: Volume, config: ConfigSource, facts: PodFacts, paths: Map<string, string>): string | undefined {
    if (volume.hostPath) {
      try {
        const problem = checkHostPath(volume.hostPath.path, volume.hostPath.type);
        if (problem) return problem;
      } catch (error) {
        return (error as Error).message;
      }
      // Resolved now: runtimes get the path without links, pin it and check it again at the start.
      paths.set(volume.name, resolveExisting(volume.hostPath.path));
      return undefined;
    }
    const podDir = this.podDir(this.baseOf(volume), key);
    if (volume.emptyDir) {
      const fresh = !existsSync(join(podDir, volume.name));
      const dir = contained(childDir(podDir, volume.name, 0o700));
      // kubelet: emptyDir is 0777 so a workload running as any user can write to it.
      if (fresh) chmodSync(dir, 0o777);
      paths.set(volume.name, dir);
      return undefined;
    }
    const dir = contained(childDir(podDir, volume.name, 0o755));
    if (!isProjectedKind(volume)) return "unsupported volume type (edgeset supports configMap, secret, projected, emptyDir and hostPath)";
    const result = makeVolumePayload(pod, volume, config, facts);
    if ("error" in result) return result.error;
    const digest = digestOf(result.payload);
    if (this.written.get(dir) !== digest) {
      try {
        writeAtomically(dir, result.payload, new Date(this.now()));
      } catch (error) {
        return (error as Error).message;
      }
      this.written.set(dir, digest);
    }
    paths.set(volume.name, dir);
    return undefined;
  }

  /**
   * A copy of `<volume>/<subPath>` taken now, for runtimes that cannot bind-mount: like the
   * kubelet's subPath bind mount it does not follow later updates of the volume.
   */
  snapshotSubPath(key: string, volume: Volume, volumePath: string, subPath: string, container: string, index: number): { path: string } | { error: string } {
    const resolved = resolveInside(volumePath, subPath);
    if ("error" in resolved) return { error: `subPath ${resolved.error} (volume ${volume.name})` };
    const source = resolved.path;
    if (volume.hostPath) return { path: source };
    let parent: string;
    try {
      parent = [".subpaths", volume.name, container].reduce((dir, name) => contained(childDir(dir, name, 0o700)), this.podDir(this.baseOf(volume), key));
    } catch (error) {
      return { error: (error as Error).message };
    }
    const target = join(parent, String(index));
    rmSync(target, { recursive: true, force: true });
    // Links inside are copied as links, and only those that stay inside the volume.
    const root = realpathSync(volumePath);
    const keep = (path: string) => !lstatSync(path).isSymbolicLink() || ("path" in resolveInside(root, relative(root, path)));
    cpSync(source, target, { recursive: true, dereference: false, verbatimSymlinks: true, preserveTimestamps: true, filter: keep });
    return { path: target };
  }

  /** Removes everything the pod's volumes put on disk (Secrets included). */
  tearDown(key: string): void {
    for (const base of [this.stateBase, this.secretBase]) {
      const dir = join(base, key);
      rmSync(dir, { recursive: true, force: true });
      for (const path of [...this.written.keys()]) if (path.startsWith(`${dir}${sep}`)) this.written.delete(path);
    }
  }

  /** Removes the volumes of every pod not in `keep` (left by a pod that ended while no agent ran). */
  removeOthers(keep: Set<string>): string[] {
    const removed: string[] = [];
    for (const base of [this.stateBase, this.secretBase]) {
      let entries: string[];
      try {
        entries = readdirSync(base);
      } catch {
        continue;
      }
      for (const key of entries) {
        if (keep.has(key)) continue;
        rmSync(join(base, key), { recursive: true, force: true });
        removed.push(key);
      }
    }
    return [...new Set(removed)];
  }
}
