/**
 * @module
 * Where Secret data may touch a disk: a private directory on tmpfs (memory), so it never reaches
 * the SD card or flash of an edge device and is gone after a power cut. Tried in order:
 * `$XDG_RUNTIME_DIR`, `/run` (when the agent may write there, i.e. as root), `/dev/shm`; the
 * directory `edgeset-<digest of the state dir>` is created 0700 and must be owned by the agent's
 * user and closed to others (a directory squatted by another user on a shared tmpfs is refused).
 * Without any tmpfs, `<state dir>/secrets` (0700) is used and the caller logs it.
 *
 * @example
 * chooseSecretsDir("/var/lib/edgeset", process.env) // { dir: "/run/edgeset-3f2a…", tmpfs: true }
 */
import { createHash } from "node:crypto";
import { accessSync, constants, lstatSync, mkdirSync, readdirSync, rmSync, statfsSync } from "node:fs";
import { join } from "node:path";

/** statfs(2) f_type of tmpfs and ramfs. */
const memoryFilesystems = new Set([0x01021994, 0x858458f6]);

export function isMemoryFilesystem(path: string): boolean {
  try {
    return memoryFilesystems.has(Number(statfsSync(path).type));
  } catch {
    return false;
  }
}

/** Creates `dir` 0700 if needed; true when it is a directory of ours that nobody else can enter. */
export function ensurePrivateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    const ours = typeof process.getuid !== "function" || stat.uid === process.getuid();
    return stat.isDirectory() && ours && (stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

export function chooseSecretsDir(stateDir: string, env: Record<string, string | undefined>): { dir: string; tmpfs: boolean } {
  const name = `edgeset-${createHash("sha256").update(stateDir).digest("hex").slice(0, 12)}`;
  const candidates = [env.XDG_RUNTIME_DIR, "/run", "/dev/shm"].filter((c): c is string => Boolean(c));
  for (const base of candidates) {
    if (!isMemoryFilesystem(base)) continue;
    try {
      accessSync(base, constants.W_OK);
    } catch {
      continue;
    }
    const dir = join(base, name);
    if (ensurePrivateDir(dir)) return { dir, tmpfs: true };
  }
  const dir = join(stateDir, "secrets");
  ensurePrivateDir(dir);
  return { dir, tmpfs: false };
}

/** True when `dir` holds no file at any depth (directories only). */
function holdsNoFile(dir: string): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !holdsNoFile(`${dir}/${entry.name}`)) return false;
  }
  return true;
}

/** Removes the secrets dir when nothing is left in it (no Secret, no volume), so stopped agents leave no trace on tmpfs. */
export function removeSecretsDirIfEmpty(dir: string): boolean {
  try {
    if (!holdsNoFile(dir)) return false;
    rmSync(dir, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}
