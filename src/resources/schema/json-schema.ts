/**
 * @module
 * The subset of OpenAPI v3 schema objects edgeset writes: enough for structural validation
 * (`validateStructure`) and for the documents `kubectl explain` and `--validate=strict` read.
 *
 * @example
 * const s: JsonSchema = { type: "integer", format: "int32", description: "Replicas." };
 */

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface JsonSchema {
  description?: string;
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  format?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: "atomic" | "granular";
  "x-kubernetes-patch-strategy"?: string;
  "x-kubernetes-patch-merge-key"?: string;
  "x-kubernetes-group-version-kind"?: GroupVersionKind[];
  "x-kubernetes-unions"?: unknown[];
}

/** Schemas keyed by their Kubernetes name, e.g. `io.k8s.api.core.v1.PodSpec`. */
export type SchemaMap = Record<string, JsonSchema>;

export const refPrefix = "#/components/schemas/";

/** `{ $ref: "#/components/schemas/<name>" }` */
export const ref = (name: string): JsonSchema => ({ $ref: refPrefix + name });
