/**
 * @module
 * `io.k8s.api.core.v1.Node`: spec (taints) and status as the agent reports it.
 * Follows Kubernetes v1.32 (the version `/version` reports); descriptions are its OpenAPI v3 ones
 * (api/openapi-spec/v3 at release-1.32), so `kubectl explain` prints real documentation.
 *
 * @example
 * nodeSchemas["io.k8s.api.core.v1.Node"].properties
 */
import { objectProperties, type SchemaMap } from "./json-schema.ts";

export const nodeSchemas: SchemaMap = {
  "io.k8s.api.core.v1.Node": {
    description: "Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).",
    type: "object",
    properties: {
      ...objectProperties,
      spec: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.NodeSpec" },
        ],
        description: "Spec defines the behavior of a node. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
      },
      status: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.NodeStatus" },
        ],
        description: "Most recently observed status of the node. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
      },
    },
    "x-kubernetes-group-version-kind": [
      {
        group: "",
        kind: "Node",
        version: "v1",
      },
    ],
  },
  "io.k8s.api.core.v1.NodeSpec": {
    description: "NodeSpec describes the attributes that a node is created with.",
    type: "object",
    properties: {
      externalID: {
        description: "Deprecated. Not all kubelets will set this field. Remove field after 1.13. see: https://issues.k8s.io/61966",
        type: "string",
      },
      podCIDR: {
        description: "PodCIDR represents the pod IP range assigned to the node.",
        type: "string",
      },
      podCIDRs: {
        description: "podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node. If this field is specified, the 0th entry must match the podCIDR field. It may contain at most 1 value for each of IPv4 and IPv6.",
        type: "array",
        items: {
          type: "string",
        },
        "x-kubernetes-list-type": "set",
        "x-kubernetes-patch-strategy": "merge",
      },
      providerID: {
        description: "ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>",
        type: "string",
      },
      taints: {
        description: "If specified, the node's taints.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.Taint" },
        "x-kubernetes-list-type": "atomic",
      },
      unschedulable: {
        description: "Unschedulable controls node schedulability of new pods. By default, node is schedulable. More info: https://kubernetes.io/docs/concepts/nodes/node/#manual-node-administration",
        type: "boolean",
      },
    },
  },
  "io.k8s.api.core.v1.NodeStatus": {
    description: "NodeStatus is information about the current status of a node.",
    type: "object",
    properties: {
      addresses: {
        description: "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.NodeAddress" },
        "x-kubernetes-list-map-keys": ["type"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "type",
        "x-kubernetes-patch-strategy": "merge",
      },
      allocatable: {
        description: "Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity.",
        type: "object",
        additionalProperties: { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity" },
      },
      capacity: {
        description: "Capacity represents the total resources of a node. More info: https://kubernetes.io/docs/reference/node/node-status/#capacity",
        type: "object",
        additionalProperties: { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity" },
      },
      conditions: {
        description: "Conditions is an array of current observed node conditions. More info: https://kubernetes.io/docs/reference/node/node-status/#condition",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.NodeCondition" },
        "x-kubernetes-list-map-keys": ["type"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "type",
        "x-kubernetes-patch-strategy": "merge",
      },
      daemonEndpoints: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.NodeDaemonEndpoints" },
        ],
        description: "Endpoints of daemons running on the Node.",
      },
      declaredFeatures: {
        description: "DeclaredFeatures represents the features related to feature gates that are declared by the node.",
        type: "array",
        items: {
          type: "string",
        },
      },
      images: {
        description: "List of container images on this node",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.ContainerImage" },
        "x-kubernetes-list-type": "atomic",
      },
      nodeInfo: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.NodeSystemInfo" },
        ],
        description: "Set of ids/uuids to uniquely identify the node. More info: https://kubernetes.io/docs/concepts/nodes/node/#info",
      },
      phase: {
        description: "NodePhase is the recently observed lifecycle phase of the node. More info: https://kubernetes.io/docs/concepts/nodes/node/#phase The field is never populated, and now is deprecated.",
        type: "string",
      },
      volumesAttached: {
        description: "List of volumes that are attached to the node.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.AttachedVolume" },
        "x-kubernetes-list-type": "atomic",
      },
      volumesInUse: {
        description: "List of attachable volumes in use (mounted) by the node.",
        type: "array",
        items: {
          type: "string",
        },
        "x-kubernetes-list-type": "atomic",
      },
    },
  },
  "io.k8s.api.core.v1.Taint": {
    description: "The node this Taint is attached to has the \"effect\" on any pod that does not tolerate the Taint.",
    type: "object",
    properties: {
      effect: {
        description: "Required. The effect of the taint on pods that do not tolerate the taint. Valid effects are NoSchedule, PreferNoSchedule and NoExecute.",
        type: "string",
        enum: ["NoExecute", "NoSchedule", "PreferNoSchedule"],
      },
      key: {
        description: "Required. The taint key to be applied to a node.",
        type: "string",
      },
      timeAdded: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time" },
        ],
        description: "TimeAdded represents the time at which the taint was added.",
      },
      value: {
        description: "The taint value corresponding to the taint key.",
        type: "string",
      },
    },
    required: ["effect", "key"],
  },
  "io.k8s.api.core.v1.NodeCondition": {
    description: "NodeCondition contains condition information for a node.",
    type: "object",
    properties: {
      lastHeartbeatTime: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time" },
        ],
        description: "Last time we got an update on a given condition.",
      },
      lastTransitionTime: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time" },
        ],
        description: "Last time the condition transit from one status to another.",
      },
      message: {
        description: "Human readable message indicating details about last transition.",
        type: "string",
      },
      reason: {
        description: "(brief) reason for the condition's last transition.",
        type: "string",
      },
      status: {
        description: "Status of the condition, one of True, False, Unknown.",
        type: "string",
      },
      type: {
        description: "Type of node condition.",
        type: "string",
      },
    },
    required: ["status", "type"],
  },
  "io.k8s.api.core.v1.NodeAddress": {
    description: "NodeAddress contains information for the node's address.",
    type: "object",
    properties: {
      address: {
        description: "The node address.",
        type: "string",
      },
      type: {
        description: "Node address type, one of Hostname, ExternalIP or InternalIP.",
        type: "string",
      },
    },
    required: ["address", "type"],
  },
  "io.k8s.api.core.v1.NodeSystemInfo": {
    description: "NodeSystemInfo is a set of ids/uuids to uniquely identify the node.",
    type: "object",
    properties: {
      architecture: {
        description: "The Architecture reported by the node",
        type: "string",
      },
      bootID: {
        description: "Boot ID reported by the node.",
        type: "string",
      },
      containerRuntimeVersion: {
        description: "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).",
        type: "string",
      },
      kernelVersion: {
        description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
        type: "string",
      },
      kubeProxyVersion: {
        description: "Deprecated: KubeProxy Version reported by the node.",
        type: "string",
      },
      kubeletVersion: {
        description: "Kubelet Version reported by the node.",
        type: "string",
      },
      machineID: {
        description: "MachineID reported by the node. For unique machine identification in the cluster this field is preferred. Learn more from man(5) machine-id: http://man7.org/linux/man-pages/man5/machine-id.5.html",
        type: "string",
      },
      operatingSystem: {
        description: "The Operating System reported by the node",
        type: "string",
      },
      osImage: {
        description: "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).",
        type: "string",
      },
      systemUUID: {
        description: "SystemUUID reported by the node. For unique machine identification MachineID is preferred. This field is specific to Red Hat hosts https://access.redhat.com/documentation/en-us/red_hat_subscription_management/1/html/rhsm/uuid",
        type: "string",
      },
    },
    required: ["architecture", "bootID", "containerRuntimeVersion", "kernelVersion", "kubeProxyVersion", "kubeletVersion", "machineID", "operatingSystem", "osImage", "systemUUID"],
  },
  "io.k8s.api.core.v1.NodeDaemonEndpoints": {
    description: "NodeDaemonEndpoints lists ports opened by daemons running on the Node.",
    type: "object",
    properties: {
      kubeletEndpoint: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.DaemonEndpoint" },
        ],
        description: "Endpoint on which Kubelet is listening.",
      },
    },
  },
  "io.k8s.api.core.v1.DaemonEndpoint": {
    description: "DaemonEndpoint contains information about a single Daemon endpoint.",
    type: "object",
    properties: {
      Port: {
        description: "Port number of the given endpoint.",
        type: "integer",
        format: "int32",
      },
    },
    required: ["Port"],
  },
  "io.k8s.api.core.v1.ContainerImage": {
    description: "Describe a container image",
    type: "object",
    properties: {
      names: {
        description: "Names by which this image is known. e.g. [\"kubernetes.example/hyperkube:v1.0.7\", \"cloud-vendor.registry.example/cloud-vendor/hyperkube:v1.0.7\"]",
        type: "array",
        items: {
          type: "string",
        },
        "x-kubernetes-list-type": "atomic",
      },
      sizeBytes: {
        description: "The size of the image in bytes.",
        type: "integer",
        format: "int64",
      },
    },
  },
  "io.k8s.api.core.v1.AttachedVolume": {
    description: "AttachedVolume describes a volume attached to a node",
    type: "object",
    properties: {
      devicePath: {
        description: "DevicePath represents the device path where the volume should be available",
        type: "string",
      },
      name: {
        description: "Name of the attached volume",
        type: "string",
      },
    },
    required: ["devicePath", "name"],
  },
};
