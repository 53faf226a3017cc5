/**
 * @module
 * `kubectl get pods` columns, computed as printPod does (pkg/printers/internalversion, 1.32):
 * READY counts ready containers (and started sidecars) over all containers, STATUS refines the
 * phase with init-container progress (`Init:1/2`), container waiting/terminated reasons,
 * `Terminating` and `SchedulingGated`, RESTARTS shows when the last restart was.
 *
 * @example
 * podTable([pod], Date.now()).rows[0].cells // ["web-x2k9q", "1/1", "Running", "0", "5m", "10.0.0.7", "shop-1", "<none>", "<none>"]
 */
import type { Container, ContainerStatus, Pod, PodCondition } from "../../../resources/types.ts";
import { age, humanDuration } from "./age.ts";
import { column, type Table } from "./types.ts";

/** Pod fields the printer reads that the shared types do not carry (yet): all optional. */
interface PrintedPod extends Pod {
  spec: Pod["spec"] & { readinessGates?: { conditionType: string }[] };
  status?: Pod["status"] & { initContainerStatuses?: ContainerStatus[]; podIPs?: { ip: string }[]; nominatedNodeName?: string };
}

interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** A sidecar: an init container with `restartPolicy: Always` (podutil.IsRestartableInitContainer). */
const isRestartable = (c: Container | undefined) => (c as { restartPolicy?: string } | undefined)?.restartPolicy === "Always";
const finishedAt = (c: ContainerStatus): number | undefined => {
  const t = c.lastState?.terminated?.finishedAt;
  return t ? Date.parse(t) : undefined;
};
const hasCondition = (conditions: PodCondition[] | undefined, type: string) => conditions?.some((c) => c.type === type && c.status === "True") ?? false;

/** The READY, STATUS and RESTARTS cells (printPod). */
export function summarizePod(input: Pod, now: number): PodSummary {
  const pod = input as PrintedPod;
  const status = pod.status ?? {};
  const initSpecs = new Map((pod.spec.initContainers ?? []).map((c) => [c.name, c]));
  const total = (pod.spec.containers ?? []).length + [...initSpecs.values()].filter(isRestartable).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  let reason: string = status.reason || status.phase || "";
  if (status.conditions?.some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated")) reason = "SchedulingGated";

  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i]!;
    const sidecar = isRestartable(initSpecs.get(c.name));
    restarts += c.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, finishedAt(c) ?? 0);
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = Math.max(lastSidecarRestart, finishedAt(c) ?? 0);
    }
    const terminated = c.state?.terminated;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) reason = terminated.reason ? `Init:${terminated.reason}` : terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== "PodInitializing") reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.size}`;
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(status.conditions, "Initialized")) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const containers = status.containerStatuses ?? [];
    for (let i = containers.length - 1; i >= 0; i--) {
      const c = containers[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, finishedAt(c) ?? 0);
      const terminated = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === "Completed" && hasRunning) reason = hasCondition(status.conditions, "Ready") ? "Running" : "NotReady";
  }

  const terminal = status.phase === "Succeeded" || status.phase === "Failed";
  if (pod.metadata.deletionTimestamp && status.reason === "NodeLost") reason = "Unknown";
  else if (pod.metadata.deletionTimestamp && !terminal) reason = "Terminating";

  return {
    ready: `${ready}/${total}`,
    status: reason,
    restarts: restarts !== 0 && lastRestart > 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts),
  };
}

function readinessGates(pod: PrintedPod): string {
  const gates = pod.spec.readinessGates ?? [];
  if (gates.length === 0) return "<none>";
  const trueCount = gates.filter((g) => pod.status?.conditions?.find((c) => c.type === g.conditionType)?.status === "True").length;
  return `${trueCount}/${gates.length}`;
}

export function podTable(items: readonly Pod[], now: number): Omit<Table, "metadata"> {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    columnDefinitions: [
      column("Name", "string", 0, "name", "Name must be unique within a namespace."),
      column("Ready", "string", 0, "", "The aggregate readiness state of this pod for accepting traffic."),
      column("Status", "string", 0, "", "The aggregate status of the containers in this pod."),
      column("Restarts", "string", 0, "", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
      column("Age", "string", 0, "", "CreationTimestamp is a timestamp representing the server time when this object was created."),
      column("IP", "string", 1, "", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
      column("Node", "string", 1, "", "NodeName indicates in which node this pod is scheduled."),
      column("Nominated Node", "string", 1, "", "nominatedNodeName is set only when this pod preempts other pods on the node."),
      column("Readiness Gates", "string", 1, "", "If specified, all readiness gates will be evaluated for pod readiness."),
    ],
    rows: items.map((input) => {
      const pod = input as PrintedPod;
      const summary = summarizePod(pod, now);
      return {
        cells: [
          pod.metadata.name,
          summary.ready,
          summary.status,
          summary.restarts,
          age(pod.metadata.creationTimestamp, now),
          pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || "<none>",
          pod.spec.nodeName || "<none>",
          pod.status?.nominatedNodeName || "<none>",
          readinessGates(pod),
        ],
      };
    }),
  };
}
