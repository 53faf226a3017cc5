/** The `meta.k8s.io/v1` Table kubectl asks for with `Accept: application/json;as=Table`. */
export interface TableColumnDefinition {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format: string;
  description: string;
  /** 0 = always shown; 1 = only with `-o wide`. */
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  /** PartialObjectMetadata (kubectl reads namespace, labels, creationTimestamp from it). */
  object?: unknown;
}

export interface Table {
  kind: "Table";
  apiVersion: "meta.k8s.io/v1";
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export const column = (name: string, type: TableColumnDefinition["type"], priority = 0, format = "", description = ""): TableColumnDefinition => ({
  name,
  type,
  format,
  description,
  priority,
});
