/**
 * @module
 * The ConfigMaps and Secrets the control plane delivered with the node's assignments: exactly
 * those the node's pods reference, replaced as a whole by every sync that brings assignments.
 * ConfigMaps are saved with the assignments (state dir); Secrets only in the secrets dir (tmpfs
 * where the device has one, `secrets.json`, 0600), so an agent restart keeps them, a reboot
 * forgets them until the next sync, and a Secret no pod needs any more is gone from the device.
 *
 * @example
 * const config = new ConfigStore({ secretsFile: "/run/edgeset-3f2a/secrets.json" });
 * config.load(saved.configMaps);
 * config.replace(response.configMaps ?? [], response.secrets ?? []); // true when anything changed
 * config.configMap("default", "app")?.data
 */
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import type { ConfigMap, Secret } from "../../src/resources/types.ts";
import type { ConfigSource } from "../pods/container-env.ts";
import { acceptList, acceptSecret } from "../accept/accept-config.ts";
import { readJsonOrSetAside, writeFileAtomic } from "./atomic-file.ts";

export interface ConfigStoreOptions {
  /** Where Secrets are kept between agent restarts; undefined keeps them in memory only. */
  secretsFile?: string;
}

const keyOf = (o: { metadata: { namespace?: string; name?: string } }) => `${o.metadata.namespace || "default"}/${o.metadata.name ?? ""}`;

function digestOf(objects: Array<ConfigMap | Secret>): string {
  const hash = createHash("sha256");
  for (const o of [...objects].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1))) hash.update(JSON.stringify(o));
  return hash.digest("hex");
}

export class ConfigStore implements ConfigSource {
  private readonly options: ConfigStoreOptions;
  private configMaps = new Map<string, ConfigMap>();
  private secrets = new Map<string, Secret>();

  constructor(options: ConfigStoreOptions = {}) {
    this.options = options;
  }

  /**
   * Takes the saved ConfigMaps (already checked with the assignments) and the Secrets left in the
   * secrets dir; resolves to the problems found in the latter (never throws).
   */
  load(configMaps: ConfigMap[] | undefined): string[] {
    this.configMaps = new Map((configMaps ?? []).map((c) => [keyOf(c), c]));
    if (!this.options.secretsFile) return [];
    const read = readJsonOrSetAside(this.options.secretsFile);
    const saved = acceptList<Secret>(read.value, "secrets", acceptSecret);
    this.secrets = new Map(saved.items.map((s) => [keyOf(s), s]));
    return [...(read.problem ? [read.problem] : []), ...saved.problems.map((p) => `saved Secrets: ${p}`)];
  }

  /** Replaces both sets; true when anything changed. Secrets are written (or removed) before it returns. */
  replace(configMaps: ConfigMap[], secrets: Secret[]): boolean {
    const configChanged = digestOf(configMaps) !== digestOf([...this.configMaps.values()]);
    const secretsChanged = digestOf(secrets) !== digestOf([...this.secrets.values()]);
    this.configMaps = new Map(configMaps.map((c) => [keyOf(c), c]));
    this.secrets = new Map(secrets.map((s) => [keyOf(s), s]));
    if (secretsChanged) this.saveSecrets();
    return configChanged || secretsChanged;
  }

  configMap(namespace: string, name: string): ConfigMap | undefined {
    return this.configMaps.get(`${namespace}/${name}`);
  }

  secret(namespace: string, name: string): Secret | undefined {
    return this.secrets.get(`${namespace}/${name}`);
  }

  allConfigMaps(): ConfigMap[] {
    return [...this.configMaps.values()];
  }

  private saveSecrets(): void {
    const file = this.options.secretsFile;
    if (!file) return;
    if (this.secrets.size === 0) {
      rmSync(file, { force: true });
      return;
    }
    // On tmpfs durability is moot; the rename still keeps a reader from seeing half a file.
    writeFileAtomic(file, JSON.stringify([...this.secrets.values()]), { mode: 0o600, durable: false });
  }
}
