/** `kubectl get ds` columns (pkg/printers/internalversion printDaemonSet). */
import { formatLabelSelector } from "../../../resources/label-selector.ts";
import type { DaemonSet } from "../../../resources/types.ts";
import { age } from "./age.ts";
import { column, type Table } from "./types.ts";

export const labelsText = (labels: Record<string, string> | undefined): string =>
  labels && Object.keys(labels).length ? Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",") : "<none>";

export function daemonSetTable(items: readonly DaemonSet[], now: number): Omit<Table, "metadata"> {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    columnDefinitions: [
      column("Name", "string", 0, "name", "Name must be unique within a namespace."),
      column("Desired", "integer", 0, "", "The total number of nodes that should be running the daemon pod."),
      column("Current", "integer", 0, "", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
      column("Ready", "integer", 0, "", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
      column("Up-to-date", "integer", 0, "", "The total number of nodes that are running updated daemon pod."),
      column("Available", "integer", 0, "", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available."),
      column("Node Selector", "string", 0, "", "NodeSelector is a selector which must be true for the pod to fit on a node."),
      column("Age", "string", 0, "", "CreationTimestamp is a timestamp representing the server time when this object was created."),
      column("Containers", "string", 1, "", "Names of each container in the template."),
      column("Images", "string", 1, "", "Images referenced by each container in the template."),
      column("Selector", "string", 1, "", "A label query over pods that are managed by the daemon set."),
    ],
    rows: items.map((ds) => {
      const s = ds.status;
      const containers = ds.spec.template.spec.containers ?? [];
      return {
        cells: [
          ds.metadata.name,
          s?.desiredNumberScheduled ?? 0,
          s?.currentNumberScheduled ?? 0,
          s?.numberReady ?? 0,
          s?.updatedNumberScheduled ?? 0,
          s?.numberAvailable ?? 0,
          labelsText(ds.spec.template.spec.nodeSelector),
          age(ds.metadata.creationTimestamp, now),
          containers.map((c) => c.name).join(","),
          containers.map((c) => c.image ?? "").join(","),
          ds.spec.selector ? formatLabelSelector(ds.spec.selector) : "<none>",
        ],
      };
    }),
  };
}
