/**
 * @module
 * Container and its parts (ports, env, resources, mounts): `io.k8s.api.core.v1.Container` and friends.
 * Follows Kubernetes v1.32 (the version `/version` reports); descriptions are its OpenAPI v3 ones
 * (api/openapi-spec/v3 at release-1.32), so `kubectl explain` prints real documentation.
 *
 * @example
 * containerSchemas["io.k8s.api.core.v1.Container"].properties
 */
import type { SchemaMap } from "./json-schema.ts";

export const containerSchemas: SchemaMap = {
  "io.k8s.api.core.v1.Container": {
    description: "A single application container that you want to run within a pod.",
    type: "object",
    properties: {
      args: {
        description: "Arguments to the entrypoint. The container image's CMD is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container's environment. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. \"$$(VAR_NAME)\" will produce the string literal \"$(VAR_NAME)\". Escaped references will never be expanded, regardless of whether the variable exists or not. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell",
        type: "array",
        items: {
          type: "string",
        },
        "x-kubernetes-list-type": "atomic",
      },
      command: {
        description: "Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container's environment. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. \"$$(VAR_NAME)\" will produce the string literal \"$(VAR_NAME)\". Escaped references will never be expanded, regardless of whether the variable exists or not. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell",
        type: "array",
        items: {
          type: "string",
        },
        "x-kubernetes-list-type": "atomic",
      },
      env: {
        description: "List of environment variables to set in the container. Cannot be updated.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.EnvVar" },
        "x-kubernetes-list-map-keys": ["name"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "name",
        "x-kubernetes-patch-strategy": "merge",
      },
      envFrom: {
        description: "List of sources to populate environment variables in the container. The keys defined within a source may consist of any printable ASCII characters except '='. When a key exists in multiple sources, the value associated with the last source will take precedence. Values defined by an Env with a duplicate key will take precedence. Cannot be updated.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.EnvFromSource" },
        "x-kubernetes-list-type": "atomic",
      },
      image: {
        description: "Container image name. More info: https://kubernetes.io/docs/concepts/containers/images This field is optional to allow higher level config management to default or override container images in workload controllers like Deployments and StatefulSets.",
        type: "string",
      },
      imagePullPolicy: {
        description: "Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated. More info: https://kubernetes.io/docs/concepts/containers/images#updating-images",
        type: "string",
        enum: ["Always", "IfNotPresent", "Never"],
      },
      lifecycle: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.Lifecycle" },
        ],
        description: "Actions that the management system should take in response to container lifecycle events. Cannot be updated.",
      },
      livenessProbe: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.Probe" },
        ],
        description: "Periodic probe of container liveness. Container will be restarted if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes",
      },
      name: {
        description: "Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.",
        type: "string",
      },
      ports: {
        description: "List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed. Any port which is listening on the default \"0.0.0.0\" address inside a container will be accessible from the network. Modifying this array with strategic merge patch may corrupt the data. For more information See https://github.com/kubernetes/kubernetes/issues/108255. Cannot be updated.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.ContainerPort" },
        "x-kubernetes-list-map-keys": ["containerPort", "protocol"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "containerPort",
        "x-kubernetes-patch-strategy": "merge",
      },
      readinessProbe: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.Probe" },
        ],
        description: "Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes",
      },
      resizePolicy: {
        description: "Resources resize policy for the container. This field cannot be set on ephemeral containers.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.ContainerResizePolicy" },
        "x-kubernetes-list-type": "atomic",
      },
      resources: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ResourceRequirements" },
        ],
        description: "Compute Resources required by this container. Cannot be updated. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
      },
      restartPolicy: {
        description: "RestartPolicy defines the restart behavior of individual containers in a pod. This overrides the pod-level restart policy. When this field is not specified, the restart behavior is defined by the Pod's restart policy and the container type. Additionally, setting the RestartPolicy as \"Always\" for the init container will have the following effect: this init container will be continually restarted on exit until all regular containers have terminated. Once all regular containers have completed, all init containers with restartPolicy \"Always\" will be shut down. This lifecycle differs from normal init containers and is often referred to as a \"sidecar\" container. Although this init container still starts in the init container sequence, it does not wait for the container to complete before proceeding to the next init container. Instead, the next init container starts immediately after this init container is started, or after any startupProbe has successfully completed.",
        type: "string",
      },
      restartPolicyRules: {
        description: "Represents a list of rules to be checked to determine if the container should be restarted on exit. The rules are evaluated in order. Once a rule matches a container exit condition, the remaining rules are ignored. If no rule matches the container exit condition, the Container-level restart policy determines the whether the container is restarted or not. Constraints on the rules: - At most 20 rules are allowed. - Rules can have the same action. - Identical rules are not forbidden in validations. When rules are specified, container MUST set RestartPolicy explicitly even it if matches the Pod's RestartPolicy.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.ContainerRestartRule" },
        "x-kubernetes-list-type": "atomic",
      },
      securityContext: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.SecurityContext" },
        ],
        description: "SecurityContext defines the security options the container should be run with. If set, the fields of SecurityContext override the equivalent fields of PodSecurityContext. More info: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
      },
      startupProbe: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.Probe" },
        ],
        description: "StartupProbe indicates that the Pod has successfully initialized. If specified, no other probes are executed until this completes successfully. If this probe fails, the Pod will be restarted, just as if the livenessProbe failed. This can be used to provide different probe parameters at the beginning of a Pod's lifecycle, when it might take a long time to load data or warm a cache, than during steady-state operation. This cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes",
      },
      stdin: {
        description: "Whether this container should allocate a buffer for stdin in the container runtime. If this is not set, reads from stdin in the container will always result in EOF. Default is false.",
        type: "boolean",
      },
      stdinOnce: {
        description: "Whether the container runtime should close the stdin channel after it has been opened by a single attach. When stdin is true the stdin stream will remain open across multiple attach sessions. If stdinOnce is set to true, stdin is opened on container start, is empty until the first client attaches to stdin, and then remains open and accepts data until the client disconnects, at which time stdin is closed and remains closed until the container is restarted. If this flag is false, a container processes that reads from stdin will never receive an EOF. Default is false",
        type: "boolean",
      },
      terminationMessagePath: {
        description: "Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem. Message written is intended to be brief final status, such as an assertion failure message. Will be truncated by the node if greater than 4096 bytes. The total message length across all containers will be limited to 12kb. Defaults to /dev/termination-log. Cannot be updated.",
        type: "string",
      },
      terminationMessagePolicy: {
        description: "Indicate how the termination message should be populated. File will use the contents of terminationMessagePath to populate the container status message on both success and failure. FallbackToLogsOnError will use the last chunk of container log output if the termination message file is empty and the container exited with an error. The log output is limited to 2048 bytes or 80 lines, whichever is smaller. Defaults to File. Cannot be updated.",
        type: "string",
      },
      tty: {
        description: "Whether this container should allocate a TTY for itself, also requires 'stdin' to be true. Default is false.",
        type: "boolean",
      },
      volumeDevices: {
        description: "volumeDevices is the list of block devices to be used by the container.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.VolumeDevice" },
        "x-kubernetes-list-map-keys": ["devicePath"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "devicePath",
        "x-kubernetes-patch-strategy": "merge",
      },
      volumeMounts: {
        description: "Pod volumes to mount into the container's filesystem. Cannot be updated.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.VolumeMount" },
        "x-kubernetes-list-map-keys": ["mountPath"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "mountPath",
        "x-kubernetes-patch-strategy": "merge",
      },
      workingDir: {
        description: "Container's working directory. If not specified, the container runtime's default will be used, which might be configured in the container image. Cannot be updated.",
        type: "string",
      },
    },
    required: ["name"],
  },
  "io.k8s.api.core.v1.ContainerPort": {
    description: "ContainerPort represents a network port in a single container.",
    type: "object",
    properties: {
      containerPort: {
        description: "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.",
        type: "integer",
        format: "int32",
      },
      hostIP: {
        description: "What host IP to bind the external port to.",
        type: "string",
      },
      hostPort: {
        description: "Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536. If HostNetwork is specified, this must match ContainerPort. Most containers do not need this.",
        type: "integer",
        format: "int32",
      },
      name: {
        description: "If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name. Name for the port that can be referred to by services.",
        type: "string",
      },
      protocol: {
        description: "Protocol for port. Must be UDP, TCP, or SCTP. Defaults to \"TCP\".",
        type: "string",
        enum: ["SCTP", "TCP", "UDP"],
      },
    },
    required: ["containerPort"],
  },
  "io.k8s.api.core.v1.EnvVar": {
    description: "EnvVar represents an environment variable present in a Container.",
    type: "object",
    properties: {
      name: {
        description: "Name of the environment variable. May consist of any printable ASCII characters except '='.",
        type: "string",
      },
      value: {
        description: "Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. \"$$(VAR_NAME)\" will produce the string literal \"$(VAR_NAME)\". Escaped references will never be expanded, regardless of whether the variable exists or not. Defaults to \"\".",
        type: "string",
      },
      valueFrom: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.EnvVarSource" },
        ],
        description: "Source for the environment variable's value. Cannot be used if value is not empty.",
      },
    },
    required: ["name"],
  },
  "io.k8s.api.core.v1.EnvVarSource": {
    description: "EnvVarSource represents a source for the value of an EnvVar.",
    type: "object",
    properties: {
      configMapKeyRef: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ConfigMapKeySelector" },
        ],
        description: "Selects a key of a ConfigMap.",
      },
      fieldRef: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ObjectFieldSelector" },
        ],
        description: "Selects a field of the pod: supports metadata.name, metadata.namespace, `metadata.labels['<KEY>']`, `metadata.annotations['<KEY>']`, spec.nodeName, spec.serviceAccountName, status.hostIP, status.podIP, status.podIPs.",
      },
      fileKeyRef: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.FileKeySelector" },
        ],
        description: "FileKeyRef selects a key of the env file. Requires the EnvFiles feature gate to be enabled.",
      },
      resourceFieldRef: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ResourceFieldSelector" },
        ],
        description: "Selects a resource of the container: only resources limits and requests (limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory and requests.ephemeral-storage) are currently supported.",
      },
      secretKeyRef: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.SecretKeySelector" },
        ],
        description: "Selects a key of a secret in the pod's namespace",
      },
    },
  },
  "io.k8s.api.core.v1.EnvFromSource": {
    description: "EnvFromSource represents the source of a set of ConfigMaps or Secrets",
    type: "object",
    properties: {
      configMapRef: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ConfigMapEnvSource" },
        ],
        description: "The ConfigMap to select from",
      },
      prefix: {
        description: "Optional text to prepend to the name of each environment variable. May consist of any printable ASCII characters except '='.",
        type: "string",
      },
      secretRef: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.SecretEnvSource" },
        ],
        description: "The Secret to select from",
      },
    },
  },
  "io.k8s.api.core.v1.ConfigMapEnvSource": {
    description: "ConfigMapEnvSource selects a ConfigMap to populate the environment variables with.\n\nThe contents of the target ConfigMap's Data field will represent the key-value pairs as environment variables.",
    type: "object",
    properties: {
      name: {
        description: "Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
        type: "string",
      },
      optional: {
        description: "Specify whether the ConfigMap must be defined",
        type: "boolean",
      },
    },
  },
  "io.k8s.api.core.v1.SecretEnvSource": {
    description: "SecretEnvSource selects a Secret to populate the environment variables with.\n\nThe contents of the target Secret's Data field will represent the key-value pairs as environment variables.",
    type: "object",
    properties: {
      name: {
        description: "Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
        type: "string",
      },
      optional: {
        description: "Specify whether the Secret must be defined",
        type: "boolean",
      },
    },
  },
  "io.k8s.api.core.v1.ConfigMapKeySelector": {
    description: "Selects a key from a ConfigMap.",
    type: "object",
    properties: {
      key: {
        description: "The key to select.",
        type: "string",
      },
      name: {
        description: "Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
        type: "string",
      },
      optional: {
        description: "Specify whether the ConfigMap or its key must be defined",
        type: "boolean",
      },
    },
    required: ["key"],
    "x-kubernetes-map-type": "atomic",
  },
  "io.k8s.api.core.v1.SecretKeySelector": {
    description: "SecretKeySelector selects a key of a Secret.",
    type: "object",
    properties: {
      key: {
        description: "The key of the secret to select from.  Must be a valid secret key.",
        type: "string",
      },
      name: {
        description: "Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
        type: "string",
      },
      optional: {
        description: "Specify whether the Secret or its key must be defined",
        type: "boolean",
      },
    },
    required: ["key"],
    "x-kubernetes-map-type": "atomic",
  },
  "io.k8s.api.core.v1.FileKeySelector": {
    description: "FileKeySelector selects a key of the env file.",
    type: "object",
    properties: {
      key: {
        description: "The key within the env file. An invalid key will prevent the pod from starting. The keys defined within a source may consist of any printable ASCII characters except '='. During Alpha stage of the EnvFiles feature gate, the key size is limited to 128 characters.",
        type: "string",
      },
      optional: {
        description: "Specify whether the file or its key must be defined. If the file or key does not exist, then the env var is not published. If optional is set to true and the specified key does not exist, the environment variable will not be set in the Pod's containers.\n\nIf optional is set to false and the specified key does not exist, an error will be returned during Pod creation.",
        type: "boolean",
      },
      path: {
        description: "The path within the volume from which to select the file. Must be relative and may not contain the '..' path or start with '..'.",
        type: "string",
      },
      volumeName: {
        description: "The name of the volume mount containing the env file.",
        type: "string",
      },
    },
    required: ["key", "path", "volumeName"],
    "x-kubernetes-map-type": "atomic",
  },
  "io.k8s.api.core.v1.ObjectFieldSelector": {
    description: "ObjectFieldSelector selects an APIVersioned field of an object.",
    type: "object",
    properties: {
      apiVersion: {
        description: "Version of the schema the FieldPath is written in terms of, defaults to \"v1\".",
        type: "string",
      },
      fieldPath: {
        description: "Path of the field to select in the specified API version.",
        type: "string",
      },
    },
    required: ["fieldPath"],
    "x-kubernetes-map-type": "atomic",
  },
  "io.k8s.api.core.v1.ResourceFieldSelector": {
    description: "ResourceFieldSelector represents container resources (cpu, memory) and their output format",
    type: "object",
    properties: {
      containerName: {
        description: "Container name: required for volumes, optional for env vars",
        type: "string",
      },
      divisor: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity" },
        ],
        description: "Specifies the output format of the exposed resources, defaults to \"1\"",
      },
      resource: {
        description: "Required: resource to select",
        type: "string",
      },
    },
    required: ["resource"],
    "x-kubernetes-map-type": "atomic",
  },
  "io.k8s.api.core.v1.ResourceRequirements": {
    description: "ResourceRequirements describes the compute resource requirements.",
    type: "object",
    properties: {
      claims: {
        description: "Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.\n\nThis field depends on the DynamicResourceAllocation feature gate.\n\nThis field is immutable. It can only be set for containers.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.ResourceClaim" },
        "x-kubernetes-list-map-keys": ["name"],
        "x-kubernetes-list-type": "map",
      },
      limits: {
        description: "Limits describes the maximum amount of compute resources allowed. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
        type: "object",
        additionalProperties: { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity" },
      },
      requests: {
        description: "Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value. Requests cannot exceed Limits. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
        type: "object",
        additionalProperties: { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity" },
      },
    },
  },
  "io.k8s.api.core.v1.ResourceClaim": {
    description: "ResourceClaim references one entry in PodSpec.ResourceClaims.",
    type: "object",
    properties: {
      name: {
        description: "Name must match the name of one entry in pod.spec.resourceClaims of the Pod where this field is used. It makes that resource available inside a container.",
        type: "string",
      },
      request: {
        description: "Request is the name chosen for a request in the referenced claim. If empty, everything from the claim is made available, otherwise only the result of this request.",
        type: "string",
      },
    },
    required: ["name"],
  },
  "io.k8s.api.core.v1.ContainerResizePolicy": {
    description: "ContainerResizePolicy represents resource resize policy for the container.",
    type: "object",
    properties: {
      resourceName: {
        description: "Name of the resource to which this resource resize policy applies. Supported values: cpu, memory.",
        type: "string",
      },
      restartPolicy: {
        description: "Restart policy to apply when specified resource is resized. If not specified, it defaults to NotRequired.",
        type: "string",
      },
    },
    required: ["resourceName", "restartPolicy"],
  },
  "io.k8s.api.core.v1.ContainerRestartRule": {
    description: "ContainerRestartRule describes how a container exit is handled.",
    type: "object",
    properties: {
      action: {
        description: "Specifies the action taken on a container exit if the requirements are satisfied. The only possible value is \"Restart\" to restart the container.",
        type: "string",
      },
      exitCodes: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ContainerRestartRuleOnExitCodes" },
        ],
        description: "Represents the exit codes to check on container exits.",
      },
    },
    required: ["action"],
  },
  "io.k8s.api.core.v1.ContainerRestartRuleOnExitCodes": {
    description: "ContainerRestartRuleOnExitCodes describes the condition for handling an exited container based on its exit codes.",
    type: "object",
    properties: {
      operator: {
        description: "Represents the relationship between the container exit code(s) and the specified values. Possible values are: - In: the requirement is satisfied if the container exit code is in the\n  set of specified values.\n- NotIn: the requirement is satisfied if the container exit code is\n  not in the set of specified values.",
        type: "string",
      },
      values: {
        description: "Specifies the set of values to check for container exit codes. At most 255 elements are allowed.",
        type: "array",
        items: {
          type: "integer",
          format: "int32",
        },
        "x-kubernetes-list-type": "set",
      },
    },
    required: ["operator"],
  },
  "io.k8s.api.core.v1.VolumeMount": {
    description: "VolumeMount describes a mounting of a Volume within a container.",
    type: "object",
    properties: {
      mountPath: {
        description: "Path within the container at which the volume should be mounted.  Must not contain ':'.",
        type: "string",
      },
      mountPropagation: {
        description: "mountPropagation determines how mounts are propagated from the host to container and the other way around. When not set, MountPropagationNone is used. This field is beta in 1.10. When RecursiveReadOnly is set to IfPossible or to Enabled, MountPropagation must be None or unspecified (which defaults to None).",
        type: "string",
      },
      name: {
        description: "This must match the Name of a Volume.",
        type: "string",
      },
      readOnly: {
        description: "Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.",
        type: "boolean",
      },
      recursiveReadOnly: {
        description: "RecursiveReadOnly specifies whether read-only mounts should be handled recursively.\n\nIf ReadOnly is false, this field has no meaning and must be unspecified.\n\nIf ReadOnly is true, and this field is set to Disabled, the mount is not made recursively read-only.  If this field is set to IfPossible, the mount is made recursively read-only, if it is supported by the container runtime.  If this field is set to Enabled, the mount is made recursively read-only if it is supported by the container runtime, otherwise the pod will not be started and an error will be generated to indicate the reason.\n\nIf this field is set to IfPossible or Enabled, MountPropagation must be set to None (or be unspecified, which defaults to None).\n\nIf this field is not specified, it is treated as an equivalent of Disabled.",
        type: "string",
      },
      subPath: {
        description: "Path within the volume from which the container's volume should be mounted. Defaults to \"\" (volume's root).",
        type: "string",
      },
      subPathExpr: {
        description: "Expanded path within the volume from which the container's volume should be mounted. Behaves similarly to SubPath but environment variable references $(VAR_NAME) are expanded using the container's environment. Defaults to \"\" (volume's root). SubPathExpr and SubPath are mutually exclusive.",
        type: "string",
      },
    },
    required: ["mountPath", "name"],
  },
  "io.k8s.api.core.v1.VolumeDevice": {
    description: "volumeDevice describes a mapping of a raw block device within a container.",
    type: "object",
    properties: {
      devicePath: {
        description: "devicePath is the path inside of the container that the device will be mapped to.",
        type: "string",
      },
      name: {
        description: "name must match the name of a persistentVolumeClaim in the pod",
        type: "string",
      },
    },
    required: ["devicePath", "name"],
  },
};
