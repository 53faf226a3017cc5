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

/** `apiVersion`, `kind` and `metadata`, which every top-level kind declares with the same words. */
export const apiVersionProperty: JsonSchema = {
  description:
    "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
  type: "string",
};

export const kindProperty: JsonSchema = {
  description:
    "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
  type: "string",
};

export const objectMetaProperty: JsonSchema = {
  allOf: [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" }],
  description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
};

export const objectProperties = { apiVersion: apiVersionProperty, kind: kindProperty, metadata: objectMetaProperty };
