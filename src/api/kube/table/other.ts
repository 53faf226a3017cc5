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
    [nameColumn, column("Controller", "string"), column("Revision", "integer"), ageColumn],
    items.map((cr) => {
      const owner = cr.metadata.ownerReferences?.find((o) => o.controller);
      const group = owner?.apiVersion.includes("/") ? `.${owner.apiVersion.split("/")[0]}` : "";
      return [cr.metadata.name, owner ? `${owner.kind.toLowerCase()}${group}/${owner.name}` : "<none>", cr.revision, age(cr.metadata.creationTimestamp, now)];
    }),
  );

export const namespaceTable = (items: readonly Namespace[], now: number) =>
  table(
    [nameColumn, column("Status", "string"), ageColumn],
    items.map((ns) => [ns.metadata.name, ns.metadata.deletionTimestamp ? "Terminating" : (ns.status?.phase ?? "Active"), age(ns.metadata.creationTimestamp, now)]),
  );

export const eventTable = (items: readonly Event[], now: number) =>
  table(
    [
      column("Last Seen", "string"),
      column("Type", "string"),
      column("Reason", "string"),
      column("Object", "string"),
      column("Subobject", "string", 1),
      column("Source", "string", 1),
      column("Message", "string"),
      column("First Seen", "string", 1),
      column("Count", "string", 1),
      column("Name", "string", 1),
    ],
    items.map((e) => [
      age(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp, now),
      e.type ?? "Normal",
      e.reason ?? "",
      `${(e.involvedObject.kind ?? "").toLowerCase()}/${e.involvedObject.name ?? ""}`,
      e.involvedObject.fieldPath ?? "",
      e.source?.component ?? "",
      e.message ?? "",
      age(e.firstTimestamp ?? e.metadata.creationTimestamp, now),
      String(e.count ?? 1),
      e.metadata.name,
    ]),
  );

export const configMapTable = (items: readonly ConfigMap[], now: number) =>
  table(
    [nameColumn, column("Data", "integer"), ageColumn],
    items.map((cm) => [cm.metadata.name, Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, age(cm.metadata.creationTimestamp, now)]),
  );

export const secretTable = (items: readonly Secret[], now: number) =>
  table(
    [nameColumn, column("Type", "string"), column("Data", "integer"), ageColumn],
    items.map((s) => [s.metadata.name, s.type ?? "Opaque", Object.keys(s.data ?? {}).length, age(s.metadata.creationTimestamp, now)]),
  );
