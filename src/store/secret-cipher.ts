/**
 * @module
 * Secrets at rest: a Secret's `data` is stored AES-256-GCM encrypted (WebCrypto), bound to the
 * Secret's namespace and name as additional data, under a key from the Worker secret
 * `SECRET_ENCRYPTION_KEYS` — a comma-separated list of `<id>:<base64 32 bytes>`. The first key
 * encrypts; every listed key decrypts, so rotating is: put the new key first, keep the old one
 * until every Secret has been rewritten, then drop it (docs/security.md).
 *
 * @example
 * const ring = await parseKeyRing("k1:" + base64Of32Bytes);
 * const stored = await sealSecret(secret, ring);   // data -> encryptedData
 * const plain = await openSecret(stored, ring);    // encryptedData -> data
 */
import type { Secret } from "../resources/types.ts";

export interface KeyRing {
  primary: { id: string; key: CryptoKey };
  keys: Map<string, CryptoKey>;
}

/** What replaces `data` in the stored body. */
export interface EncryptedData {
  keyId: string;
  iv: string;
  ciphertext: string;
}

export type StoredSecret = Omit<Secret, "data" | "stringData"> & { encryptedData?: EncryptedData };

export class KeyRingError extends Error {}

/** Base64 of any size (spreading a large array into fromCharCode overflows the stack). */
function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export async function parseKeyRing(value: string | undefined): Promise<KeyRing> {
  const entries = (value ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) throw new KeyRingError("SECRET_ENCRYPTION_KEYS is not set: Secrets cannot be stored encrypted (see docs/security.md)");
  const keys = new Map<string, CryptoKey>();
  let primary: KeyRing["primary"] | undefined;
  for (const entry of entries) {
    const colon = entry.indexOf(":");
    const id = entry.slice(0, colon);
    let raw: Uint8Array;
    try {
      raw = fromBase64(entry.slice(colon + 1));
    } catch {
      raw = new Uint8Array();
    }
    if (colon < 1 || raw.length !== 32) throw new KeyRingError(`SECRET_ENCRYPTION_KEYS: entry ${JSON.stringify(id || entry.slice(0, 8))} must be <id>:<base64 of 32 bytes>`);
    const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.set(id, key);
    primary ??= { id, key };
  }
  return { primary: primary!, keys };
}

const additionalData = (secret: { metadata: { namespace?: string; name?: string } }) =>
  new TextEncoder().encode(`${secret.metadata.namespace ?? ""}/${secret.metadata.name ?? ""}`);

/** The Secret as stored: `data` encrypted into `encryptedData`. */
export async function sealSecret(secret: Secret, ring: KeyRing): Promise<StoredSecret> {
  const { data, stringData: _s, ...rest } = secret;
  if (!data || Object.keys(data).length === 0) return rest;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plaintext = new TextEncoder().encode(JSON.stringify(data));
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: additionalData(secret) }, ring.primary.key, plaintext));
  return { ...rest, encryptedData: { keyId: ring.primary.id, iv: toBase64(iv), ciphertext: toBase64(ciphertext) } };
}

/** The Secret as served: `encryptedData` decrypted back into `data`. */
export async function openSecret(stored: StoredSecret, ring: KeyRing): Promise<Secret> {
  const { encryptedData, ...rest } = stored;
  if (!encryptedData) return rest as Secret;
  const key = ring.keys.get(encryptedData.keyId);
  if (!key) throw new KeyRingError(`Secret ${stored.metadata.namespace}/${stored.metadata.name} is encrypted with key ${JSON.stringify(encryptedData.keyId)}, which SECRET_ENCRYPTION_KEYS no longer lists`);
  const plaintext = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(encryptedData.iv), additionalData: additionalData(stored) },
    key,
    fromBase64(encryptedData.ciphertext),
  );
  return { ...rest, data: JSON.parse(new TextDecoder().decode(plaintext)) as Record<string, string> } as Secret;
}
