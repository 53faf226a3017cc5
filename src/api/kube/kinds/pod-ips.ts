/**
 * @module
 * The plural pod addresses, as the apiserver's v1 conversion serves them
 * (`Convert_v1_PodStatus_To_core_PodStatus` and back): a status that carries only `podIP` or
 * `hostIP` is served with `podIPs: [{ip}]` / `hostIPs: [{ip}]`, and when both are set and
 * disagree, the singular field wins. `kubectl describe pod` prints `IPs:` from the plural.
 *
 * @example
 * withPodIPs({ ...pod, status: { podIP: "10.0.0.7" } }).status // { podIP: "10.0.0.7", podIPs: [{ ip: "10.0.0.7" }] }
 */
import type { Pod } from "../../../resources/types.ts";

type Addresses = { ip: string }[];
type WithPlurals = NonNullable<Pod["status"]> & { podIPs?: Addresses; hostIPs?: Addresses };

const plural = (single: string | undefined, list: Addresses | undefined): Addresses | undefined => {
  if (!single) return list;
  return list && list.length > 0 && list[0]!.ip === single ? list : [{ ip: single }];
};

export function withPodIPs(pod: Pod): Pod {
  const status = pod.status as WithPlurals | undefined;
  if (!status || (!status.podIP && !status.hostIP)) return pod;
  const podIPs = plural(status.podIP, status.podIPs);
  const hostIPs = plural(status.hostIP, status.hostIPs);
  if (podIPs === status.podIPs && hostIPs === status.hostIPs) return pod;
  return { ...pod, status: { ...status, ...(podIPs ? { podIPs } : {}), ...(hostIPs ? { hostIPs } : {}) } as Pod["status"] };
}
