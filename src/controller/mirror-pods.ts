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
import { defaultPod, validatePod } from "../resources/pod/index.ts";
import { jsonEqual, rfc3339 } from "../resources/meta.ts";
import type { Node, Pod } from "../resources/types.ts";
import { wellKnown } from "../resources/types.ts";
import type { Write } from "../store/writes.ts";

export const isMirrorPod = (pod: Pod): boolean => wellKnown.configMirror in (pod.metadata.annotations ?? {});

export interface MirrorPlan {
  writes: Write[];
  /** Static pods that were not valid, with why (worth a Warning event on the Node). */
  rejected: string[];
}

const podRef = (pod: Pod) => ({ kind: "Pod", namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name ?? "" });

/** Validates one reported static pod; returns the mirror to store, or why not. */
function mirrorOf(node: Node, reported: Pod, now: number, uid: string): { pod?: Pod; error?: string } {
  const schema = schemaNameFor("v1", "Pod")!;
  const structure = validateStructure({ ...reported, apiVersion: "v1", kind: "Pod" }, schema);
  const name = reported.metadata?.name ?? "";
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
  const errors = validatePod(pod);
  if (errors.length) return { error: `static pod ${name}: ${errors[0]!.field}: ${errors[0]!.message}` };
  return { pod };
}

/** The writes that make the node's mirror pods match what the agent reported. */
export function planMirrorPods(node: Node, stored: readonly Pod[], reported: readonly Pod[], now: number, newUid: () => string): MirrorPlan {
  const writes: Write[] = [];
  const rejected: string[] = [];
  const mirrors = new Map(stored.filter(isMirrorPod).map((pod) => [`${pod.metadata.namespace}/${pod.metadata.name}`, pod]));
  const seen = new Set<string>();
  for (const report of reported) {
    const { pod, error } = mirrorOf(node, report, now, newUid());
    if (!pod) {
      rejected.push(error!);
      continue;
    }
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    seen.add(key);
    const existing = mirrors.get(key);
    const hash = pod.metadata.annotations![wellKnown.configMirror];
    if (existing && existing.metadata.annotations?.[wellKnown.configMirror] === hash && !existing.metadata.deletionTimestamp) {
      if (pod.status && !jsonEqual(pod.status, existing.status)) {
        writes.push({ op: "setStatus", ref: podRef(existing), uid: existing.metadata.uid, status: pod.status, mustExist: false });
      }
      continue;
    }
    // A changed manifest (or a mirror being deleted): a new mirror with a new uid, as the kubelet does.
    if (existing) writes.push({ op: "delete", ref: podRef(existing), uid: existing.metadata.uid, mustExist: false });
    writes.push({ op: "create", object: pod });
  }
  for (const [key, pod] of mirrors) if (!seen.has(key)) writes.push({ op: "delete", ref: podRef(pod), uid: pod.metadata.uid, mustExist: false });
  return { writes, rejected };
}
