/**
 * @module
 * Image pulls as the kubelet's image manager decides them (pkg/kubelet/images): `Always` pulls
 * on every start, `IfNotPresent` only when the image is missing, `Never` never (a missing image is
 * `ErrImageNeverPull`); an unset policy is `Always` for `:latest` or an untagged image, else
 * `IfNotPresent`. Registry credentials come from the pod's `imagePullSecrets`
 * (`kubernetes.io/dockerconfigjson` or the older `kubernetes.io/dockercfg`), merged into one
 * Docker config. Pure.
 *
 * @example
 * pullPolicyOf({ name: "c", image: "nginx" })                   // "Always"
 * shouldPull("IfNotPresent", true)                              // false
 * dockerConfigFrom([secret])                                    // { auths: { "registry.example": { auth: "…" } } }
 */
import type { Container, Secret } from "../../../src/resources/types.ts";
import { defaultPullPolicy } from "../../pods/pull-policy.ts";

export type PullPolicy = "Always" | "IfNotPresent" | "Never";

export function pullPolicyOf(container: Container): PullPolicy {
  return container.imagePullPolicy ?? defaultPullPolicy(container.image);
}

/** Whether to pull before starting; "never" when the policy forbids it and the image is missing. */
export function shouldPull(policy: PullPolicy, present: boolean): boolean | "never" {
  if (policy === "Always") return true;
  if (present) return false;
  return policy === "Never" ? "never" : true;
}

/** The kubelet's waiting message for `Never` with a missing image. */
export function neverPullMessage(image: string): string {
  return `Container image "${image}" is not present with pull policy of Never`;
}

/** One Docker `config.json` from the pull secrets, or undefined when none has credentials. */
export function dockerConfigFrom(secrets: Secret[]): { auths: Record<string, unknown> } | undefined {
  const auths: Record<string, unknown> = {};
  for (const secret of secrets) {
    const data = secret.data ?? {};
    try {
      if (data[".dockerconfigjson"]) {
        const parsed = JSON.parse(Buffer.from(data[".dockerconfigjson"], "base64").toString("utf8")) as { auths?: Record<string, unknown> };
        Object.assign(auths, parsed.auths ?? {});
      } else if (data[".dockercfg"]) {
        Object.assign(auths, JSON.parse(Buffer.from(data[".dockercfg"], "base64").toString("utf8")) as Record<string, unknown>);
      }
    } catch {
      // Not valid JSON: a pull without these credentials says what went wrong.
    }
  }
  return Object.keys(auths).length > 0 ? { auths } : undefined;
}
