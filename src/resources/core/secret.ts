/**
 * @module
 * Secret validation (validation.go ValidateSecret / ValidateSecretUpdate): config-map-style keys,
 * 1 MiB, and the per-type required keys (`.dockerconfigjson` for kubernetes.io/dockerconfigjson,
 * ...). `stringData` is merged into `data` first, as the v1 conversion does.
 *
 * @example
 * validateSecret({ metadata: { name: "s", namespace: "d" }, type: "kubernetes.io/dockerconfigjson" }) // [data[.dockerconfigjson]: Required value]
 */
import { invalid, key, required, tooLong, type FieldError } from "../field-errors.ts";
import type { Secret } from "../types.ts";
import { maxDataSize, validateDataKeys, validateImmutableData } from "./config-map.ts";
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from "./object-meta.ts";

const toBase64 = (s: string): string => {
  let bin = "";
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return btoa(bin);
};
const fromBase64 = (s: string): string => {
  const bin = atob(s);
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
};

/** The v1 conversion: `stringData` entries overwrite `data` (base64-encoded); `stringData` is dropped. */
export function normalizeSecret(secret: Secret): Secret {
  if (!secret.stringData) return secret;
  const { stringData, ...rest } = secret;
  // fromEntries defines every key, `__proto__` included (an assignment would set the prototype).
  const data = Object.fromEntries([...Object.entries(secret.data ?? {}), ...Object.entries(stringData).map(([k, v]) => [k, toBase64(v)])]);
  return { ...rest, data };
}

function requireKeys(data: Record<string, string>, keys: string[]): FieldError[] {
  return keys.filter((k) => !Object.hasOwn(data, k)).map((k) => required(key("data", k), ""));
}

function validateJsonKey(data: Record<string, string>, k: string): FieldError[] {
  if (!Object.hasOwn(data, k)) return [];
  try {
    JSON.parse(fromBase64(data[k]));
    return [];
  } catch (e) {
    return [invalid(key("data", k), "<secret contents redacted>", (e as Error).message)];
  }
}

export function validateSecret(input: Secret): FieldError[] {
  const secret = normalizeSecret(input);
  const data = secret.data ?? {};
  const errs = validateObjectMeta(secret.metadata, true, "metadata");
  const keys = validateDataKeys(data, "data", true);
  errs.push(...keys.errs);
  if (keys.size > maxDataSize) errs.push(tooLong("data", maxDataSize));
  switch (secret.type) {
    case "kubernetes.io/service-account-token":
      if (!secret.metadata.annotations?.["kubernetes.io/service-account.name"])
        errs.push(required(key("metadata.annotations", "kubernetes.io/service-account.name"), ""));
      break;
    case "kubernetes.io/dockercfg":
      errs.push(...requireKeys(data, [".dockercfg"]), ...validateJsonKey(data, ".dockercfg"));
      break;
    case "kubernetes.io/dockerconfigjson":
      errs.push(...requireKeys(data, [".dockerconfigjson"]), ...validateJsonKey(data, ".dockerconfigjson"));
      break;
    case "kubernetes.io/basic-auth":
      if (!("username" in data) && !("password" in data)) errs.push(...requireKeys(data, ["username", "password"]));
      break;
    case "kubernetes.io/ssh-auth":
      errs.push(...requireKeys(data, ["ssh-privatekey"]));
      break;
    case "kubernetes.io/tls":
      errs.push(...requireKeys(data, ["tls.crt", "tls.key"]));
      break;
    default:
  }
  return errs;
}

export function validateSecretUpdate(secret: Secret, old: Secret): FieldError[] {
  const s = normalizeSecret(secret);
  return [
    ...validateObjectMetaUpdate(s.metadata, old.metadata, "metadata"),
    ...validateImmutableField(s.type ?? "Opaque", old.type ?? "Opaque", "type"),
    ...validateImmutableData(s, old, ["data"]),
    ...validateSecret(s),
  ];
}
