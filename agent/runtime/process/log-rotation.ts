/**
 * @module
 * Keeps container logs from filling an edge device's disk, with the kubelet's defaults
 * (`containerLogMaxSize` 10 MiB, `containerLogMaxFiles` 5, checked every 10 s). Rotation is
 * copy-then-truncate: the workload keeps writing through its O_APPEND descriptor, which a rename
 * would leave pointing at the rotated file. Lines written between the copy and the truncate are
 * lost, the usual copytruncate trade-off.
 *
 * @example
 * rotateLogIfNeeded("/var/lib/edgeset/pods/default_web_u1/main.log", kubeletLogRotation)
 * // main.log -> main.log.1 (main.log.1 -> main.log.2, …), main.log emptied
 */
import { copyFileSync, existsSync, renameSync, rmSync, statSync, truncateSync } from "node:fs";

export interface LogRotationOptions {
  maxBytes: number;
  /** Files kept, the live one included. */
  maxFiles: number;
}

export const kubeletLogRotation: LogRotationOptions = { maxBytes: 10 * 1024 * 1024, maxFiles: 5 };

/** Rotates `path` when it has reached `maxBytes`; true when it did. */
export function rotateLogIfNeeded(path: string, options: LogRotationOptions): boolean {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return false;
  }
  if (size < options.maxBytes) return false;
  const keep = Math.max(1, options.maxFiles - 1);
  rmSync(`${path}.${keep}`, { force: true });
  for (let i = keep - 1; i >= 1; i--) {
    if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
  }
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  return true;
}
