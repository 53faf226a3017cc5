/**
 * @module
 * A container's environment as the kubelet's `makeEnvironmentVariables` builds it: `envFrom`
 * first (ConfigMaps and Secrets, with `prefix`), then `env` in order, replacing what envFrom set:
 * `value` with `$(VAR)` expanded against the variables defined so far, or `valueFrom` (downward
 * API `fieldRef` / `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef`). A missing object or
 * key that is not `optional` is an error (the container waits with `CreateContainerConfigError`
 * and that message). Then `command` and `args` are expanded against the result
 * (`ExpandContainerCommandAndArgs`). Pure.
 *
 * @example
 * makeContainerEnvironment(pod, pod.spec.containers[0], config, { nodeName: "edge-1", hostIP: "10.0.0.5" })
 * // { env: { NODE: "edge-1", LEVEL: "debug" } }  or  { error: "couldn't find key level in ConfigMap default/app" }
 */
import type { ConfigMap, Container, Pod, Secret } from "../../src/resources/types.ts";
import { type PodFacts, resolveFieldRef, resolveResourceFieldRef } from "./downward-api.ts";
import { expandVariables } from "./expansion.ts";

/** The ConfigMaps and Secrets the node holds (what the kubelet's managers answer). */
export interface ConfigSource {
  configMap(namespace: string, name: string): ConfigMap | undefined;
  secret(namespace: string, name: string): Secret | undefined;
}

export type EnvironmentResult = { env: Record<string, string> } | { error: string };

/** Secret values travel base64-encoded, as in the API. */
export function decodeSecretValue(encoded: string): string {
  return Buffer.from(encoded, "base64").toString("utf8");
}

/** The apiserver's NotFound message, which the kubelet passes on as the container's waiting message. */
const notFound = (kind: "configmap" | "secret", name: string) => `${kind} "${name}" not found`;

export function makeContainerEnvironment(pod: Pod, container: Container, config: ConfigSource, facts: PodFacts): EnvironmentResult {
  const namespace = pod.metadata.namespace || "default";
  // Keys are data: a ConfigMap key `__proto__` is a variable like any other.
  const env: Record<string, string> = Object.create(null) as Record<string, string>;

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? "";
    if (from.configMapRef) {
      const configMap = config.configMap(namespace, (from.configMapRef.name ?? ""));
      if (!configMap) {
        if (from.configMapRef.optional) continue;
        return { error: notFound("configmap", (from.configMapRef.name ?? "")) };
      }
      for (const [key, value] of Object.entries(configMap.data ?? {})) env[prefix + key] = value;
    } else if (from.secretRef) {
      const secret = config.secret(namespace, (from.secretRef.name ?? ""));
      if (!secret) {
        if (from.secretRef.optional) continue;
        return { error: notFound("secret", (from.secretRef.name ?? "")) };
      }
      for (const [key, value] of Object.entries(secret.data ?? {})) env[prefix + key] = decodeSecretValue(value);
    }
  }

  for (const variable of container.env ?? []) {
    let value = variable.value ?? "";
    const from = variable.valueFrom;
    if (value !== "") {
      value = expandVariables(value, (name) => env[name]);
    } else if (from?.fieldRef) {
      const resolved = resolveFieldRef(pod, from.fieldRef, facts);
      if ("error" in resolved) return resolved;
      value = resolved.value;
    } else if (from?.resourceFieldRef) {
      const resolved = resolveResourceFieldRef(pod, container, from.resourceFieldRef, facts);
      if ("error" in resolved) return resolved;
      value = resolved.value;
    } else if (from?.configMapKeyRef) {
      const { name = "", key, optional } = from.configMapKeyRef;
      const configMap = config.configMap(namespace, name);
      if (!configMap) {
        if (optional) continue;
        return { error: notFound("configmap", name) };
      }
      const found = configMap.data && Object.hasOwn(configMap.data, key) ? configMap.data[key] : undefined;
      if (found === undefined) {
        if (optional) continue;
        return { error: `couldn't find key ${key} in ConfigMap ${namespace}/${name}` };
      }
      value = found;
    } else if (from?.secretKeyRef) {
      const { name = "", key, optional } = from.secretKeyRef;
      const secret = config.secret(namespace, name);
      if (!secret) {
        if (optional) continue;
        return { error: notFound("secret", name) };
      }
      const found = secret.data && Object.hasOwn(secret.data, key) ? secret.data[key] : undefined;
      if (found === undefined) {
        if (optional) continue;
        return { error: `couldn't find key ${key} in Secret ${namespace}/${name}` };
      }
      value = decodeSecretValue(found);
    }
    env[variable.name] = value;
  }
  return { env };
}

/**
 * `command` + `args` expanded against the container's environment; undefined without a command
 * (the process runtime has no image entrypoint to fall back on).
 */
export function expandCommand(container: Container, env: Record<string, string>): string[] | undefined {
  const lookup = (name: string) => env[name];
  const command = (container.command ?? []).map((part) => expandVariables(part, lookup));
  if (command.length === 0 || command[0] === "") return undefined;
  return [...command, ...(container.args ?? []).map((part) => expandVariables(part, lookup))];
}

/** `args` alone, expanded (container runtimes: the image's entrypoint stays). */
export function expandArgs(values: string[] | undefined, env: Record<string, string>): string[] {
  return (values ?? []).map((part) => expandVariables(part, (name) => env[name]));
}
