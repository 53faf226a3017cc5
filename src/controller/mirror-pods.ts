/**
 * @module
 * Mirror pods: the API's view of a device's static pods (kubelet `pkg/kubelet/pod/mirror_client.go`).
 * The agent reports each static pod it runs (named `<name>-<node>`, annotated with
 * `kubernetes.io/config.hash`); the control plane keeps one mirror pod per static pod, owned by the
 * Node and annotated `kubernetes.io/config.mirror` = the hash. A changed hash (the manifest changed)
 * replaces the mirror; a static pod no longer reported loses its mirror; a mirror deleted through
 * the API comes back at the next sync, and the workload never stops for it.
 */
import { schemaNameFor, validateStructure } from "../resources/schema/index.ts";
import { defaultPod, validatePod, validatePodStatus } from "../resources/pod/index.ts";
import { exceedsBytes, reportLimits } from "../resources/node/report-limits.ts";
import { jsonEqual, rfc3339 } from "../resources/meta.ts";
import type { Node, Pod } from "../resources/types.ts";
import { wellKnown } from "../resources/types.ts";
import { refOf } from "../store/rows.ts";
import type { Write } from "../store/writes.ts";
import { configReferences } from "../resources/config-refs.ts";

export const isMirrorPod = (pod: Pod): boolean => wellKnown.configMirror in (pod.metadata.annotations ?? {});

export interface MirrorPlan {
  writes: Write[];
  /** Static pods that were not valid, with why (worth a Warning event on the Node). */
  rejected: string[];
}

/** The namespace a static pod names (`default` when it names none). */
export const staticPodNamespace = (pod: Pod): string => (typeof pod?.metadata?.namespace === "string" && pod.metadata.namespace) || "default";

/** The static pods that are considered for mirroring: the first `reportLimits.mirrorPods`. */
export const mirroredStaticPods = (reported: readonly Pod[]): readonly Pod[] => reported.slice(0, reportLimits.mirrorPods);

/**
 * Kubernetes' NodeRestriction admission for mirror pods: a device's own manifests may not pull in
 * anything from the control plane, or a device could read any ConfigMap or Secret by naming it.
 */
function nodeRestrictionError(pod: Pod): string | undefined {
  if (configReferences(pod.spec).length) return "a static pod may not reference ConfigMaps or Secrets (volumes, env, envFrom, imagePullSecrets)";
  if (pod.spec.serviceAccountName && pod.spec.serviceAccountName !== "default") return "a static pod may not use a service account";
  if (pod.spec.volumes?.some((v) => v.projected)) return "a static pod may not use projected volumes";
  return undefined;
}

/** Validates one reported static pod; returns the mirror to store, or why not. */
function mirrorOf(node: Node, reported: Pod, now: number, uid: string, namespaces: ReadonlySet<string>): { pod?: Pod; error?: string } {
  if (typeof reported !== "object" || reported === null || typeof reported.metadata !== "object" || reported.metadata === null) {
    return { error: "static pod: metadata: Required value" };
  }
  const name = typeof reported.metadata.name === "string" ? reported.metadata.name : "";
  if (exceedsBytes(JSON.stringify(reported), reportLimits.staticPodBytes)) return { error: `static pod ${name}: Too long: may not be more than ${reportLimits.staticPodBytes} bytes` };
  const schema = schemaNameFor("v1", "Pod")!;
  const { deletionTimestamp: _d, deletionGracePeriodSeconds: _g, ...metadata } = reported.metadata;
  const structure = validateStructure({ ...reported, metadata, apiVersion: "v1", kind: "Pod" }, schema);
  if (structure.errors.length) return { error: `static pod ${name}: ${structure.errors[0]!.field}: ${structure.errors[0]!.message}` };
  const pruned = defaultPod(structure.pruned as Pod);
  const hash = pruned.metadata.annotations?.[wellKnown.configHash];
  if (!hash) return { error: `static pod ${name}: metadata.annotations[${wellKnown.configHash}]: Required value` };
  const pod: Pod = {
    ...pruned,
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...pruned.metadata,
      namespace: pruned.metadata.namespace || "default",
      uid,
      creationTimestamp: rfc3339(now),
      annotations: { ...pruned.metadata.annotations, [wellKnown.configMirror]: hash, [wellKnown.configSource]: pruned.metadata.annotations?.[wellKnown.configSource] ?? "file" },
      ownerReferences: [{ apiVersion: "v1", kind: "Node", name: node.metadata.name ?? "", uid: node.metadata.uid ?? "", controller: true }],
    },
    spec: { ...pruned.spec, nodeName: node.metadata.name },
  };
  if (pod.status && exceedsBytes(JSON.stringify(pod.status), reportLimits.podStatusBytes)) return { error: `static pod ${name}: status: Too long: may not be more than ${reportLimits.podStatusBytes} bytes` };
  const errors = [...validatePod(pod), ...validatePodStatus(pod.status, "status")];
  if (errors.length) return { error: `static pod ${name}: ${errors[0]!.field}: ${errors[0]!.message}` };
  const restricted = nodeRestrictionError(pod);
  if (restricted) return { error: `static pod ${name}: ${restricted}` };
  if (!namespaces.has(pod.metadata.namespace!)) return { error: `static pod ${name}: namespaces "${pod.metadata.namespace}" not found` };
  return { pod };
}

/**
 * The writes that make the node's mirror pods match what the agent reported. `namespaces` are the
 * namespaces that exist (a mirror pod may not create one).
 */
export function planMirrorPods(node: Node, stored: readonly Pod[], reported: readonly Pod[], now: number, newUid: () => string, namespaces: ReadonlySet<string>): MirrorPlan {
  const writes: Write[] = [];
  const rejected: string[] = [];
  const mirrors = new Map(stored.filter(isMirrorPod).map((pod) => [`${pod.metadata.namespace}/${pod.metadata.name}`, pod]));
  const seen = new Set<string>();
  const mirrored = mirroredStaticPods(reported);
  if (reported.length > mirrored.length) rejected.push(`${reported.length} static pods reported; only the first ${mirrored.length} are mirrored`);
  for (const report of mirrored) {
    const { pod, error } = mirrorOf(node, report, now, newUid(), namespaces);
    if (!pod) {
      rejected.push(error!);
      continue;
    }
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (seen.has(key)) {
      rejected.push(`static pod ${pod.metadata.name}: reported twice in namespace ${pod.metadata.namespace}; the first one is mirrored`);
      continue;
    }
    seen.add(key);
    const existing = mirrors.get(key);
    const hash = pod.metadata.annotations![wellKnown.configMirror];
    if (existing && existing.metadata.annotations?.[wellKnown.configMirror] === hash && !existing.metadata.deletionTimestamp) {
      if (pod.status && !jsonEqual(pod.status, existing.status)) {
        writes.push({ op: "setStatus", ref: refOf(existing), uid: existing.metadata.uid, status: pod.status, mustExist: false });
      }
      continue;
    }
    // A changed manifest (or a mirror being deleted): a new mirror with a new uid, as the kubelet does.
    if (existing) writes.push({ op: "delete", ref: refOf(existing), uid: existing.metadata.uid, mustExist: false, fromDevice: true });
    writes.push({ op: "create", object: pod, fromDevice: true });
  }
  for (const [key, pod] of mirrors) if (!seen.has(key)) writes.push({ op: "delete", ref: refOf(pod), uid: pod.metadata.uid, mustExist: false, fromDevice: true });
  return { writes, rejected };
}
