/**
 * @module
 * The ConfigMaps and Secrets a pod references: volumes (configMap, secret, projected), env
 * (`valueFrom.configMapKeyRef` / `secretKeyRef`), `envFrom`, and `imagePullSecrets`. The control
 * plane delivers exactly these to the pod's node, and nothing else (the node authorizer rule).
 *
 * @example
 * configReferences(pod) // [{ kind: "ConfigMap", name: "fluentd-config" }, { kind: "Secret", name: "es-credentials" }]
 */
import { parseUpcoming, upcomingAnnotation } from "../protocol/prestage.ts";
import type { Container, Pod, PodSpec } from "./types.ts";

export interface ConfigReference {
  kind: "ConfigMap" | "Secret";
  name: string;
}

export function configReferences(spec: PodSpec): ConfigReference[] {
  const found = new Map<string, ConfigReference>();
  const add = (kind: ConfigReference["kind"], name: string | undefined) => {
    if (name) found.set(`${kind}/${name}`, { kind, name });
  };
  const containers: Container[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  for (const c of containers) {
    for (const e of c.env ?? []) {
      add("ConfigMap", e.valueFrom?.configMapKeyRef?.name);
      add("Secret", e.valueFrom?.secretKeyRef?.name);
    }
    for (const e of c.envFrom ?? []) {
      add("ConfigMap", e.configMapRef?.name);
      add("Secret", e.secretRef?.name);
    }
  }
  for (const v of spec.volumes ?? []) {
    add("ConfigMap", v.configMap?.name);
    add("Secret", v.secret?.secretName);
    for (const source of v.projected?.sources ?? []) {
      add("ConfigMap", source.configMap?.name);
      add("Secret", source.secret?.name);
    }
  }
  for (const s of spec.imagePullSecrets ?? []) add("Secret", s.name);
  return [...found.values()].sort((a, b) => (a.kind + a.name < b.kind + b.name ? -1 : 1));
}

/**
 * The references the store keeps for a pod: its spec's and, while it carries an upcoming revision
 * (pre-staging, src/protocol/prestage.ts), that revision's too, so the node gets them before its turn.
 */
export function podConfigReferences(pod: Pick<Pod, "metadata" | "spec">): ConfigReference[] {
  const upcoming = parseUpcoming(pod.metadata.annotations?.[upcomingAnnotation]);
  return upcoming ? mergeReferences(configReferences(pod.spec), configReferences(upcoming.spec)) : configReferences(pod.spec);
}

function mergeReferences(a: readonly ConfigReference[], b: readonly ConfigReference[]): ConfigReference[] {
  const found = new Map([...a, ...b].map((ref) => [`${ref.kind}/${ref.name}`, ref]));
  return [...found.values()].sort((x, y) => (x.kind + x.name < y.kind + y.name ? -1 : 1));
}
