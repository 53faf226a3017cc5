/**
 * @module
 * `io.k8s.api.core.v1.PodSpec` and `PodTemplateSpec`.
 * Follows Kubernetes v1.32 (the version `/version` reports); descriptions are its OpenAPI v3 ones
 * (api/openapi-spec/v3 at release-1.32), so `kubectl explain` prints real documentation.
 *
 * @example
 * podSpecSchemas["io.k8s.api.core.v1.PodSpec"].properties
 */
import { objectMetaProperty, type SchemaMap } from "./json-schema.ts";

export const podSpecSchemas: SchemaMap = {
  "io.k8s.api.core.v1.PodSpec": {
    description: "PodSpec is a description of a pod.",
    type: "object",
    properties: {
      activeDeadlineSeconds: {
        description: "Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers. Value must be a positive integer.",
        type: "integer",
        format: "int64",
      },
      affinity: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.Affinity" },
        ],
        description: "If specified, the pod's scheduling constraints",
      },
      automountServiceAccountToken: {
        description: "AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.",
        type: "boolean",
      },
      containers: {
        description: "List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.Container" },
        "x-kubernetes-list-map-keys": ["name"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "name",
        "x-kubernetes-patch-strategy": "merge",
      },
      dnsConfig: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.PodDNSConfig" },
        ],
        description: "Specifies the DNS parameters of a pod. Parameters specified here will be merged to the generated DNS configuration based on DNSPolicy.",
      },
      dnsPolicy: {
        description: "Set DNS policy for the pod. Defaults to \"ClusterFirst\". Valid values are 'ClusterFirstWithHostNet', 'ClusterFirst', 'Default' or 'None'. DNS parameters given in DNSConfig will be merged with the policy selected with DNSPolicy. To have DNS options set along with hostNetwork, you have to specify DNS policy explicitly to 'ClusterFirstWithHostNet'.",
        type: "string",
      },
      enableServiceLinks: {
        description: "EnableServiceLinks indicates whether information about services should be injected into pod's environment variables, matching the syntax of Docker links. Optional: Defaults to true.",
        type: "boolean",
      },
      hostAliases: {
        description: "HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file if specified.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.HostAlias" },
        "x-kubernetes-list-map-keys": ["ip"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "ip",
        "x-kubernetes-patch-strategy": "merge",
      },
      hostIPC: {
        description: "Use the host's ipc namespace. Optional: Default to false.",
        type: "boolean",
      },
      hostNetwork: {
        description: "Host networking requested for this pod. Use the host's network namespace. When using HostNetwork you should specify ports so the scheduler is aware. When `hostNetwork` is true, specified `hostPort` fields in port definitions must match `containerPort`, and unspecified `hostPort` fields in port definitions are defaulted to match `containerPort`. Default to false.",
        type: "boolean",
      },
      hostPID: {
        description: "Use the host's pid namespace. Optional: Default to false.",
        type: "boolean",
      },
      hostUsers: {
        description: "Use the host's user namespace. Optional: Default to true. If set to true or not present, the pod will be run in the host user namespace, useful for when the pod needs a feature only available to the host user namespace, such as loading a kernel module with CAP_SYS_MODULE. When set to false, a new userns is created for the pod. Setting false is useful for mitigating container breakout vulnerabilities even allowing users to run their containers as root without actually having root privileges on the host.",
        type: "boolean",
      },
      hostname: {
        description: "Specifies the hostname of the Pod If not specified, the pod's hostname will be set to a system-defined value.",
        type: "string",
      },
      hostnameOverride: {
        description: "HostnameOverride specifies an explicit override for the pod's hostname as perceived by the pod. This field only specifies the pod's hostname and does not affect its DNS records. When this field is set to a non-empty string: - It takes precedence over the values set in `hostname` and `subdomain`. - The Pod's hostname will be set to this value. - `setHostnameAsFQDN` must be nil or set to false. - `hostNetwork` must be set to false.\n\nThis field must be a valid DNS subdomain as defined in RFC 1123 and contain at most 64 characters. Requires the HostnameOverride feature gate to be enabled.",
        type: "string",
      },
      imagePullSecrets: {
        description: "ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec. If specified, these secrets will be passed to individual puller implementations for them to use. More info: https://kubernetes.io/docs/concepts/containers/images#specifying-imagepullsecrets-on-a-pod",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.LocalObjectReference" },
        "x-kubernetes-list-map-keys": ["name"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "name",
        "x-kubernetes-patch-strategy": "merge",
      },
      initContainers: {
        description: "List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started. If any init container fails, the pod is considered to have failed and is handled according to its restartPolicy. The name for an init container or normal container must be unique among all containers. Init containers may not have Lifecycle actions, Readiness probes, Liveness probes, or Startup probes. The resourceRequirements of an init container are taken into account during scheduling by finding the highest request/limit for each resource type, and then using the max of that value or the sum of the normal containers. Limits are applied to init containers in a similar fashion. Init containers cannot currently be added or removed. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/init-containers/",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.Container" },
        "x-kubernetes-list-map-keys": ["name"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "name",
        "x-kubernetes-patch-strategy": "merge",
      },
      nodeName: {
        description: "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename",
        type: "string",
      },
      nodeSelector: {
        description: "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
        type: "object",
        additionalProperties: {
          type: "string",
        },
        "x-kubernetes-map-type": "atomic",
      },
      os: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.PodOS" },
        ],
        description: "Specifies the OS of the containers in the pod. Some pod and container fields are restricted if this is set.\n\nIf the OS field is set to linux, the following fields must be unset: -securityContext.windowsOptions\n\nIf the OS field is set to windows, following fields must be unset: - spec.hostPID - spec.hostIPC - spec.hostUsers - spec.resources - spec.securityContext.appArmorProfile - spec.securityContext.seLinuxOptions - spec.securityContext.seccompProfile - spec.securityContext.fsGroup - spec.securityContext.fsGroupChangePolicy - spec.securityContext.sysctls - spec.shareProcessNamespace - spec.securityContext.runAsUser - spec.securityContext.runAsGroup - spec.securityContext.supplementalGroups - spec.securityContext.supplementalGroupsPolicy - spec.containers[*].securityContext.appArmorProfile - spec.containers[*].securityContext.seLinuxOptions - spec.containers[*].securityContext.seccompProfile - spec.containers[*].securityContext.capabilities - spec.containers[*].securityContext.readOnlyRootFilesystem - spec.containers[*].securityContext.privileged - spec.containers[*].securityContext.allowPrivilegeEscalation - spec.containers[*].securityContext.procMount - spec.containers[*].securityContext.runAsUser - spec.containers[*].securityContext.runAsGroup",
      },
      overhead: {
        description: "Overhead represents the resource overhead associated with running a pod for a given RuntimeClass. This field will be autopopulated at admission time by the RuntimeClass admission controller. If the RuntimeClass admission controller is enabled, overhead must not be set in Pod create requests. The RuntimeClass admission controller will reject Pod create requests which have the overhead already set. If RuntimeClass is configured and selected in the PodSpec, Overhead will be set to the value defined in the corresponding RuntimeClass, otherwise it will remain unset and treated as zero. More info: https://git.k8s.io/enhancements/keps/sig-node/688-pod-overhead/README.md",
        type: "object",
        additionalProperties: { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity" },
      },
      preemptionPolicy: {
        description: "PreemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.",
        type: "string",
      },
      priority: {
        description: "The priority value. Various system components use this field to find the priority of the pod. When Priority Admission Controller is enabled, it prevents users from setting this field. The admission controller populates this field from PriorityClassName. The higher the value, the higher the priority.",
        type: "integer",
        format: "int32",
      },
      priorityClassName: {
        description: "If specified, indicates the pod's priority. \"system-node-critical\" and \"system-cluster-critical\" are two special keywords which indicate the highest priorities with the former being the highest priority. Any other name must be defined by creating a PriorityClass object with that name. If not specified, the pod priority will be default or zero if there is no default.",
        type: "string",
      },
      readinessGates: {
        description: "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.PodReadinessGate" },
        "x-kubernetes-list-type": "atomic",
      },
      resourceClaims: {
        description: "ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start. The resources will be made available to those containers which consume them by name.\n\nThis is a stable field but requires that the DynamicResourceAllocation feature gate is enabled.\n\nThis field is immutable.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.PodResourceClaim" },
        "x-kubernetes-list-map-keys": ["name"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "name",
        "x-kubernetes-patch-strategy": "merge,retainKeys",
      },
      resources: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ResourceRequirements" },
        ],
        description: "Resources is the total amount of CPU and Memory resources required by all containers in the pod. It supports specifying Requests and Limits for \"cpu\", \"memory\" and \"hugepages-\" resource names only. ResourceClaims are not supported.\n\nThis field enables fine-grained control over resource allocation for the entire pod, allowing resource sharing among containers in a pod.\n\nThis is an alpha field and requires enabling the PodLevelResources feature gate.",
      },
      restartPolicy: {
        description: "Restart policy for all containers within the pod. One of Always, OnFailure, Never. In some contexts, only a subset of those values may be permitted. Default to Always. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy",
        type: "string",
        enum: ["Always", "Never", "OnFailure"],
      },
      runtimeClassName: {
        description: "RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod.  If no RuntimeClass resource matches the named class, the pod will not be run. If unset or empty, the \"legacy\" RuntimeClass will be used, which is an implicit class with an empty definition that uses the default runtime handler. More info: https://git.k8s.io/enhancements/keps/sig-node/585-runtime-class",
        type: "string",
      },
      schedulerName: {
        description: "If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler.",
        type: "string",
      },
      schedulingGates: {
        description: "SchedulingGates is an opaque list of values that if specified will block scheduling the pod. If schedulingGates is not empty, the pod will stay in the SchedulingGated state and the scheduler will not attempt to schedule the pod.\n\nSchedulingGates can only be set at pod creation time, and be removed only afterwards.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.PodSchedulingGate" },
        "x-kubernetes-list-map-keys": ["name"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "name",
        "x-kubernetes-patch-strategy": "merge",
      },
      securityContext: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.PodSecurityContext" },
        ],
        description: "SecurityContext holds pod-level security attributes and common container settings. Optional: Defaults to empty.  See type description for default values of each field.",
      },
      serviceAccount: {
        description: "DeprecatedServiceAccount is a deprecated alias for ServiceAccountName. Deprecated: Use serviceAccountName instead.",
        type: "string",
      },
      serviceAccountName: {
        description: "ServiceAccountName is the name of the ServiceAccount to use to run this pod. More info: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/",
        type: "string",
      },
      setHostnameAsFQDN: {
        description: "If true the pod's hostname will be configured as the pod's FQDN, rather than the leaf name (the default). In Linux containers, this means setting the FQDN in the hostname field of the kernel (the nodename field of struct utsname). In Windows containers, this means setting the registry value of hostname for the registry key HKEY_LOCAL_MACHINE\\\\SYSTEM\\\\CurrentControlSet\\\\Services\\\\Tcpip\\\\Parameters to FQDN. If a pod does not have FQDN, this has no effect. Default to false.",
        type: "boolean",
      },
      shareProcessNamespace: {
        description: "Share a single process namespace between all of the containers in a pod. When this is set containers will be able to view and signal processes from other containers in the same pod, and the first process in each container will not be assigned PID 1. HostPID and ShareProcessNamespace cannot both be set. Optional: Default to false.",
        type: "boolean",
      },
      subdomain: {
        description: "If specified, the fully qualified Pod hostname will be \"<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>\". If not specified, the pod will not have a domainname at all.",
        type: "string",
      },
      terminationGracePeriodSeconds: {
        description: "Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). If this value is nil, the default grace period will be used instead. The grace period is the duration in seconds after the processes running in the pod are sent a termination signal and the time when the processes are forcibly halted with a kill signal. Set this value longer than the expected cleanup time for your process. Defaults to 30 seconds.",
        type: "integer",
        format: "int64",
      },
      tolerations: {
        description: "If specified, the pod's tolerations.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.Toleration" },
        "x-kubernetes-list-type": "atomic",
      },
      topologySpreadConstraints: {
        description: "TopologySpreadConstraints describes how a group of pods ought to spread across topology domains. Scheduler will schedule pods in a way which abides by the constraints. All topologySpreadConstraints are ANDed.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.TopologySpreadConstraint" },
        "x-kubernetes-list-map-keys": ["topologyKey", "whenUnsatisfiable"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "topologyKey",
        "x-kubernetes-patch-strategy": "merge",
      },
      volumes: {
        description: "List of volumes that can be mounted by containers belonging to the pod. More info: https://kubernetes.io/docs/concepts/storage/volumes",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.Volume" },
        "x-kubernetes-list-map-keys": ["name"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "name",
        "x-kubernetes-patch-strategy": "merge,retainKeys",
      },
    },
    required: ["containers"],
  },
  "io.k8s.api.core.v1.PodTemplateSpec": {
    description: "PodTemplateSpec describes the data a pod should have when created from a template",
    type: "object",
    properties: {
      metadata: objectMetaProperty,
      spec: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.PodSpec" },
        ],
        description: "Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
      },
    },
  },
  "io.k8s.api.core.v1.PodDNSConfig": {
    description: "PodDNSConfig defines the DNS parameters of a pod in addition to those generated from DNSPolicy.",
    type: "object",
    properties: {
      nameservers: {
        description: "A list of DNS name server IP addresses. This will be appended to the base nameservers generated from DNSPolicy. Duplicated nameservers will be removed.",
        type: "array",
        items: {
          type: "string",
        },
        "x-kubernetes-list-type": "atomic",
      },
      options: {
        description: "A list of DNS resolver options. This will be merged with the base options generated from DNSPolicy. Duplicated entries will be removed. Resolution options given in Options will override those that appear in the base DNSPolicy.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.PodDNSConfigOption" },
        "x-kubernetes-list-type": "atomic",
      },
      searches: {
        description: "A list of DNS search domains for host-name lookup. This will be appended to the base search paths generated from DNSPolicy. Duplicated search paths will be removed.",
        type: "array",
        items: {
          type: "string",
        },
        "x-kubernetes-list-type": "atomic",
      },
    },
  },
  "io.k8s.api.core.v1.PodDNSConfigOption": {
    description: "PodDNSConfigOption defines DNS resolver options of a pod.",
    type: "object",
    properties: {
      name: {
        description: "Name is this DNS resolver option's name. Required.",
        type: "string",
      },
      value: {
        description: "Value is this DNS resolver option's value.",
        type: "string",
      },
    },
  },
  "io.k8s.api.core.v1.HostAlias": {
    description: "HostAlias holds the mapping between IP and hostnames that will be injected as an entry in the pod's hosts file.",
    type: "object",
    properties: {
      hostnames: {
        description: "Hostnames for the above IP address.",
        type: "array",
        items: {
          type: "string",
        },
        "x-kubernetes-list-type": "atomic",
      },
      ip: {
        description: "IP address of the host file entry.",
        type: "string",
      },
    },
    required: ["ip"],
  },
  "io.k8s.api.core.v1.PodOS": {
    description: "PodOS defines the OS parameters of a pod.",
    type: "object",
    properties: {
      name: {
        description: "Name is the name of the operating system. The currently supported values are linux and windows. Additional value may be defined in future and can be one of: https://github.com/opencontainers/runtime-spec/blob/master/config.md#platform-specific-configuration Clients should expect to handle additional values and treat unrecognized values in this field as os: null",
        type: "string",
      },
    },
    required: ["name"],
  },
  "io.k8s.api.core.v1.PodReadinessGate": {
    description: "PodReadinessGate contains the reference to a pod condition",
    type: "object",
    properties: {
      conditionType: {
        description: "ConditionType refers to a condition in the pod's condition list with matching type.",
        type: "string",
      },
    },
    required: ["conditionType"],
  },
  "io.k8s.api.core.v1.PodSchedulingGate": {
    description: "PodSchedulingGate is associated to a Pod to guard its scheduling.",
    type: "object",
    properties: {
      name: {
        description: "Name of the scheduling gate. Each scheduling gate must have a unique name field.",
        type: "string",
      },
    },
    required: ["name"],
  },
  "io.k8s.api.core.v1.PodResourceClaim": {
    description: "PodResourceClaim references exactly one ResourceClaim, either directly or by naming a ResourceClaimTemplate which is then turned into a ResourceClaim for the pod.\n\nIt adds a name to it that uniquely identifies the ResourceClaim inside the Pod. Containers that need access to the ResourceClaim reference it with this name.",
    type: "object",
    properties: {
      name: {
        description: "Name uniquely identifies this resource claim inside the pod. This must be a DNS_LABEL.",
        type: "string",
      },
      resourceClaimName: {
        description: "ResourceClaimName is the name of a ResourceClaim object in the same namespace as this pod.\n\nExactly one of ResourceClaimName and ResourceClaimTemplateName must be set.",
        type: "string",
      },
      resourceClaimTemplateName: {
        description: "ResourceClaimTemplateName is the name of a ResourceClaimTemplate object in the same namespace as this pod.\n\nThe template will be used to create a new ResourceClaim, which will be bound to this pod. When this pod is deleted, the ResourceClaim will also be deleted. The pod name and resource name, along with a generated component, will be used to form a unique name for the ResourceClaim, which will be recorded in pod.status.resourceClaimStatuses.\n\nThis field is immutable and no changes will be made to the corresponding ResourceClaim by the control plane after creating the ResourceClaim.\n\nExactly one of ResourceClaimName and ResourceClaimTemplateName must be set.",
        type: "string",
      },
    },
    required: ["name"],
  },
  "io.k8s.api.core.v1.LocalObjectReference": {
    description: "LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.",
    type: "object",
    properties: {
      name: {
        description: "Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
        type: "string",
      },
    },
    "x-kubernetes-map-type": "atomic",
  },
};
