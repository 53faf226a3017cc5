/** Columns of the smaller kinds: ControllerRevision, Namespace, Event, ConfigMap, Secret. */
import type { ConfigMap, ControllerRevision, Event, Namespace, Secret } from "../../../resources/types.ts";
import { age } from "./age.ts";
import { column, type Table } from "./types.ts";

const nameColumn = column("Name", "string", 0, "name", "Name must be unique within a namespace.");
const ageColumn = column("Age", "string", 0, "", "CreationTimestamp is a timestamp representing the server time when this object was created.");
const table = (columnDefinitions: Table["columnDefinitions"], rows: unknown[][]): Omit<Table, "metadata"> => ({
  kind: "Table",
  apiVersion: "meta.k8s.io/v1",
  columnDefinitions,
  rows: rows.map((cells) => ({ cells })),
});

export const controllerRevisionTable = (items: readonly ControllerRevision[], now: number) =>
  table(
    [nameColumn, column("Controller", "string", 0, "", "Controller of the object"), column("Revision", "string", 0, "", "Revision indicates the revision of the state represented by Data."), ageColumn],
    items.map((cr) => {
      const owner = cr.metadata.ownerReferences?.find((o) => o.controller);
      const group = owner?.apiVersion.includes("/") ? `.${owner.apiVersion.split("/")[0]}` : "";
      return [cr.metadata.name, owner ? `${owner.kind.toLowerCase()}${group}/${owner.name}` : "<none>", cr.revision, age(cr.metadata.creationTimestamp, now)];
    }),
  );

export const namespaceTable = (items: readonly Namespace[], now: number) =>
  table(
    [nameColumn, column("Status", "string", 0, "", "The status of the namespace"), ageColumn],
    items.map((ns) => [ns.metadata.name, ns.metadata.deletionTimestamp ? "Terminating" : (ns.status?.phase ?? "Active"), age(ns.metadata.creationTimestamp, now)]),
  );

/** Event fields the printer reads that the shared type does not carry: all optional. */
interface PrintedEvent extends Event {
  series?: { count?: number; lastObservedTime?: string };
  reportingController?: string;
}

/** formatEventSource: component (or reporting controller), then host (or reporting instance). */
const eventSource = (e: PrintedEvent): string => {
  const component = e.source?.component || e.reportingController || "";
  const instance = e.source?.host || e.reportingInstance || "";
  return instance ? `${component}, ${instance}` : component;
};

/** printEvent: Last Seen falls back to First Seen, which falls back to eventTime; a series carries its own count. */
export const eventTable = (items: readonly Event[], now: number) =>
  table(
    [
      column("Last Seen", "string", 0, "", "The time at which the most recent occurrence of this event was recorded."),
      column("Type", "string", 0, "", "Type of this event (Normal, Warning), new types could be added in the future"),
      column("Reason", "string", 0, "", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
      column("Object", "string", 0, "", "The object that this event is about."),
      column("Subobject", "string", 1, "", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement."),
      column("Source", "string", 1, "", "The component reporting this event. Should be a short machine understandable string."),
      column("Message", "string", 0, "", "A human-readable description of the status of this operation."),
      column("First Seen", "string", 1, "", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
      column("Count", "string", 1, "", "The number of times this event has occurred."),
      column("Name", "string", 1, "name", "Name must be unique within a namespace."),
    ],
    items.map((input) => {
      const e = input as PrintedEvent;
      const first = e.firstTimestamp ? age(e.firstTimestamp, now) : age(e.eventTime, now);
      const last = e.series?.lastObservedTime ? age(e.series.lastObservedTime, now) : e.lastTimestamp ? age(e.lastTimestamp, now) : first;
      const count = e.series ? (e.series.count ?? 0) : e.count || 1;
      const kind = (e.involvedObject.kind ?? "").toLowerCase();
      return [
        last,
        e.type ?? "",
        e.reason ?? "",
        e.involvedObject.name ? `${kind}/${e.involvedObject.name}` : kind,
        e.involvedObject.fieldPath ?? "",
        eventSource(e),
        (e.message ?? "").trim(),
        first,
        count,
        e.metadata.name,
      ];
    }),
  );

export const configMapTable = (items: readonly ConfigMap[], now: number) =>
  table(
    [nameColumn, column("Data", "string", 0, "", "Data contains the configuration data."), ageColumn],
    items.map((cm) => [cm.metadata.name, Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, age(cm.metadata.creationTimestamp, now)]),
  );

export const secretTable = (items: readonly Secret[], now: number) =>
  table(
    [nameColumn, column("Type", "string", 0, "", "Used to facilitate programmatic handling of secret data."), column("Data", "string", 0, "", "Data contains the secret data."), ageColumn],
    items.map((s) => [s.metadata.name, s.type ?? "Opaque", Object.keys(s.data ?? {}).length, age(s.metadata.creationTimestamp, now)]),
  );
