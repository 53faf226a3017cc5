/**
 * @module
 * The whole of what the agent is told or reads back, checked at the boundary: a sync answer and
 * the saved assignments. Pods that cannot be applied are refused (and reported as such in the
 * next sync, see `refusedPodStatus`), ConfigMaps and Secrets lose the keys that are not valid,
 * everything else is applied. Nothing here throws, whatever the input.
 *
 * @example
 * const { response, refused, problems } = acceptSyncResponse(JSON.parse(body));
 * for (const line of problems) log(line);
 */
import type { SyncResponse } from "../../src/protocol/agent.ts";
import type { ConfigMap, Pod, PodStatus, Secret } from "../../src/resources/types.ts";
import type { StoredAssignments } from "../state/state-store.ts";
import { acceptConfigMap, acceptList, acceptSecret } from "./accept-config.ts";
import { acceptPod, describeRefusal, type RefusedPod } from "./accept-pod.ts";
import { isObject } from "./json-copy.ts";

export interface Accepted<T> {
  value?: T;
  /** Pods that are not applied; reported with `refusedPodStatus` when they can be named. */
  refused: RefusedPod[];
  /** One line per problem, for the log. */
  problems: string[];
}

/** The sync interval a server may ask for (the agent clamps it again, see sync-backoff). */
const intervalOf = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : undefined);

function acceptPods(raw: unknown, field: string, refused: RefusedPod[], problems: string[]): Pod[] {
  if (!Array.isArray(raw)) {
    problems.push(`${field}: Invalid value: must be a list`);
    return [];
  }
  const pods: Pod[] = [];
  const uids = new Set<string>();
  for (const [i, item] of raw.entries()) {
    const result = acceptPod(item);
    if ("pod" in result) {
      // Two entries with one uid would fight over one set of processes.
      if (uids.has(result.pod.metadata.uid!)) {
        problems.push(`${field}[${i}]: metadata.uid: Duplicate value: ${JSON.stringify(result.pod.metadata.uid)}: skipped`);
        continue;
      }
      uids.add(result.pod.metadata.uid!);
      pods.push(result.pod);
      continue;
    }
    refused.push(result.refused);
    const who = result.refused.name ? `pod ${result.refused.namespace}/${result.refused.name}` : `${field}[${i}]`;
    problems.push(`${who}: cannot run on this device: ${describeRefusal(result.refused)}`);
  }
  return pods;
}

export function acceptSyncResponse(raw: unknown): Accepted<SyncResponse> {
  const refused: RefusedPod[] = [];
  const problems: string[] = [];
  if (!isObject(raw) || typeof raw.version !== "string") return { refused, problems: ["the sync answer has no version: ignored"] };
  const pods = acceptPods(raw.pods, "pods", refused, problems);
  const configMaps = acceptList<ConfigMap>(raw.configMaps, "configMaps", acceptConfigMap);
  const secrets = acceptList<Secret>(raw.secrets, "secrets", acceptSecret);
  problems.push(...configMaps.problems, ...secrets.problems);
  const interval = intervalOf(raw.syncIntervalSeconds);
  const value: SyncResponse = { version: raw.version, pods, configMaps: configMaps.items, secrets: secrets.items, syncIntervalSeconds: interval ?? 0 };
  return { value, refused, problems };
}

export function acceptStoredAssignments(raw: unknown): Accepted<StoredAssignments> {
  const refused: RefusedPod[] = [];
  const problems: string[] = [];
  if (raw === undefined) return { refused, problems };
  if (!isObject(raw)) return { refused, problems: ["the saved assignments are not an object: ignored"] };
  const pods = acceptPods(raw.pods, "pods", refused, problems);
  const configMaps = acceptList<ConfigMap>(raw.configMaps, "configMaps", acceptConfigMap);
  problems.push(...configMaps.problems);
  const interval = intervalOf(raw.syncIntervalSeconds);
  const value: StoredAssignments = {
    version: typeof raw.version === "string" ? raw.version : "",
    pods,
    ...(interval ? { syncIntervalSeconds: interval } : {}),
    ...(configMaps.items.length > 0 ? { configMaps: configMaps.items } : {}),
  };
  return { value, refused, problems: problems.map((p) => `saved assignments: ${p}`) };
}

/**
 * What a refused pod reports: Pending, with a `PodReadyToStartContainers` condition False
 * naming the field. The kubelet fails a pod its admission rejects, but a Failed DaemonSet pod is
 * deleted and created again by the controller, over and over; Pending with the reason keeps it
 * visible (`kubectl describe pod`) until the spec is fixed.
 */
export function refusedPodStatus(refused: RefusedPod): PodStatus {
  const message = `the agent cannot run this pod: ${describeRefusal(refused)}`.slice(0, 1024);
  return {
    phase: "Pending",
    reason: "InvalidPodSpec",
    message,
    conditions: [
      { type: "PodReadyToStartContainers", status: "False", reason: "InvalidPodSpec", message },
      { type: "Ready", status: "False", reason: "InvalidPodSpec", message },
    ],
  };
}
