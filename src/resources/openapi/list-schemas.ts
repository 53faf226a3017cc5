/**
 * @module
 * The `<Kind>List` schemas and `ListMeta` that list responses reference in the OpenAPI documents.
 * Follows Kubernetes v1.32 (the version `/version` reports); the descriptions are its OpenAPI v3
 * ones (api/openapi-spec/v3 at release-1.32).
 *
 * @example
 * listSchemaFor("io.k8s.api.apps.v1.DaemonSet", { group: "apps", version: "v1", kind: "DaemonSet" })
 * // ["io.k8s.api.apps.v1.DaemonSetList", { type: "object", properties: { items: ... } }]
 */
import { ref, type GroupVersionKind, type JsonSchema, type SchemaMap } from "../schema/index.ts";

export const listMetaName = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";

export const listMetaSchemas: SchemaMap = {
  [listMetaName]: {
    description:
      "ListMeta describes metadata that synthetic resources must have, including lists and various status objects. A resource may have only one of {ObjectMeta, ListMeta}.",
    type: "object",
    properties: {
      continue: {
        description:
          "continue may be set if the user set a limit on the number of items returned, and indicates that the server has more data available. The value is opaque and may be used to issue another request to the endpoint that served this list to retrieve the next set of available objects. Continuing a consistent list may not be possible if the server configuration has changed or more than a few minutes have passed. The resourceVersion field returned when using this continue value will be identical to the value in the first response, unless you have received this token from an error message.",
        type: "string",
      },
      remainingItemCount: {
        description:
          "remainingItemCount is the number of subsequent items in the list which are not included in this list response. If the list request contained label or field selectors, then the number of remaining items is unknown and the field will be left unset and omitted during serialization. If the list is complete (either because it is not chunking or because this is the last chunk), then there are no more remaining items and this field will be left unset and omitted during serialization. Servers older than v1.15 do not set this field. The intended use of the remainingItemCount is *estimating* the size of a collection. Clients should not rely on the remainingItemCount to be set or to be exact.",
        type: "integer",
        format: "int64",
      },
      resourceVersion: {
        description:
          "String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed. Value must be treated as opaque by clients and passed unmodified back to the server. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency",
        type: "string",
      },
      selfLink: {
        description: "Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.",
        type: "string",
      },
    },
  },
};

/** The `<Kind>List` schema for a kind schema, named beside it. */
export function listSchemaFor(kindSchemaName: string, gvk: GroupVersionKind): [string, JsonSchema] {
  const schema: JsonSchema = {
    description: `${gvk.kind}List is a list of ${gvk.kind} objects.`,
    type: "object",
    required: ["items"],
    properties: {
      apiVersion: {
        description:
          "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
        type: "string",
      },
      items: { description: `List of ${gvk.kind} objects.`, type: "array", items: ref(kindSchemaName) },
      kind: {
        description:
          "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
        type: "string",
      },
      metadata: {
        allOf: [ref(listMetaName)],
        description: "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
      },
    },
    "x-kubernetes-group-version-kind": [{ ...gvk, kind: `${gvk.kind}List` }],
  };
  return [`${kindSchemaName}List`, schema];
}
