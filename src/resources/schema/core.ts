/**
 * @module
 * Namespace, ConfigMap, Secret, Event and ObjectReference (core/v1).
 * Follows Kubernetes v1.32 (the version `/version` reports); descriptions are its OpenAPI v3 ones
 * (api/openapi-spec/v3 at release-1.32), so `kubectl explain` prints real documentation.
 *
 * @example
 * coreSchemas["io.k8s.api.core.v1.Namespace"].properties
 */
import { apiVersionProperty, kindProperty, objectMetaProperty, objectProperties, type SchemaMap } from "./json-schema.ts";

export const coreSchemas: SchemaMap = {
  "io.k8s.api.core.v1.Namespace": {
    description: "Namespace provides a scope for Names. Use of multiple namespaces is optional.",
    type: "object",
    properties: {
      ...objectProperties,
      spec: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.NamespaceSpec" },
        ],
        description: "Spec defines the behavior of the Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
      },
      status: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.NamespaceStatus" },
        ],
        description: "Status describes the current status of a Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
      },
    },
    "x-kubernetes-group-version-kind": [
      {
        group: "",
        kind: "Namespace",
        version: "v1",
      },
    ],
  },
  "io.k8s.api.core.v1.NamespaceSpec": {
    description: "NamespaceSpec describes the attributes on a Namespace.",
    type: "object",
    properties: {
      finalizers: {
        description: "Finalizers is an opaque list of values that must be empty to permanently remove object from storage. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/",
        type: "array",
        items: {
          type: "string",
        },
        "x-kubernetes-list-type": "atomic",
      },
    },
  },
  "io.k8s.api.core.v1.NamespaceStatus": {
    description: "NamespaceStatus is information about the current status of a Namespace.",
    type: "object",
    properties: {
      conditions: {
        description: "Represents the latest available observations of a namespace's current state.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.NamespaceCondition" },
        "x-kubernetes-list-map-keys": ["type"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "type",
        "x-kubernetes-patch-strategy": "merge",
      },
      phase: {
        description: "Phase is the current lifecycle phase of the namespace. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/",
        type: "string",
        enum: ["Active", "Terminating"],
      },
    },
  },
  "io.k8s.api.core.v1.NamespaceCondition": {
    description: "NamespaceCondition contains details about state of namespace.",
    type: "object",
    properties: {
      lastTransitionTime: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time" },
        ],
        description: "Last time the condition transitioned from one status to another.",
      },
      message: {
        description: "Human-readable message indicating details about last transition.",
        type: "string",
      },
      reason: {
        description: "Unique, one-word, CamelCase reason for the condition's last transition.",
        type: "string",
      },
      status: {
        description: "Status of the condition, one of True, False, Unknown.",
        type: "string",
      },
      type: {
        description: "Type of namespace controller condition.",
        type: "string",
      },
    },
    required: ["status", "type"],
  },
  "io.k8s.api.core.v1.ConfigMap": {
    description: "ConfigMap holds configuration data for pods to consume.",
    type: "object",
    properties: {
      apiVersion: apiVersionProperty,
      binaryData: {
        description: "BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'. BinaryData can contain byte sequences that are not in the UTF-8 range. The keys stored in BinaryData must not overlap with the ones in the Data field, this is enforced during validation process. Using this field will require 1.10+ apiserver and kubelet.",
        type: "object",
        additionalProperties: {
          type: "string",
          format: "byte",
        },
      },
      data: {
        description: "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
        type: "object",
        additionalProperties: {
          type: "string",
        },
      },
      immutable: {
        description: "Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.",
        type: "boolean",
      },
      kind: kindProperty,
      metadata: objectMetaProperty,
    },
    "x-kubernetes-group-version-kind": [
      {
        group: "",
        kind: "ConfigMap",
        version: "v1",
      },
    ],
  },
  "io.k8s.api.core.v1.Secret": {
    description: "Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.",
    type: "object",
    properties: {
      apiVersion: apiVersionProperty,
      data: {
        description: "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
        type: "object",
        additionalProperties: {
          type: "string",
          format: "byte",
        },
      },
      immutable: {
        description: "Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.",
        type: "boolean",
      },
      kind: kindProperty,
      metadata: objectMetaProperty,
      stringData: {
        description: "stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values. The stringData field is never output when reading from the API.",
        type: "object",
        additionalProperties: {
          type: "string",
        },
      },
      type: {
        description: "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types",
        type: "string",
      },
    },
    "x-kubernetes-group-version-kind": [
      {
        group: "",
        kind: "Secret",
        version: "v1",
      },
    ],
  },
  "io.k8s.api.core.v1.Event": {
    description: "Event is a report of an event somewhere in the cluster.  Events have a limited retention time and triggers and messages may evolve with time.  Event consumers should not rely on the timing of an event with a given Reason reflecting a consistent underlying trigger, or the continued existence of events with that Reason.  Events should be treated as informative, best-effort, supplemental data.",
    type: "object",
    properties: {
      action: {
        description: "What action was taken/failed regarding to the Regarding object.",
        type: "string",
      },
      apiVersion: apiVersionProperty,
      count: {
        description: "The number of times this event has occurred.",
        type: "integer",
        format: "int32",
      },
      eventTime: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" },
        ],
        description: "MicroTime is version of Time with microsecond level precision.",
      },
      firstTimestamp: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time" },
        ],
        description: "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)",
      },
      involvedObject: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ObjectReference" },
        ],
        description: "The object that this event is about.",
      },
      kind: kindProperty,
      lastTimestamp: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time" },
        ],
        description: "The time at which the most recent occurrence of this event was recorded.",
      },
      message: {
        description: "A human-readable description of the status of this operation.",
        type: "string",
      },
      metadata: objectMetaProperty,
      reason: {
        description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
        type: "string",
      },
      related: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ObjectReference" },
        ],
        description: "Optional secondary object for more complex actions.",
      },
      reportingComponent: {
        description: "Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.",
        type: "string",
      },
      reportingInstance: {
        description: "ID of the controller instance, e.g. `kubelet-xyzf`.",
        type: "string",
      },
      series: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.EventSeries" },
        ],
        description: "Data about the Event series this event represents or nil if it's a singleton Event.",
      },
      source: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.EventSource" },
        ],
        description: "The component reporting this event. Should be a short machine understandable string.",
      },
      type: {
        description: "Type of this event (Normal, Warning), new types could be added in the future",
        type: "string",
      },
    },
    required: ["involvedObject", "metadata"],
    "x-kubernetes-group-version-kind": [
      {
        group: "",
        kind: "Event",
        version: "v1",
      },
    ],
  },
  "io.k8s.api.core.v1.EventSource": {
    description: "EventSource contains information for an event.",
    type: "object",
    properties: {
      component: {
        description: "Component from which the event is generated.",
        type: "string",
      },
      host: {
        description: "Node name on which the event is generated.",
        type: "string",
      },
    },
  },
  "io.k8s.api.core.v1.EventSeries": {
    description: "EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.",
    type: "object",
    properties: {
      count: {
        description: "Number of occurrences in this series up to the last heartbeat time",
        type: "integer",
        format: "int32",
      },
      lastObservedTime: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" },
        ],
        description: "MicroTime is version of Time with microsecond level precision.",
      },
    },
  },
  "io.k8s.api.core.v1.ObjectReference": {
    description: "ObjectReference contains enough information to let you inspect or modify the referred object.",
    type: "object",
    properties: {
      apiVersion: {
        description: "API version of the referent.",
        type: "string",
      },
      fieldPath: {
        description: "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.",
        type: "string",
      },
      kind: {
        description: "Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
        type: "string",
      },
      name: {
        description: "Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
        type: "string",
      },
      namespace: {
        description: "Namespace of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",
        type: "string",
      },
      resourceVersion: {
        description: "Specific resourceVersion to which this reference is made, if any. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency",
        type: "string",
      },
      uid: {
        description: "UID of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#uids",
        type: "string",
      },
    },
    "x-kubernetes-map-type": "atomic",
  },
};
