/**
 * @module
 * Secrets are encrypted at rest transparently: `commit` seals Secret objects before they are
 * serialised and every read opens them, so nothing above the store handles ciphertext and nothing
 * in D1 holds a Secret's data in the clear. The keys come with the handle (`openDb(d1, {secretKeys})`).
 */
import type { KubeObject, Secret } from "../resources/types.ts";
import { optionsOf, type Db } from "./db.ts";
import { KeyRingError, openSecret, parseKeyRing, sealSecret, type KeyRing, type StoredSecret } from "./secret-cipher.ts";

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

/**
 * Objects as read from storage, with any Secret opened. With `skipUnreadable`, a Secret that
 * cannot be opened (no key ring, a key dropped from it) is left out and logged instead of failing
 * the whole read: one bad Secret must not stop a device from receiving its pods.
 */
export async function openFromStorage<T extends KubeObject>(db: Db, objects: T[], options: { skipUnreadable?: boolean } = {}): Promise<T[]> {
  if (!objects.some(isSecret)) return objects;
  const open = async (o: T): Promise<T | undefined> => {
    if (!isSecret(o)) return o;
    try {
      return (await openSecret(o as unknown as StoredSecret, await keyRingOf(db))) as unknown as T;
    } catch (error) {
      if (!options.skipUnreadable || !(error instanceof KeyRingError || error instanceof DOMException)) throw error;
      console.error(`Secret ${o.metadata.namespace}/${o.metadata.name} left out: ${(error as Error).message}`);
      return undefined;
    }
  };
  const opened: (T | undefined)[] = await Promise.all(objects.map(open));
  return opened.filter((o): o is T => o !== undefined);
}
