/**
 * @module
 * Probes and lifecycle hooks of a container: `io.k8s.api.core.v1.Probe`, `LifecycleHandler` and their actions.
 * Follows Kubernetes v1.32 (the version `/version` reports); descriptions are its OpenAPI v3 ones
 * (api/openapi-spec/v3 at release-1.32), so `kubectl explain` prints real documentation.
 *
 * @example
 * probeSchemas["io.k8s.api.core.v1.Probe"].properties
 */
import type { SchemaMap } from "./json-schema.ts";

export const probeSchemas: SchemaMap = {
  "io.k8s.api.core.v1.Probe": {
    description: "Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.",
    type: "object",
    properties: {
      exec: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ExecAction" },
        ],
        description: "Exec specifies a command to execute in the container.",
      },
      failureThreshold: {
        description: "Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.",
        type: "integer",
        format: "int32",
      },
      grpc: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.GRPCAction" },
        ],
        description: "GRPC specifies a GRPC HealthCheckRequest.",
      },
      httpGet: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.HTTPGetAction" },
        ],
        description: "HTTPGet specifies an HTTP GET request to perform.",
      },
      initialDelaySeconds: {
        description: "Number of seconds after the container has started before liveness probes are initiated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes",
        type: "integer",
        format: "int32",
      },
      periodSeconds: {
        description: "How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.",
        type: "integer",
        format: "int32",
      },
      successThreshold: {
        description: "Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1. Must be 1 for liveness and startup. Minimum value is 1.",
        type: "integer",
        format: "int32",
      },
      tcpSocket: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.TCPSocketAction" },
        ],
        description: "TCPSocket specifies a connection to a TCP port.",
      },
      terminationGracePeriodSeconds: {
        description: "Optional duration in seconds the pod needs to terminate gracefully upon probe failure. The grace period is the duration in seconds after the processes running in the pod are sent a termination signal and the time when the processes are forcibly halted with a kill signal. Set this value longer than the expected cleanup time for your process. If this value is nil, the pod's terminationGracePeriodSeconds will be used. Otherwise, this value overrides the value provided by the pod spec. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). This is a beta field and requires enabling ProbeTerminationGracePeriod feature gate. Minimum value is 1. spec.terminationGracePeriodSeconds is used if unset.",
        type: "integer",
        format: "int64",
      },
      timeoutSeconds: {
        description: "Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes",
        type: "integer",
        format: "int32",
      },
    },
  },
  "io.k8s.api.core.v1.Lifecycle": {
    description: "Lifecycle describes actions that the management system should take in response to container lifecycle events. For the PostStart and PreStop lifecycle handlers, management of the container blocks until the action is complete, unless the container process fails, in which case the handler is aborted.",
    type: "object",
    properties: {
      postStart: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.LifecycleHandler" },
        ],
        description: "PostStart is called immediately after a container is created. If the handler fails, the container is terminated and restarted according to its restart policy. Other management of the container blocks until the hook completes. More info: https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#container-hooks",
      },
      preStop: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.LifecycleHandler" },
        ],
        description: "PreStop is called immediately before a container is terminated due to an API request or management event such as liveness/startup probe failure, preemption, resource contention, etc. The handler is not called if the container crashes or exits. The Pod's termination grace period countdown begins before the PreStop hook is executed. Regardless of the outcome of the handler, the container will eventually terminate within the Pod's termination grace period (unless delayed by finalizers). Other management of the container blocks until the hook completes or until the termination grace period is reached. More info: https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#container-hooks",
      },
      stopSignal: {
        description: "StopSignal defines which signal will be sent to a container when it is being stopped. If not specified, the default is defined by the container runtime in use. StopSignal can only be set for Pods with a non-empty .spec.os.name",
        type: "string",
      },
    },
  },
  "io.k8s.api.core.v1.LifecycleHandler": {
    description: "LifecycleHandler defines a specific action that should be taken in a lifecycle hook. One and only one of the fields, except TCPSocket must be specified.",
    type: "object",
    properties: {
      exec: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ExecAction" },
        ],
        description: "Exec specifies a command to execute in the container.",
      },
      httpGet: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.HTTPGetAction" },
        ],
        description: "HTTPGet specifies an HTTP GET request to perform.",
      },
      sleep: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.SleepAction" },
        ],
        description: "Sleep represents a duration that the container should sleep.",
      },
      tcpSocket: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.TCPSocketAction" },
        ],
        description: "Deprecated. TCPSocket is NOT supported as a LifecycleHandler and kept for backward compatibility. There is no validation of this field and lifecycle hooks will fail at runtime when it is specified.",
      },
    },
  },
  "io.k8s.api.core.v1.ExecAction": {
    description: "ExecAction describes a \"run in container\" action.",
    type: "object",
    properties: {
      command: {
        description: "Command is the command line to execute inside the container, the working directory for the command  is root ('/') in the container's filesystem. The command is simply exec'd, it is not run inside a shell, so traditional shell instructions ('|', etc) won't work. To use a shell, you need to explicitly call out to that shell. Exit status of 0 is treated as live/healthy and non-zero is unhealthy.",
        type: "array",
        items: {
          type: "string",
        },
        "x-kubernetes-list-type": "atomic",
      },
    },
  },
  "io.k8s.api.core.v1.HTTPGetAction": {
    description: "HTTPGetAction describes an action based on HTTP Get requests.",
    type: "object",
    properties: {
      host: {
        description: "Host name to connect to, defaults to the pod IP. You probably want to set \"Host\" in httpHeaders instead.",
        type: "string",
      },
      httpHeaders: {
        description: "Custom headers to set in the request. HTTP allows repeated headers.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.HTTPHeader" },
        "x-kubernetes-list-type": "atomic",
      },
      path: {
        description: "Path to access on the HTTP server.",
        type: "string",
      },
      port: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString" },
        ],
        description: "Name or number of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.",
      },
      scheme: {
        description: "Scheme to use for connecting to the host. Defaults to HTTP.",
        type: "string",
        enum: ["HTTP", "HTTPS"],
      },
    },
    required: ["port"],
  },
  "io.k8s.api.core.v1.HTTPHeader": {
    description: "HTTPHeader describes a custom header to be used in HTTP probes",
    type: "object",
    properties: {
      name: {
        description: "The header field name. This will be canonicalized upon output, so case-variant names will be understood as the same header.",
        type: "string",
      },
      value: {
        description: "The header field value",
        type: "string",
      },
    },
    required: ["name", "value"],
  },
  "io.k8s.api.core.v1.TCPSocketAction": {
    description: "TCPSocketAction describes an action based on opening a socket",
    type: "object",
    properties: {
      host: {
        description: "Optional: Host name to connect to, defaults to the pod IP.",
        type: "string",
      },
      port: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString" },
        ],
        description: "Number or name of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.",
      },
    },
    required: ["port"],
  },
  "io.k8s.api.core.v1.GRPCAction": {
    description: "GRPCAction specifies an action involving a GRPC service.",
    type: "object",
    properties: {
      port: {
        description: "Port number of the gRPC service. Number must be in the range 1 to 65535.",
        type: "integer",
        format: "int32",
      },
      service: {
        description: "Service is the name of the service to place in the gRPC HealthCheckRequest (see https://github.com/grpc/grpc/blob/master/doc/health-checking.md).\n\nIf this is not specified, the default behavior is defined by gRPC.",
        type: "string",
      },
    },
    required: ["port"],
  },
  "io.k8s.api.core.v1.SleepAction": {
    description: "SleepAction describes a \"sleep\" action.",
    type: "object",
    properties: {
      seconds: {
        description: "Seconds is the number of seconds to sleep.",
        type: "integer",
        format: "int64",
      },
    },
    required: ["seconds"],
  },
};
