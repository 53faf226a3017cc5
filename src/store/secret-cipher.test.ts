import { describe, expect, it } from "vitest";
import type { Secret } from "../resources/types.ts";
import { openSecret, parseKeyRing, sealSecret } from "./secret-cipher.ts";

const key = (byte: number) => btoa(String.fromCharCode(...new Uint8Array(32).fill(byte)));
const secret: Secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "db", namespace: "shop" }, type: "Opaque", data: { password: btoa("hunter2") } };

describe("secret encryption at rest", () => {
  it("round-trips, and the stored form holds no plaintext", async () => {
    const ring = await parseKeyRing(`k1:${key(1)}`);
    const stored = await sealSecret(secret, ring);
    expect(JSON.stringify(stored)).not.toContain(btoa("hunter2"));
    expect(stored.encryptedData?.keyId).toBe("k1");
    expect(await openSecret(stored, ring)).toEqual(secret);
  });

  it("handles a Secret of a full mebibyte", async () => {
    const ring = await parseKeyRing(`k1:${key(1)}`);
    const big: Secret = { ...secret, data: { blob: btoa("x".repeat(700 * 1024)) } };
    expect(await openSecret(await sealSecret(big, ring), ring)).toEqual(big);
  });

  it("decrypts with an older key after rotation and encrypts with the new one", async () => {
    const old = await parseKeyRing(`k1:${key(1)}`);
    const rotated = await parseKeyRing(`k2:${key(2)},k1:${key(1)}`);
    const stored = await sealSecret(secret, old);
    expect((await openSecret(stored, rotated)).data).toEqual(secret.data);
    expect((await sealSecret(secret, rotated)).encryptedData?.keyId).toBe("k2");
  });

  it("refuses ciphertext moved to another Secret's name", async () => {
    const ring = await parseKeyRing(`k1:${key(1)}`);
    const stored = await sealSecret(secret, ring);
    await expect(openSecret({ ...stored, metadata: { ...stored.metadata, name: "other" } }, ring)).rejects.toThrow();
  });

  it.each([[undefined], [""], ["k1:short"], ["nocolon"]])("rejects key ring %j with a clear message", async (value) => {
    await expect(parseKeyRing(value)).rejects.toThrow(/SECRET_ENCRYPTION_KEYS/);
  });
});
