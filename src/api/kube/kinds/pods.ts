/**
 * @module
 * Pods. Daemon pods are created by their DaemonSet's controller, bound to a node; operators may
 * also create pods bound to a node. Deleting a bound pod is graceful: it gets a deletionTimestamp
 * and goes when its node reports the workload stopped (or at once with `--grace-period=0
 * --force`). Pod specs are immutable after creation except for the fields Kubernetes allows.
 */
import { forbidden } from "../../../resources/field-errors.ts";
import { jsonEqual, rfc3339 } from "../../../resources/meta.ts";
import { defaultPod, validatePod, validatePodStatus } from "../../../resources/pod/index.ts";
import { resources } from "../../../resources/registry.ts";
import type { Pod, PodSpec } from "../../../resources/types.ts";
import { podPresenceChanged } from "../../../controller/pod-presence.ts";
import { ownerDaemonSet, wakeDaemonSet, wakeForPodChanges } from "../../../controller/wake.ts";
import { getObject } from "../../../store/objects.ts";
import { maxGraceSeconds, type KindStrategy } from "../strategy.ts";
import { podTable } from "../table/pod.ts";
import { withPodIPs } from "./pod-ips.ts";
import { asIs, decodeWith } from "./decode.ts";
import { defaultTerminationGracePeriodSeconds } from "../../../protocol/pod-defaults.ts";

/** ValidatePodUpdate: only images, activeDeadlineSeconds and added tolerations may change. */
function podSpecUpdateErrors(spec: PodSpec, old: PodSpec) {
  const mutable = (s: PodSpec) => ({
    ...s,
    containers: s.containers?.map((c) => ({ ...c, image: undefined })),
    initContainers: s.initContainers?.map((c) => ({ ...c, image: undefined })),
    activeDeadlineSeconds: undefined,
    tolerations: undefined,
  });
  if (jsonEqual(mutable(spec), mutable(old))) return [];
  return [
    forbidden(
      "spec",
      "pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    ),
  ];
}

export const pods: KindStrategy<Pod> = {
  info: resources.Pod,
  decode: (body, apiVersion) => decodeWith(body, apiVersion, "Pod", (pruned) => defaultPod(asIs<Pod>("v1", "Pod")(pruned))),
  encode: (pod) => withPodIPs(pod),
  prepareForCreate: (pod, now) => ({
    ...pod,
    status: {
      phase: "Pending",
      conditions: pod.spec.nodeName ? [{ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: rfc3339(now) }] : [],
    },
  }),
  prepareForUpdate: (pod, old) => ({ ...pod, status: old.status }),
  prepareForStatusUpdate: (pod, old) => ({ ...old, status: pod.status }),
  validate: validatePod,
  validateUpdate: (pod, old) => [...validatePod(pod), ...podSpecUpdateErrors(pod.spec, old.spec)],
  // ValidatePodStatusUpdate: the same rules a device's report of the pod meets.
  validateStatusUpdate: (pod) => validatePodStatus(pod.status, "status"),
  selectableFields: (pod) => ({
    "spec.nodeName": pod.spec.nodeName ?? "",
    "spec.restartPolicy": pod.spec.restartPolicy ?? "",
    "spec.schedulerName": pod.spec.schedulerName ?? "",
    "spec.serviceAccountName": pod.spec.serviceAccountName ?? "",
    "spec.hostNetwork": String(pod.spec.hostNetwork ?? false),
    "status.phase": pod.status?.phase ?? "",
    "status.podIP": pod.status?.podIP ?? "",
    "status.nominatedNodeName": "",
  }),
  table: podTable,
  async beginDelete(pod, options, now, c) {
    if (pod.metadata.deletionTimestamp && options.gracePeriodSeconds !== 0) return pod;
    if (options.gracePeriodSeconds === 0 || !pod.spec.nodeName) return undefined;
    const node = await getObject(c.var.db, { kind: "Node", namespace: "", name: pod.spec.nodeName });
    if (!node) return undefined; // nothing would ever confirm it: delete at once, as the pod GC does
    const grace = Math.min(Math.max(options.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? defaultTerminationGracePeriodSeconds, 0), maxGraceSeconds);
    return { ...pod, metadata: { ...pod.metadata, deletionTimestamp: rfc3339(now + grace * 1000), deletionGracePeriodSeconds: grace } };
  },
  // The owner always hears of it; DaemonSets whose pod (anti-)affinity could see this pod hear of
  // it when a bound pod appears, goes, changes labels or finishes.
  afterChange: async (c, change) => {
    const owner = ownerDaemonSet(change.object);
    const { object, old } = change;
    const presence =
      !!object.spec.nodeName &&
      (change.type !== "updated" || !jsonEqual(object.metadata.labels, old?.metadata.labels) || podPresenceChanged(old?.status, object.status) || (!!object.metadata.deletionTimestamp && !old?.metadata.deletionTimestamp));
    await Promise.all([owner ? wakeDaemonSet(c.env, owner, { pods: [object.metadata.name ?? ""], nodes: [object.spec.nodeName ?? old?.spec.nodeName ?? ""].filter(Boolean) }) : undefined, presence ? wakeForPodChanges(c.env, c.var.db, [object], owner) : undefined]);
  },
};
