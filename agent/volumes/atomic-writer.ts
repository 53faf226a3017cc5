/**
 * @module
 * Writes a volume's files so that a reader never sees a half-updated set: the kubelet's
 * `AtomicWriter` (pkg/volume/util/atomic_writer.go). The data lives in a timestamped directory
 * `..2024_05_01_10_00_00.<random>`; `..data` is a symlink to it; every top-level entry the user sees
 * is a symlink through `..data`. An update writes a new timestamped directory, points
 * `..data_tmp` at it and renames that over `..data` (rename is atomic), then removes entries that
 * are gone and the old directory. Nothing is written when content and modes are unchanged.
 *
 * The directory may be writable by the workload (a process runtime workload runs as the agent's
 * user), so nothing found in it is trusted: `..data` counts only when it is a link to a name of the
 * writer's own form (`..<timestamp>.<random>`, no `/`) that is a real directory here; anything else
 * is replaced, never read through or deleted through. A user-visible entry that is not the link
 * `..data/<name>` is replaced by it. Removal is `lstat`-first: a link is unlinked, never followed.
 *
 * @example
 * writeAtomically("/var/lib/edgeset/volumes/default_web_u1/config", payload, new Date()) // true when it wrote
 * // config/app.conf -> ..data/app.conf, config/..data -> ..2024_05_01_10_00_00.x1y2
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Payload } from "./volume-payload.ts";

const dataDirName = "..data";
const newDataDirName = "..data_tmp";
/** What `timestampPrefix` + mkdtemp make: the only `..data` targets the writer follows. */
const timestampedName = /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.[A-Za-z0-9]{6}$/;

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The old timestamped directory, when `..data` is a link this writer made to one; else undefined. */
function ownDataDir(targetDir: string): string | undefined {
  const link = join(targetDir, dataDirName);
  if (!lstatOrUndefined(link)?.isSymbolicLink()) return undefined;
  const name = readlinkSync(link);
  if (!timestampedName.test(name)) return undefined;
  return lstatOrUndefined(join(targetDir, name))?.isDirectory() ? name : undefined;
}

/** Removes what is at `path` without following it: a link or file is unlinked, a directory removed with its content. */
function removeEntry(path: string): void {
  const stat = lstatOrUndefined(path);
  if (!stat) return;
  if (stat.isDirectory()) rmSync(path, { recursive: true, force: true });
  else unlinkSync(path);
}

/** Every path (files and directories) under `dir`, relative to it. */
function listPaths(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    out.push(relative);
    if (entry.isDirectory()) out.push(...listPaths(dir, relative));
  }
  return out;
}

function unchanged(payload: Payload, oldDir: string): boolean {
  for (const [path, file] of payload) {
    try {
      const full = join(oldDir, path);
      const stat = lstatSync(full);
      if (!stat.isFile() || (stat.mode & 0o7777) !== file.mode) return false;
      if (!readFileSync(full).equals(file.data)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** Old paths that the new payload does not have (or need as a parent directory). */
function pathsToRemove(payload: Payload, oldDir: string): string[] {
  const keep = new Set<string>();
  for (const path of payload.keys()) {
    for (let sub = path; sub !== "." && sub !== ""; sub = dirname(sub)) keep.add(sub);
  }
  return listPaths(oldDir).filter((path) => !keep.has(path));
}

/** `..2006_01_02_15_04_05.` + random, as Go's time format in the kubelet. */
function timestampPrefix(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `..${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}.`;
}

/** Makes `targetDir` hold exactly `payload`; returns false when it already did (nothing written). */
export function writeAtomically(targetDir: string, payload: Payload, now: Date): boolean {
  mkdirSync(targetDir, { recursive: true, mode: 0o755 });
  const oldTsName = ownDataDir(targetDir);
  const oldTsDir = oldTsName ? join(targetDir, oldTsName) : undefined;
  // Not ours (a directory, a file, a link elsewhere): it goes, without being followed.
  if (!oldTsName) removeEntry(join(targetDir, dataDirName));
  let toRemove: string[] = [];
  if (oldTsDir) {
    try {
      toRemove = pathsToRemove(payload, oldTsDir);
    } catch {
      toRemove = [];
    }
    if (toRemove.length === 0 && unchanged(payload, oldTsDir) && userLinksIntact(targetDir, payload)) return false;
  }

  const tsDir = mkdtempSync(join(targetDir, timestampPrefix(now)));
  // 0755 so group and others can traverse it, whatever the umask (the parent keeps strangers out).
  chmodSync(tsDir, 0o755);
  try {
    for (const [path, file] of payload) {
      const full = join(tsDir, path);
      mkdirSync(dirname(full), { recursive: true, mode: 0o755 });
      writeFileSync(full, file.data, { mode: file.mode });
      chmodSync(full, file.mode);
    }
    for (const top of topLevelNames(payload)) {
      const entry = join(targetDir, top);
      if (isUserLink(entry, top)) continue;
      removeEntry(entry);
      symlinkSync(join(dataDirName, top), entry);
    }
    const tmpLink = join(targetDir, newDataDirName);
    removeEntry(tmpLink);
    symlinkSync(tsDir.slice(targetDir.length + 1), tmpLink);
    renameSync(tmpLink, join(targetDir, dataDirName));
  } catch (error) {
    rmSync(tsDir, { recursive: true, force: true });
    throw error;
  }
  // Only top-level user-visible entries are links; deeper paths went with the old directory.
  for (const path of toRemove) if (!path.includes("/") && isUserLink(join(targetDir, path), path)) unlinkSync(join(targetDir, path));
  if (oldTsDir) rmSync(oldTsDir, { recursive: true, force: true });
  return true;
}

const topLevelNames = (payload: Payload): Set<string> => new Set([...payload.keys()].map((path) => path.split("/")[0]));

/** True when `entry` is the link the writer makes for `top`: `..data/<top>`. */
function isUserLink(entry: string, top: string): boolean {
  return Boolean(lstatOrUndefined(entry)?.isSymbolicLink()) && readlinkSync(entry) === join(dataDirName, top);
}

function userLinksIntact(targetDir: string, payload: Payload): boolean {
  return [...topLevelNames(payload)].every((top) => isUserLink(join(targetDir, top), top));
}
