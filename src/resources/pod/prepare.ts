/**
 * @module
 * The Pod registry strategy (pkg/registry/core/pod/strategy.go): what the server keeps, resets
 * or derives when a Pod is created or updated through the API.
 *
 * @example
 * preparePodForCreate(pod).status // { phase: "Pending", qosClass: ... }
 */
import type { Pod } from "../types.ts";
import { compareQuantities, parseQuantity } from "../../protocol/quantity.ts";

/** v1qos.GetPodQOS: Guaranteed when every container's requests equal limits for cpu and memory. */
export function podQOSClass(pod: Pod): "Guaranteed" | "Burstable" | "BestEffort" {
  const containers = [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    for (const r of ["cpu", "memory"]) {
      const req = parseQuantity(c.resources?.requests?.[r]);
      const lim = parseQuantity(c.resources?.limits?.[r]);
      if ((req && req.mantissa > 0n) || (lim && lim.mantissa > 0n)) any = true;
      if (lim === undefined || req === undefined || compareQuantities(req, lim) !== 0) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

/** PrepareForCreate: status reset to Pending with the QoS class; generation 1. */
export function preparePodForCreate(pod: Pod): Pod {
  const status = { phase: "Pending" as const, qosClass: podQOSClass(pod) };
  return { ...pod, metadata: { ...pod.metadata, generation: 1 }, status } as Pod;
}

/** PrepareForUpdate: status comes from the old object; generation +1 when the spec changed. */
export function preparePodForUpdate(pod: Pod, old: Pod): Pod {
  const specChanged = JSON.stringify(pod.spec) !== JSON.stringify(old.spec);
  const generation = (old.metadata.generation ?? 1) + (specChanged ? 1 : 0);
  return { ...pod, metadata: { ...pod.metadata, generation }, status: old.status };
}

/** Status updates keep the old spec. */
export function preparePodStatusForUpdate(pod: Pod, old: Pod): Pod {
  return { ...pod, metadata: { ...pod.metadata, generation: old.metadata.generation }, spec: old.spec };
}
