/**
 * @module
 * Secrets are encrypted at rest transparently: `commit` seals Secret objects before they are
 * serialised and every read opens them, so nothing above the store handles ciphertext and nothing
 * in D1 holds a Secret's data in the clear. The keys come with the handle (`openDb(d1, {secretKeys})`).
 */
import type { KubeObject, Secret } from "../resources/types.ts";
import { optionsOf, type Db } from "./db.ts";
import { openSecret, parseKeyRing, sealSecret, type KeyRing, type StoredSecret } from "./secret-cipher.ts";

const rings = new WeakMap<Db, Promise<KeyRing>>();

function keyRingOf(db: Db): Promise<KeyRing> {
  let ring = rings.get(db);
  if (!ring) {
    ring = parseKeyRing(optionsOf(db).secretKeys);
    rings.set(db, ring);
  }
  return ring;
}

const isSecret = (o: KubeObject): o is Secret => o.kind === "Secret";

/** The object as it is to be stored (Secrets sealed). */
export async function sealForStorage<T extends KubeObject>(db: Db, object: T): Promise<T> {
  if (!isSecret(object)) return object;
  const stored = await sealSecret(object, await keyRingOf(db));
  return stored as unknown as T;
}

/** Objects as read from storage, with any Secret opened. */
export async function openFromStorage<T extends KubeObject>(db: Db, objects: T[]): Promise<T[]> {
  if (!objects.some(isSecret)) return objects;
  const ring = await keyRingOf(db);
  return Promise.all(objects.map(async (o) => (isSecret(o) ? ((await openSecret(o as unknown as StoredSecret, ring)) as unknown as T) : o)));
}
