/**
 * @module
 * Crash-safe file writes: write a temporary file beside the target, fsync it, rename it over the
 * target. A reader (or the agent after a power cut) sees the old content or the new, never half.
 * Files are created 0600: they hold credentials and pod specs that may carry secrets.
 *
 * @example
 * writeFileAtomic("/var/lib/edgeset/assignments.json", JSON.stringify(state));
 * readJsonFile<Assignments>("/var/lib/edgeset/assignments.json"); // undefined when missing
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename } from "node:path";

export interface WriteOptions {
  mode?: number;
  /**
   * fsync before the rename, so the new content survives a power cut (default). Records that a
   * power cut makes moot (pids of processes that die with it) skip it to stay fast.
   */
  durable?: boolean;
}

export function writeFileAtomic(path: string, data: string, options: WriteOptions = {}): void {
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, "w", options.mode ?? 0o600);
  try {
    writeSync(fd, data);
    if (options.durable !== false) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Parsed JSON, or undefined when the file does not exist. Throws on unreadable or invalid content. */
export function readJsonFile<T>(path: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Parsed JSON, or undefined when the file does not exist; never throws. A file that cannot be read
 * or parsed is renamed to `<name>.corrupt` (replacing an earlier one), so the agent starts clean
 * and the file stays for someone to look at; `problem` says what happened.
 */
export function readJsonOrSetAside(path: string): { value?: unknown; problem?: string } {
  try {
    return { value: readJsonFile<unknown>(path) };
  } catch (error) {
    const aside = `${path}.corrupt`;
    try {
      renameSync(path, aside);
    } catch (renameError) {
      return { problem: `${(error as Error).message}; cannot move it aside: ${(renameError as Error).message}` };
    }
    return { problem: `${(error as Error).message}; moved aside to ${basename(aside)}` };
  }
}
