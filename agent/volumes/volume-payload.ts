/**
 * @module
 * What a `configMap`, `secret` or `projected` volume holds: the kubelet's `MakePayload`
 * (pkg/volume/configmap, pkg/volume/secret) and the projected volume's `collectData`. Without
 * `items` every key becomes a file; with `items` only those, at their `path`, and a missing key
 * is an error unless the source is `optional`. Modes: the item's `mode`, else the volume's
 * `defaultMode`, else 0644. A missing object is an error unless `optional` (then the volume is
 * empty). Pure.
 *
 * @example
 * makeVolumePayload(pod, { name: "cfg", configMap: { name: "app" } }, config, facts)
 * // { payload: Map { "app.conf" => { data: <Buffer …>, mode: 0o644 } } }
 */
import type { KeyToPath, Pod, Volume } from "../../src/resources/types.ts";
import type { ConfigSource } from "../pods/container-env.ts";
import { type PodFacts, resolveFieldRef, resolveResourceFieldRef } from "../pods/downward-api.ts";

export interface FileProjection {
  data: Buffer;
  mode: number;
}

/** Relative path → file. */
export type Payload = Map<string, FileProjection>;

export type PayloadResult = { payload: Payload } | { error: string };

/** ConfigMapVolumeSourceDefaultMode, SecretVolumeSourceDefaultMode, ProjectedVolumeSourceDefaultMode. */
export const defaultVolumeMode = 0o644;

interface DownwardApiItem {
  path: string;
  mode?: number;
  fieldRef?: { apiVersion?: string; fieldPath: string };
  resourceFieldRef?: { containerName?: string; resource: string; divisor?: string | number };
}

/** The kinds of volume whose content comes from the API (and is kept up to date). */
export function isProjectedKind(volume: Volume): boolean {
  return Boolean(volume.configMap || volume.secret || volume.projected);
}

/** True when the volume holds Secret data (it then lives on tmpfs). */
export function holdsSecrets(volume: Volume): boolean {
  return Boolean(volume.secret || volume.projected?.sources?.some((s) => s.secret));
}

/** atomic_writer `validatePath`: relative, no `..` element, not starting with `..`. */
export function validatePayloadPath(path: string): string | undefined {
  if (path === "") return "invalid path: must not be empty";
  if (path.startsWith("/")) return `invalid path: must be relative path: ${path}`;
  const items = path.split("/");
  if (items.includes("..")) return `invalid path: must not contain '..': ${path}`;
  if (items[0].startsWith("..") && items[0].length > 2) return `invalid path: must not start with '..': ${path}`;
  if (items.some((item) => item.length > 255)) return "invalid path: filenames must be less than or equal to 255 characters";
  return undefined;
}

function fromKeys(
  data: Record<string, Buffer>,
  items: KeyToPath[] | undefined,
  defaultMode: number,
  optional: boolean,
  missingKey: (key: string) => string,
  payload: Payload,
): string | undefined {
  if (!items?.length) {
    for (const [key, bytes] of Object.entries(data)) payload.set(key, { data: bytes, mode: defaultMode });
    return undefined;
  }
  for (const item of items) {
    const bytes = Object.hasOwn(data, item.key) ? data[item.key] : undefined;
    if (bytes === undefined) {
      if (optional) continue;
      return missingKey(item.key);
    }
    payload.set(item.path, { data: bytes, mode: item.mode ?? defaultMode });
  }
  return undefined;
}

/** Keys are data (`__proto__`, `toString`): no prototype to read through or write to. */
const ownMap = (): Record<string, Buffer> => Object.create(null) as Record<string, Buffer>;

function configMapData(pod: Pod, name: string, config: ConfigSource): Record<string, Buffer> | undefined {
  const configMap = config.configMap(pod.metadata.namespace || "default", name);
  if (!configMap) return undefined;
  const data = ownMap();
  for (const [key, text] of Object.entries(configMap.data ?? {})) data[key] = Buffer.from(text, "utf8");
  for (const [key, encoded] of Object.entries(configMap.binaryData ?? {})) data[key] = Buffer.from(encoded, "base64");
  return data;
}

function secretData(pod: Pod, name: string, config: ConfigSource): Record<string, Buffer> | undefined {
  const secret = config.secret(pod.metadata.namespace || "default", name);
  if (!secret) return undefined;
  const data = ownMap();
  for (const [key, encoded] of Object.entries(secret.data ?? {})) data[key] = Buffer.from(encoded, "base64");
  return data;
}

const configMapMissingKey = (key: string) => `configmap references non-existent config key: ${key}`;
const secretMissingKey = (key: string) => `references non-existent secret key: ${key}`;

function addConfigMap(pod: Pod, source: { name?: string; items?: KeyToPath[]; optional?: boolean }, mode: number, config: ConfigSource, payload: Payload) {
  // An unset name is "", as in Kubernetes: looked up, and not found.
  const name = source.name ?? "";
  const data = configMapData(pod, name, config);
  if (!data) return source.optional ? undefined : `configmap "${name}" not found`;
  return fromKeys(data, source.items, mode, Boolean(source.optional), configMapMissingKey, payload);
}

function addSecret(pod: Pod, name: string | undefined = "", source: { items?: KeyToPath[]; optional?: boolean }, mode: number, config: ConfigSource, payload: Payload) {
  const data = secretData(pod, name, config);
  if (!data) return source.optional ? undefined : `secret "${name}" not found`;
  return fromKeys(data, source.items, mode, Boolean(source.optional), secretMissingKey, payload);
}

function addDownwardApi(pod: Pod, items: DownwardApiItem[], mode: number, facts: PodFacts, payload: Payload): string | undefined {
  for (const item of items) {
    let resolved;
    if (item.fieldRef) resolved = resolveFieldRef(pod, item.fieldRef, facts);
    else if (item.resourceFieldRef) {
      const container = pod.spec.containers.find((c) => c.name === item.resourceFieldRef!.containerName) ?? pod.spec.containers[0];
      resolved = resolveResourceFieldRef(pod, container, item.resourceFieldRef, facts);
    } else continue;
    if ("error" in resolved) return resolved.error;
    payload.set(item.path, { data: Buffer.from(resolved.value, "utf8"), mode: item.mode ?? mode });
  }
  return undefined;
}

export function makeVolumePayload(pod: Pod, volume: Volume, config: ConfigSource, facts: PodFacts): PayloadResult {
  const payload: Payload = new Map();
  let error: string | undefined;
  if (volume.configMap) {
    error = addConfigMap(pod, volume.configMap, volume.configMap.defaultMode ?? defaultVolumeMode, config, payload);
  } else if (volume.secret) {
    error = addSecret(pod, volume.secret.secretName, volume.secret, volume.secret.defaultMode ?? defaultVolumeMode, config, payload);
  } else if (volume.projected) {
    const mode = volume.projected.defaultMode ?? defaultVolumeMode;
    for (const source of volume.projected.sources ?? []) {
      if (source.configMap) error = addConfigMap(pod, source.configMap, mode, config, payload);
      else if (source.secret) error = addSecret(pod, source.secret.name, source.secret, mode, config, payload);
      else if (source.downwardAPI) {
        const items = (source.downwardAPI as { items?: DownwardApiItem[] }).items ?? [];
        error = addDownwardApi(pod, items, mode, facts, payload);
      } else error = `volume ${volume.name}: only configMap, secret and downwardAPI projections are supported`;
      if (error) break;
    }
  } else {
    error = `volume ${volume.name} is not a configMap, secret or projected volume`;
  }
  if (error) return { error };
  for (const path of payload.keys()) {
    const problem = validatePayloadPath(path);
    if (problem) return { error: problem };
  }
  return { payload };
}
