/**
 * @module
 * ConfigMaps and Secrets, the configuration of fleet workloads. `stringData` is folded into
 * `data` on write, as the apiserver does; a Secret is encrypted by the store before it reaches D1.
 * A change reaches every device whose pods reference the object at its next sync (the store bumps
 * their assignments version), and only those devices ever receive it.
 */
import { normalizeSecret, validateConfigMap, validateConfigMapUpdate, validateSecret, validateSecretUpdate } from "../../../resources/core/index.ts";
import { resources } from "../../../resources/registry.ts";
import type { ConfigMap, Secret } from "../../../resources/types.ts";
import type { KindStrategy } from "../strategy.ts";
import { configMapTable, secretTable } from "../table/other.ts";
import { asIs, decodeWith } from "./decode.ts";

export const configMaps: KindStrategy<ConfigMap> = {
  info: resources.ConfigMap,
  decode: (body, apiVersion) => decodeWith(body, apiVersion, "ConfigMap", asIs<ConfigMap>("v1", "ConfigMap")),
  encode: (cm) => cm,
  prepareForCreate: (cm) => cm,
  prepareForUpdate: (cm) => cm,
  validate: validateConfigMap,
  validateUpdate: validateConfigMapUpdate,
  table: configMapTable,
};

export const secrets: KindStrategy<Secret> = {
  info: resources.Secret,
  decode: (body, apiVersion) => decodeWith(body, apiVersion, "Secret", (pruned) => normalizeSecret({ type: "Opaque", ...asIs<Secret>("v1", "Secret")(pruned) })),
  encode: (secret) => secret,
  prepareForCreate: (secret) => secret,
  prepareForUpdate: (secret) => secret,
  validate: validateSecret,
  validateUpdate: validateSecretUpdate,
  selectableFields: (secret) => ({ type: secret.type ?? "Opaque" }),
  table: secretTable,
};
