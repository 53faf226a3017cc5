/**
 * @module
 * The file-system view of a process-runtime container: a directory (`EDGESET_POD_ROOT`) where
 * every `volumeMount` appears at its `mountPath` as a symlink to the volume on the host (or, for a
 * `subPath`, to a snapshot of it). A process cannot be given a mount namespace without root, so
 * a workload reads `$EDGESET_POD_ROOT/etc/config/app.conf` where a container would read
 * `/etc/config/app.conf`. Rebuilt at every start, so it always matches the spec.
 *
 * @example
 * layOutContainerRoot("/var/lib/edgeset/pods/default_web_u1/root/main", [{ mountPath: "/etc/config", source: "/var/lib/edgeset/volumes/default_web_u1/config" }])
 * // …/root/main/etc/config -> /var/lib/edgeset/volumes/default_web_u1/config
 */
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, posix } from "node:path";

export interface RootMount {
  mountPath: string;
  /** Host path of the volume (or subPath snapshot) to show at mountPath. */
  source: string;
}

/** `/etc/config/` → `etc/config`; undefined for a path that is empty, `/` or climbs with `..`. */
export function normalizeMountPath(mountPath: string): string | undefined {
  const normalized = posix.normalize(`/${mountPath}`).replace(/^\/+|\/+$/g, "");
  if (normalized === "" || normalized.split("/").includes("..")) return undefined;
  return normalized;
}

/** Lays the mounts out under `root` (emptied first); returns why it cannot, or undefined. */
export function layOutContainerRoot(root: string, mounts: RootMount[]): string | undefined {
  const planned: { path: string; source: string; mountPath: string }[] = [];
  for (const mount of mounts) {
    const path = normalizeMountPath(mount.mountPath);
    if (!path) return `volumeMount path ${JSON.stringify(mount.mountPath)} cannot be laid out under EDGESET_POD_ROOT`;
    planned.push({ path, source: mount.source, mountPath: mount.mountPath });
  }
  planned.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const outer of planned) {
    for (const inner of planned) {
      if (inner !== outer && inner.path === outer.path) return `two volumeMounts at ${inner.mountPath}`;
      if (inner.path.startsWith(`${outer.path}/`)) {
        return `volumeMount at ${inner.mountPath} is inside the volumeMount at ${outer.mountPath}: the process runtime cannot nest mounts`;
      }
    }
  }
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true, mode: 0o700 });
  for (const mount of planned) {
    const target = join(root, mount.path);
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    symlinkSync(mount.source, target);
  }
  return undefined;
}
