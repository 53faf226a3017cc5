/**
 * @module
 * The patch metadata of every kind edgeset serves, transcribed from the struct tags of
 * k8s.io/api v1.32 (`core/v1/types.go`, `apps/v1/types.go`) and apimachinery `meta/v1`.
 * Only fields whose tags change a patch's meaning are listed; see patch-meta.ts for the defaults.
 *
 * @example
 * schemaForKind("DaemonSet")?.fields?.spec // the DaemonSetSpec node
 */
import {
  atomicStruct,
  mergeList,
  primitiveSet,
  stringMap,
  struct,
  type SchemaNode,
} from "./patch-meta.ts";

const objectMeta = struct({
  labels: stringMap,
  annotations: stringMap,
  finalizers: primitiveSet,
  // OwnerReference is +structType=atomic, so an applied owner reference is one leaf per uid.
  ownerReferences: mergeList("uid", atomicStruct()),
  managedFields: { listType: "atomic" },
});

const labelSelector = atomicStruct({ matchLabels: stringMap });

const envVar = struct({
  valueFrom: struct({
    fieldRef: atomicStruct(),
    resourceFieldRef: atomicStruct(),
    configMapKeyRef: atomicStruct(),
    secretKeyRef: atomicStruct(),
  }),
});

const container = struct({
  ports: mergeList("containerPort", {}, {
    listType: "map",
    listMapKeys: ["containerPort", "protocol"],
    listMapKeyDefaults: { protocol: "TCP" },
  }),
  env: mergeList("name", envVar),
  volumeMounts: mergeList("mountPath"),
  volumeDevices: mergeList("devicePath"),
  resources: struct({
    limits: stringMap,
    requests: stringMap,
    claims: { listType: "map", listMapKeys: ["name"] },
  }),
});

const podSpec = struct({
  volumes: mergeList("name", {}, undefined, "merge,retainKeys"),
  initContainers: mergeList("name", container),
  containers: mergeList("name", container),
  ephemeralContainers: mergeList("name", container),
  // Both merge by key in SMP but are atomic for server-side apply in v1.32.
  imagePullSecrets: mergeList("name", {}, { listType: "atomic" }),
  hostAliases: mergeList("ip", {}, { listType: "atomic" }),
  topologySpreadConstraints: mergeList("topologyKey", struct({ labelSelector }), {
    listType: "map",
    listMapKeys: ["topologyKey", "whenUnsatisfiable"],
  }),
  schedulingGates: mergeList("name"),
  resourceClaims: mergeList("name", {}, undefined, "merge,retainKeys"),
  nodeSelector: { values: {}, atomic: true },
  overhead: stringMap,
  affinity: struct({
    nodeAffinity: struct({ requiredDuringSchedulingIgnoredDuringExecution: atomicStruct() }),
  }),
});

const podStatus = struct({
  conditions: mergeList("type"),
  podIPs: mergeList("ip"),
  hostIPs: mergeList("ip", {}, { listType: "atomic" }),
  resourceClaimStatuses: mergeList("name", {}, undefined, "merge,retainKeys"),
});

const podTemplateSpec = struct({ metadata: objectMeta, spec: podSpec });

const schemas: Readonly<Record<string, SchemaNode>> = {
  DaemonSet: struct({
    metadata: objectMeta,
    spec: struct({ selector: labelSelector, template: podTemplateSpec }),
    status: struct({ conditions: mergeList("type") }),
  }),
  Pod: struct({ metadata: objectMeta, spec: podSpec, status: podStatus }),
  Node: struct({
    metadata: objectMeta,
    spec: struct({ podCIDRs: primitiveSet }),
    status: struct({
      conditions: mergeList("type"),
      addresses: mergeList("type", {}, { listType: "atomic" }),
      capacity: stringMap,
      allocatable: stringMap,
    }),
  }),
  ControllerRevision: struct({ metadata: objectMeta, data: { atomic: true } }),
  Namespace: struct({ metadata: objectMeta, status: struct({ conditions: mergeList("type") }) }),
  ConfigMap: struct({ metadata: objectMeta, data: stringMap, binaryData: stringMap }),
  Secret: struct({ metadata: objectMeta, data: stringMap, stringData: stringMap }),
  Event: struct({ metadata: objectMeta, involvedObject: atomicStruct(), related: atomicStruct() }),
};

/** The schema of `kind`; undefined for kinds without one, which then patch like CRDs (lists atomic). */
export const schemaForKind = (kind: string): SchemaNode | undefined => (Object.hasOwn(schemas, kind) ? schemas[kind] : undefined);

/**
 * Kinds whose `status` lives in the status subresource: server-side apply to the main resource
 * ignores it (the strategies' `GetResetFields`).
 */
export const kindsWithStatusSubresource: ReadonlySet<string> = new Set(["DaemonSet", "Pod", "Node", "Namespace"]);
