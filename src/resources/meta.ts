/**
 * @module
 * Server-owned metadata, as the apiserver fills it (staging/.../registry/rest/create.go,
 * update.go): uid and creationTimestamp on create, generated names, and what an update may not
 * change. Pure: the uid source and the clock are parameters.
 */
import type { ObjectMeta } from "./types.ts";

/** RFC 3339 with seconds precision, as Kubernetes serialises metav1.Time. */
export const rfc3339 = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

const nameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

/** `names.SimpleNameGenerator`: generateName + 5 random characters, cut to 63 + 5. */
export function generateName(prefix: string, random: () => number = Math.random): string {
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += nameAlphabet[Math.floor(random() * nameAlphabet.length)];
  return prefix.slice(0, 58) + suffix;
}

/** Fills what the server owns on create; keeps user fields. */
export function prepareMetaForCreate(meta: ObjectMeta, uid: string, now: number): ObjectMeta {
  const { resourceVersion: _rv, deletionTimestamp: _dt, deletionGracePeriodSeconds: _dg, ...rest } = meta;
  return {
    ...rest,
    name: meta.name || (meta.generateName ? generateName(meta.generateName) : meta.name),
    uid,
    creationTimestamp: rfc3339(now),
  };
}

/** On update, what the server keeps from the stored object whatever the body says. */
export function prepareMetaForUpdate(meta: ObjectMeta, old: ObjectMeta): ObjectMeta {
  const next: ObjectMeta = {
    ...meta,
    uid: old.uid,
    creationTimestamp: old.creationTimestamp,
    generation: old.generation,
  };
  if (old.deletionTimestamp) {
    next.deletionTimestamp = old.deletionTimestamp;
    next.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  } else {
    delete next.deletionTimestamp;
    delete next.deletionGracePeriodSeconds;
  }
  if (!next.generation) delete next.generation;
  return next;
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ak = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
