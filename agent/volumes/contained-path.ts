/**
 * @module
 * Paths derived from a manifest or the control plane stay under their root. Two rules, as the
 * kubelet's subpath package applies them (pkg/volume/util/subpath/subpath_linux.go):
 *
 * - `childDir(root, name)`: one path element the agent names (a volume, a container, a pod key):
 *   not empty, no `/`, not `.` or `..`, and the directory it creates is a directory, not a link
 *   left there by anyone else (`lstat`), so nothing is created through a link.
 * - `resolveInside(root, relative)`: a path *inside a volume* the workload can write to (a
 *   `subPath`): links are resolved (`realpath`), and the result must still be under the volume's
 *   own resolved root (`PathWithinBase` after `EvalSymlinks`). A link a container made that points
 *   outside its volume is refused, never bind-mounted or copied.
 *
 * @example
 * childDir("/var/lib/edgeset/volumes/default_web_u1", "../../etc") // { error: "invalid path element \"../../etc\"" }
 * resolveInside("/var/lib/edgeset/volumes/default_web_u1/scratch", "link-to-etc") // { error: "… is outside the volume" }
 */
import { lstatSync, mkdirSync, realpathSync } from "node:fs";
import { join, relative, sep } from "node:path";

export type Contained = { path: string } | { error: string };

/** One path element: not empty, no separator, NUL, `.` or `..`. */
export function isPathElement(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !name.includes("/") && !name.includes("\0");
}

/** True when `path` is `root` or below it (both already resolved). */
export function isWithin(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside === "" || (inside !== ".." && !inside.startsWith(`..${sep}`) && !inside.startsWith(sep));
}

/** `root/name`, created as a real directory with `mode` if missing; a link or file there is refused. */
export function childDir(root: string, name: string, mode: number): Contained {
  if (!isPathElement(name)) return { error: `invalid path element ${JSON.stringify(name)}` };
  const path = join(root, name);
  try {
    mkdirSync(path, { mode });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") return { error: (error as Error).message };
  }
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return { error: `${path} is not a directory the agent made (${stat.isSymbolicLink() ? "a symbolic link" : "a file"})` };
  return { path };
}

/** `root/relative` with every link resolved, refused unless it stays under the resolved root. */
export function resolveInside(root: string, relativePath: string): Contained {
  if (relativePath.startsWith("/") || relativePath.split("/").includes("..")) return { error: `${relativePath} must be a relative path without '..'` };
  let base: string;
  let resolved: string;
  try {
    base = realpathSync(root);
    resolved = realpathSync(join(base, relativePath));
  } catch {
    return { error: `${relativePath} does not exist` };
  }
  if (!isWithin(base, resolved)) return { error: `${relativePath} is outside the volume (it resolves to ${resolved})` };
  return { path: resolved };
}
