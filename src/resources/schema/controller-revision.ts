/**
 * @module
 * `io.k8s.api.apps.v1.ControllerRevision`: `data` is a RawExtension, kept as sent.
 * Follows Kubernetes v1.32 (the version `/version` reports); descriptions are its OpenAPI v3 ones
 * (api/openapi-spec/v3 at release-1.32), so `kubectl explain` prints real documentation.
 *
 * @example
 * controllerRevisionSchemas["io.k8s.api.apps.v1.ControllerRevision"].properties
 */
import { apiVersionProperty, kindProperty, objectMetaProperty, type SchemaMap } from "./json-schema.ts";

export const controllerRevisionSchemas: SchemaMap = {
  "io.k8s.api.apps.v1.ControllerRevision": {
    description: "ControllerRevision implements an immutable snapshot of state data. Clients are responsible for serializing and deserializing the objects that contain their internal state. Once a ControllerRevision has been successfully created, it can not be updated. The API Server will fail validation of all requests that attempt to mutate the Data field. ControllerRevisions may, however, be deleted. Note that, due to its use by both the DaemonSet and StatefulSet controllers for update and rollback, this object is beta. However, it may be subject to name and representation changes in future releases, and clients should not depend on its stability. It is primarily for internal use by controllers.",
    type: "object",
    properties: {
      apiVersion: apiVersionProperty,
      data: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.runtime.RawExtension" },
        ],
        description: "Data is the serialized representation of the state.",
      },
      kind: kindProperty,
      metadata: objectMetaProperty,
      revision: {
        description: "Revision indicates the revision of the state represented by Data.",
        type: "integer",
        format: "int64",
      },
    },
    required: ["revision"],
    "x-kubernetes-group-version-kind": [
      {
        group: "apps",
        kind: "ControllerRevision",
        version: "v1",
      },
    ],
  },
};
