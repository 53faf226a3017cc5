/**
 * @module
 * `io.k8s.api.core.v1.Pod` and its status.
 * Follows Kubernetes v1.32 (the version `/version` reports); descriptions are its OpenAPI v3 ones
 * (api/openapi-spec/v3 at release-1.32), so `kubectl explain` prints real documentation.
 *
 * @example
 * podSchemas["io.k8s.api.core.v1.Pod"].properties
 */
import { objectProperties, type SchemaMap } from "./json-schema.ts";

export const podSchemas: SchemaMap = {
  "io.k8s.api.core.v1.Pod": {
    description: "Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.",
    type: "object",
    properties: {
      ...objectProperties,
      spec: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.PodSpec" },
        ],
        description: "Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
      },
      status: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.PodStatus" },
        ],
        description: "Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
      },
    },
    "x-kubernetes-group-version-kind": [
      {
        group: "",
        kind: "Pod",
        version: "v1",
      },
    ],
  },
  "io.k8s.api.core.v1.PodStatus": {
    description: "PodStatus represents information about the status of a pod. Status may trail the actual state of a system, especially if the node that hosts the pod cannot contact the control plane.",
    type: "object",
    properties: {
      allocatedResources: {
        description: "AllocatedResources is the total requests allocated for this pod by the node. If pod-level requests are not set, this will be the total requests aggregated across containers in the pod.",
        type: "object",
        additionalProperties: { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity" },
      },
      conditions: {
        description: "Current service state of pod. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.PodCondition" },
        "x-kubernetes-list-map-keys": ["type"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "type",
        "x-kubernetes-patch-strategy": "merge",
      },
      containerStatuses: {
        description: "Statuses of containers in this pod. Each container in the pod should have at most one status in this list, and all statuses should be for containers in the pod. However this is not enforced. If a status for a non-existent container is present in the list, or the list has duplicate names, the behavior of various Kubernetes components is not defined and those statuses might be ignored. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-and-container-status",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.ContainerStatus" },
        "x-kubernetes-list-type": "atomic",
      },
      ephemeralContainerStatuses: {
        description: "Statuses for any ephemeral containers that have run in this pod. Each ephemeral container in the pod should have at most one status in this list, and all statuses should be for containers in the pod. However this is not enforced. If a status for a non-existent container is present in the list, or the list has duplicate names, the behavior of various Kubernetes components is not defined and those statuses might be ignored. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-and-container-status",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.ContainerStatus" },
        "x-kubernetes-list-type": "atomic",
      },
      hostIP: {
        description: "hostIP holds the IP address of the host to which the pod is assigned. Empty if the pod has not started yet. A pod can be assigned to a node that has a problem in kubelet which in turns mean that HostIP will not be updated even if there is a node is assigned to pod",
        type: "string",
      },
      hostIPs: {
        description: "hostIPs holds the IP addresses allocated to the host. If this field is specified, the first entry must match the hostIP field. This list is empty if the pod has not started yet. A pod can be assigned to a node that has a problem in kubelet which in turns means that HostIPs will not be updated even if there is a node is assigned to this pod.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.HostIP" },
        "x-kubernetes-list-type": "atomic",
        "x-kubernetes-patch-merge-key": "ip",
        "x-kubernetes-patch-strategy": "merge",
      },
      initContainerStatuses: {
        description: "Statuses of init containers in this pod. The most recent successful non-restartable init container will have ready = true, the most recently started container will have startTime set. Each init container in the pod should have at most one status in this list, and all statuses should be for containers in the pod. However this is not enforced. If a status for a non-existent container is present in the list, or the list has duplicate names, the behavior of various Kubernetes components is not defined and those statuses might be ignored. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-and-container-status",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.ContainerStatus" },
        "x-kubernetes-list-type": "atomic",
      },
      message: {
        description: "A human readable message indicating details about why the pod is in this condition.",
        type: "string",
      },
      nominatedNodeName: {
        description: "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.",
        type: "string",
      },
      observedGeneration: {
        description: "If set, this represents the .metadata.generation that the pod status was set based upon. The PodObservedGenerationTracking feature gate must be enabled to use this field.",
        type: "integer",
        format: "int64",
      },
      phase: {
        description: "The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle. The conditions array, the reason and message fields, and the individual container status arrays contain more detail about the pod's status. There are five possible phase values:  Pending: The pod has been accepted by the Kubernetes system, but one or more of the container images has not been created. This includes time before being scheduled as well as time spent downloading images over the network, which could take a while. Running: The pod has been bound to a node, and all of the containers have been created. At least one container is still running, or is in the process of starting or restarting. Succeeded: All containers in the pod have terminated in success, and will not be restarted. Failed: All containers in the pod have terminated, and at least one container has terminated in failure. The container either exited with non-zero status or was terminated by the system. Unknown: For some reason the state of the pod could not be obtained, typically due to an error in communicating with the host of the pod.  More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-phase",
        type: "string",
        enum: ["Failed", "Pending", "Running", "Succeeded", "Unknown"],
      },
      podIP: {
        description: "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.",
        type: "string",
      },
      podIPs: {
        description: "podIPs holds the IP addresses allocated to the pod. If this field is specified, the 0th entry must match the podIP field. Pods may be allocated at most 1 value for each of IPv4 and IPv6. This list is empty if no IPs have been allocated yet.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.PodIP" },
        "x-kubernetes-list-type": "atomic",
        "x-kubernetes-patch-merge-key": "ip",
        "x-kubernetes-patch-strategy": "merge",
      },
      qosClass: {
        description: "The Quality of Service (QOS) classification assigned to the pod based on resource requirements See PodQOSClass type for available QOS classes More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/#quality-of-service-classes",
        type: "string",
      },
      reason: {
        description: "A brief CamelCase message indicating details about why the pod is in this state. e.g. 'Evicted'",
        type: "string",
      },
      resize: {
        description: "Status of resources resize desired for pod's containers. It is empty if no resources resize is pending. Any changes to container resources will automatically set this to \"Proposed\" Deprecated: Resize status is moved to two pod conditions PodResizePending and PodResizeInProgress. PodResizePending will track states where the spec has been resized, but the Kubelet has not yet allocated the resources. PodResizeInProgress will track in-progress resizes, and should be present whenever allocated resources != acknowledged resources.",
        type: "string",
      },
      resources: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ResourceRequirements" },
        ],
        description: "Resources represents the compute resource requests and limits that have been applied at the pod level if pod-level requests or limits are set in PodSpec.Resources",
      },
      startTime: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time" },
        ],
        description: "RFC 3339 date and time at which the object was acknowledged by the Kubelet. This is before the Kubelet pulled the container image(s) for the pod.",
      },
    },
  },
  "io.k8s.api.core.v1.PodCondition": {
    description: "PodCondition contains details for the current condition of this pod.",
    type: "object",
    properties: {
      lastProbeTime: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time" },
        ],
        description: "Last time we probed the condition.",
      },
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
      observedGeneration: {
        description: "If set, this represents the .metadata.generation that the pod condition was set based upon.",
        type: "integer",
        format: "int64",
      },
      reason: {
        description: "Unique, one-word, CamelCase reason for the condition's last transition.",
        type: "string",
      },
      status: {
        description: "Status is the status of the condition. Can be True, False, Unknown. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions",
        type: "string",
      },
      type: {
        description: "Type is the type of the condition. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions",
        type: "string",
      },
    },
    required: ["status", "type"],
  },
  "io.k8s.api.core.v1.PodIP": {
    description: "PodIP represents a single IP address allocated to the pod.",
    type: "object",
    properties: {
      ip: {
        description: "IP is the IP address assigned to the pod",
        type: "string",
      },
    },
    required: ["ip"],
  },
  "io.k8s.api.core.v1.HostIP": {
    description: "HostIP represents a single IP address allocated to the host.",
    type: "object",
    properties: {
      ip: {
        description: "IP is the IP address assigned to the host",
        type: "string",
      },
    },
    required: ["ip"],
  },
  "io.k8s.api.core.v1.ContainerStatus": {
    description: "ContainerStatus contains details for the current status of this container.",
    type: "object",
    properties: {
      allocatedResources: {
        description: "AllocatedResources represents the compute resources allocated for this container by the node. Kubelet sets this value to Container.Resources.Requests upon successful pod admission and after successfully admitting desired pod resize.",
        type: "object",
        additionalProperties: { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity" },
      },
      containerID: {
        description: "ContainerID is the ID of the container in the format '<type>://<container_id>'. Where type is a container runtime identifier, returned from Version call of CRI API (for example \"containerd\").",
        type: "string",
      },
      image: {
        description: "Image is the name of container image that the container is running. The container image may not match the image used in the PodSpec, as it may have been resolved by the runtime. More info: https://kubernetes.io/docs/concepts/containers/images.",
        type: "string",
      },
      imageID: {
        description: "ImageID is the image ID of the container's image. The image ID may not match the image ID of the image used in the PodSpec, as it may have been resolved by the runtime.",
        type: "string",
      },
      lastState: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ContainerState" },
        ],
        description: "LastTerminationState holds the last termination state of the container to help debug container crashes and restarts. This field is not populated if the container is still running and RestartCount is 0.",
      },
      name: {
        description: "Name is a DNS_LABEL representing the unique name of the container. Each container in a pod must have a unique name across all container types. Cannot be updated.",
        type: "string",
      },
      ready: {
        description: "Ready specifies whether the container is currently passing its readiness check. The value will change as readiness probes keep executing. If no readiness probes are specified, this field defaults to true once the container is fully started (see Started field).\n\nThe value is typically used to determine whether a container is ready to accept traffic.",
        type: "boolean",
      },
      resources: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ResourceRequirements" },
        ],
        description: "Resources represents the compute resource requests and limits that have been successfully enacted on the running container after it has been started or has been successfully resized.",
      },
      restartCount: {
        description: "RestartCount holds the number of times the container has been restarted. Kubelet makes an effort to always increment the value, but there are cases when the state may be lost due to node restarts and then the value may be reset to 0. The value is never negative.",
        type: "integer",
        format: "int32",
      },
      started: {
        description: "Started indicates whether the container has finished its postStart lifecycle hook and passed its startup probe. Initialized as false, becomes true after startupProbe is considered successful. Resets to false when the container is restarted, or if kubelet loses state temporarily. In both cases, startup probes will run again. Is always true when no startupProbe is defined and container is running and has passed the postStart lifecycle hook. The null value must be treated the same as false.",
        type: "boolean",
      },
      state: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ContainerState" },
        ],
        description: "State holds details about the container's current condition.",
      },
      stopSignal: {
        description: "StopSignal reports the effective stop signal for this container",
        type: "string",
      },
    },
    required: ["image", "imageID", "name", "ready", "restartCount"],
  },
  "io.k8s.api.core.v1.ContainerState": {
    description: "ContainerState holds a possible state of container. Only one of its members may be specified. If none of them is specified, the default one is ContainerStateWaiting.",
    type: "object",
    properties: {
      running: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ContainerStateRunning" },
        ],
        description: "Details about a running container",
      },
      terminated: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ContainerStateTerminated" },
        ],
        description: "Details about a terminated container",
      },
      waiting: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ContainerStateWaiting" },
        ],
        description: "Details about a waiting container",
      },
    },
  },
  "io.k8s.api.core.v1.ContainerStateRunning": {
    description: "ContainerStateRunning is a running state of a container.",
    type: "object",
    properties: {
      startedAt: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time" },
        ],
        description: "Time at which the container was last (re-)started",
      },
    },
  },
  "io.k8s.api.core.v1.ContainerStateTerminated": {
    description: "ContainerStateTerminated is a terminated state of a container.",
    type: "object",
    properties: {
      containerID: {
        description: "Container's ID in the format '<type>://<container_id>'",
        type: "string",
      },
      exitCode: {
        description: "Exit status from the last termination of the container",
        type: "integer",
        format: "int32",
      },
      finishedAt: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time" },
        ],
        description: "Time at which the container last terminated",
      },
      message: {
        description: "Message regarding the last termination of the container",
        type: "string",
      },
      reason: {
        description: "(brief) reason from the last termination of the container",
        type: "string",
      },
      signal: {
        description: "Signal from the last termination of the container",
        type: "integer",
        format: "int32",
      },
      startedAt: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time" },
        ],
        description: "Time at which previous execution of the container started",
      },
    },
    required: ["exitCode"],
  },
  "io.k8s.api.core.v1.ContainerStateWaiting": {
    description: "ContainerStateWaiting is a waiting state of a container.",
    type: "object",
    properties: {
      message: {
        description: "Message regarding why the container is not yet running.",
        type: "string",
      },
      reason: {
        description: "(brief) reason the container is not yet running.",
        type: "string",
      },
    },
  },
};
