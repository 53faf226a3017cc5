/**
 * @module
 * A host path checked once and checked again right before it is used. An engine bind-mounts by
 * path, later than the agent checked it (an image pull may come between): a workload that can
 * write to a directory on the way (its emptyDir, a shared hostPath) could swap a checked
 * directory for a link to `/` meanwhile. So the agent hands the engine (and the process runtime)
 * the path with every link already resolved, pins what it names (device and inode of its deepest
 * existing part), and refuses the start when, just before it, the path no longer resolves to
 * itself or names something else. What remains is the moment between that last check and the
 * engine's own mount call (the kubelet closes it by mounting `/proc/self/fd/N`; the CLIs take no
 * such path).
 *
 * @example
 * const pin = pinResolved("/var/lib/edgeset/volumes/default_web_u1/scratch/logs"); // { path, anchor, dev, ino }
 * pinnedPathChanged(pin) // undefined, or "… changed since it was checked: …"
 */
import { lstatSync, realpathSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export interface PinnedPath {
  path: string;
  /** The deepest part of `path` that exists (all of it, usually); what dev and ino are of. */
  anchor: string;
  dev: bigint;
  ino: bigint;
}

const exists = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

/** `path` (absolute) or its deepest ancestor that exists. */
function deepestExisting(path: string): string {
  let head = path;
  while (!exists(head) && dirname(head) !== head) head = dirname(head);
  return head;
}

/**
 * `path` with every link resolved; a tail that does not exist yet (a hostPath the engine is to
 * create) is kept as written under its resolved existing ancestor.
 */
export function resolveExisting(path: string): string {
  const absolute = resolve(path);
  const anchor = deepestExisting(absolute);
  const tail = absolute.slice(anchor.length).split("/").filter(Boolean);
  return join(realpathSync(anchor), ...tail);
}

/** Pins an already resolved `path`: refused when a link is in it now (it changed since it was resolved). */
export function pinResolved(path: string): PinnedPath | { error: string } {
  const anchor = deepestExisting(resolve(path));
  let real: string;
  try {
    real = realpathSync(anchor);
  } catch (error) {
    return { error: `${path}: ${(error as Error).message}` };
  }
  if (real !== anchor) return { error: `${path} changed since it was checked: ${anchor} now resolves to ${real}` };
  const stat = lstatSync(anchor, { bigint: true });
  return { path, anchor, dev: stat.dev, ino: stat.ino };
}

/** Why `pinned` no longer names what it named when it was pinned, if so. */
export function pinnedPathChanged(pinned: PinnedPath): string | undefined {
  const now = pinResolved(pinned.path);
  if ("error" in now) return now.error;
  // A missing tail created since (as real directories) is fine; a part removed or replaced is not.
  if (now.anchor.length < pinned.anchor.length) return `${pinned.path} changed since it was checked: ${pinned.anchor} is gone`;
  if (now.anchor === pinned.anchor && (now.dev !== pinned.dev || now.ino !== pinned.ino)) {
    return `${pinned.path} changed since it was checked: ${basename(pinned.anchor) || "/"} was replaced by another file or directory`;
  }
  return undefined;
}

/** The first pinned path that changed, as a start's waiting message. */
export function firstChanged(pins: PinnedPath[]): string | undefined {
  for (const pin of pins) {
    const problem = pinnedPathChanged(pin);
    if (problem) return problem;
  }
  return undefined;
}
