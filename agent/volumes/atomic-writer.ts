/**
 * @module
 * Writes a volume's files so that a reader never sees a half-updated set: the kubelet's
 * `AtomicWriter` (pkg/volume/util/atomic_writer.go). The data lives in a timestamped directory
 * `..2024_05_01_10_00_00.<random>`; `..data` is a symlink to it; every top-level entry the user sees
 * is a symlink through `..data`. An update writes a new timestamped directory, points
 * `..data_tmp` at it and renames that over `..data` (rename is atomic), then removes entries that
 * are gone and the old directory. Nothing is written when content and modes are unchanged.
 *
 * @example
 * writeAtomically("/var/lib/edgeset/volumes/default_web_u1/config", payload, new Date()) // true when it wrote
 * // config/app.conf -> ..data/app.conf, config/..data -> ..2024_05_01_10_00_00.x1y2
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Payload } from "./volume-payload.ts";

const dataDirName = "..data";
const newDataDirName = "..data_tmp";

function readLinkOrUndefined(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
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
      if ((lstatSync(full).mode & 0o7777) !== file.mode) return false;
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
  const oldTsName = readLinkOrUndefined(join(targetDir, dataDirName));
  const oldTsDir = oldTsName ? join(targetDir, oldTsName) : undefined;
  let toRemove: string[] = [];
  if (oldTsDir) {
    try {
      toRemove = pathsToRemove(payload, oldTsDir);
    } catch {
      toRemove = [];
    }
    if (toRemove.length === 0 && unchanged(payload, oldTsDir)) return false;
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
    for (const path of payload.keys()) {
      const top = path.split("/")[0];
      if (readLinkOrUndefined(join(targetDir, top)) === undefined) symlinkSync(join(dataDirName, top), join(targetDir, top));
    }
    const tmpLink = join(targetDir, newDataDirName);
    rmSync(tmpLink, { force: true });
    symlinkSync(tsDir.slice(targetDir.length + 1), tmpLink);
    renameSync(tmpLink, join(targetDir, dataDirName));
  } catch (error) {
    rmSync(tsDir, { recursive: true, force: true });
    throw error;
  }
  // Only top-level user-visible entries are links; deeper paths went with the old directory.
  for (const path of toRemove) if (!path.includes("/")) rmSync(join(targetDir, path), { force: true });
  if (oldTsDir) rmSync(oldTsDir, { recursive: true, force: true });
  return true;
}
