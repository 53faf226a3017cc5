/** `kubectl get pods` columns and the STATUS logic of printPod (pkg/printers/internalversion). */
import type { Pod } from "../../../resources/types.ts";
import { age, humanDuration } from "./age.ts";
import { column, type Table } from "./types.ts";

/** The STATUS column: phase, refined by container waiting/terminated reasons, Terminating. */
export function podStatusText(pod: Pod): string {
  let reason: string = pod.status?.reason || pod.status?.phase || "Pending";
  const containers = pod.status?.containerStatuses ?? [];
  {
    let hasRunning = false;
    for (let i = containers.length - 1; i >= 0; i--) {
      const c = containers[i]!;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === "Completed" && hasRunning) {
      const ready = pod.status?.conditions?.some((cond) => cond.type === "Ready" && cond.status === "True");
      reason = ready ? "Running" : "NotReady";
    }
  }
  if (pod.metadata.deletionTimestamp) reason = pod.status?.reason === "NodeLost" ? "Unknown" : "Terminating";
  return reason;
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
      column("IP", "string", 1, "", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
      column("Node", "string", 1, "", "Name of the Node the Pod is bound to."),
      column("Nominated Node", "string", 1, "", "Name of the node the Pod is nominated to."),
      column("Readiness Gates", "string", 1, "", "Pod Readiness Gates."),
    ],
    rows: items.map((pod) => {
      const statuses = pod.status?.containerStatuses ?? [];
      const total = pod.spec.containers?.length ?? statuses.length;
      const ready = statuses.filter((c) => c.ready).length;
      const restarts = statuses.reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
      const lastRestart = statuses
        .map((c) => c.lastState?.terminated?.finishedAt)
        .filter((t): t is string => !!t)
        .map((t) => Date.parse(t))
        .sort((a, b) => b - a)[0];
      return {
        cells: [
          pod.metadata.name,
          `${ready}/${total}`,
          podStatusText(pod),
          restarts > 0 && lastRestart ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts),
          age(pod.metadata.creationTimestamp, now),
          pod.status?.podIP || "<none>",
          pod.spec.nodeName || "<none>",
          "<none>",
          "<none>",
        ],
      };
    }),
  };
}
