/**
 * @module
 * Pre-staging (`rollout.edgeset.dev/prestage: "true"`): before a node's turn, the pod it runs on
 * the old revision carries the upcoming revision (`rollout.edgeset.dev/upcoming`, its hash and pod
 * spec: src/protocol/prestage.ts), which reaches the device with its assignments; the device pulls
 * the images and writes the ConfigMap and Secret volumes, starts nothing, and reports the pod
 * condition `rollout.edgeset.dev/Staged`. A node the rolling update may offer waits for that report
 * (rollout-gates.ts, hold "staging": until staged or failed, at most the progress deadline or
 * 600 s after the revision was first seen), and within the budget staged nodes go first.
 *
 * Rules:
 * * a node is told while it is on the old revision and the rollout may still reach it: not when
 *   the rollout failed, not when the selector holds it (it is not part of this rollout). Nodes held
 *   by pause, partition or a deferral are told (they stage while they wait, which is the point).
 * * every other pod of the DaemonSet carries no upcoming revision: it is removed once a pod is
 *   replaced, rolled back to, or left out (a revision of a failed rollout is never left behind).
 * * at most `maxPatches` pods are written per pass (the rest the next pass, right away).
 *
 * @example
 * const patches = planPrestage(ctx, pass, pods, deleting, 250);
 * stagedNodes(pass, ctx.hash) // Set { "node-2" }: old pod reports the current revision staged
 */
import { podConfigReferences } from "../../resources/config-refs.ts";
import type { Pod } from "../../resources/types.ts";
import { formatUpcoming, stagedRevisionOf, upcomingAnnotation } from "../../protocol/prestage.ts";
import type { PassContext } from "./context.ts";
import { isDeleting } from "./pod-util.ts";
import { onOldRevision } from "./rollout-gates.ts";
import type { RolloutPass } from "./rollout.ts";
import type { PodPatch } from "./types.ts";

/** Names of the nodes whose old pod should carry the upcoming revision. */
export function prestageTargets(pass: Pick<RolloutPass, "policy" | "record" | "states" | "gates">): Set<string> {
  const out = new Set<string>();
  if (!pass.policy?.prestage || pass.record.failed) return out;
  const selector = pass.policy.selector;
  for (const s of pass.states) if (onOldRevision(s) && (!selector || selector.matches(s.node.metadata.labels))) out.add(s.name);
  return out;
}

/** Nodes on the old revision whose device reports the current revision staged. */
export function stagedNodes(pass: Pick<RolloutPass, "states">, hash: string): Set<string> {
  const out = new Set<string>();
  for (const s of pass.states) if (onOldRevision(s) && stagedRevisionOf(s.oldPod!) === hash) out.add(s.name);
  return out;
}

/**
 * The annotation writes that make every live pod of the DaemonSet carry exactly what it should:
 * the upcoming revision on the targets' old pods (not those this pass deletes), nothing elsewhere.
 */
export function planPrestage(ctx: Pick<PassContext, "ds" | "hash">, pass: RolloutPass | undefined, pods: readonly Pod[], deleting: ReadonlySet<string>, maxPatches: number): { patches: PodPatch[]; more: boolean } {
  const targets = pass ? prestageTargets(pass) : new Set<string>();
  const wantOn = new Map<string, string>();
  if (pass && targets.size > 0) {
    const value = formatUpcoming({ revision: ctx.hash, spec: ctx.ds.spec.template.spec });
    for (const s of pass.states) if (targets.has(s.name)) wantOn.set(s.oldPod!.metadata.uid ?? "", value);
  }
  const patches: PodPatch[] = [];
  let more = false;
  for (const pod of pods) {
    const uid = pod.metadata.uid ?? "";
    if (isDeleting(pod) || deleting.has(uid)) continue;
    const has = pod.metadata.annotations?.[upcomingAnnotation];
    const want = wantOn.get(uid);
    if (has === want) continue;
    if (patches.length >= maxPatches) {
      more = true;
      break;
    }
    const annotations = { ...(pod.metadata.annotations ?? {}) };
    if (want === undefined) delete annotations[upcomingAnnotation];
    else annotations[upcomingAnnotation] = want;
    patches.push({
      name: pod.metadata.name ?? "",
      uid,
      upcoming: { value: want ?? null, configRefs: podConfigReferences({ metadata: { ...pod.metadata, annotations }, spec: pod.spec }) },
    });
  }
  return { patches, more };
}
