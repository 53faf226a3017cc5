/**
 * @module
 * Whether the agent may send its saved version as If-None-Match. The control plane answers 304
 * whenever that version is current, whatever the device holds, so a ConfigMap or Secret the
 * device lost (Secrets live on tmpfs: a power cut erases them) would never come back. The agent
 * asks for the whole assignments again (no If-None-Match) while an object its pods reference is
 * missing locally, except the ones the last full answer did not carry either: the control plane
 * leaves out a referenced object that does not exist (an `optional` one, say), and asking again
 * for it at every sync would only cost a full answer each time.
 *
 * @example
 * const absent = absentConfig(pods, response.configMaps ?? [], response.secrets ?? []); // after a 200
 * missingConfig(pods, configStore, absent) // ["Secret default/creds"]: send no If-None-Match
 */
import { configReferences } from "../../src/resources/config-refs.ts";
import type { ConfigMap, Pod, Secret } from "../../src/resources/types.ts";
import type { ConfigSource } from "../pods/container-env.ts";

interface Reference {
  kind: "ConfigMap" | "Secret";
  namespace: string;
  name: string;
}

const keyOf = (r: Reference) => `${r.kind} ${r.namespace}/${r.name}`;

function referencesOf(pods: readonly Pod[]): Reference[] {
  return pods.flatMap((pod) => configReferences(pod.spec ?? { containers: [] }).map((r) => ({ ...r, namespace: pod.metadata?.namespace || "default" })));
}

/** The referenced objects a full answer left out (they do not exist on the control plane). */
export function absentConfig(pods: readonly Pod[], configMaps: readonly ConfigMap[], secrets: readonly Secret[]): Set<string> {
  const key = (kind: Reference["kind"]) => (o: ConfigMap | Secret) => keyOf({ kind, namespace: o.metadata.namespace || "default", name: o.metadata.name ?? "" });
  const delivered = new Set([...configMaps.map(key("ConfigMap")), ...secrets.map(key("Secret"))]);
  return new Set(referencesOf(pods).map(keyOf).filter((key) => !delivered.has(key)));
}

/** The referenced objects the device should have and does not, as `Kind namespace/name`. */
export function missingConfig(pods: readonly Pod[], config: ConfigSource, absent: ReadonlySet<string>): string[] {
  const missing = new Set<string>();
  for (const ref of referencesOf(pods)) {
    const key = keyOf(ref);
    if (absent.has(key)) continue;
    const found = ref.kind === "ConfigMap" ? config.configMap(ref.namespace, ref.name) : config.secret(ref.namespace, ref.name);
    if (!found) missing.add(key);
  }
  return [...missing].sort();
}
