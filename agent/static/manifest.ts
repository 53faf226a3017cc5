/**
 * @module
 * Static pod manifests, as the kubelet's file source reads them (pkg/kubelet/config/file.go and
 * common.go): one Pod per file, YAML or JSON, `apiVersion: v1`, `kind: Pod`; defaults applied,
 * then validated, then made the node's own (`applyDefaults`): uid = md5 of `host:<node>`,
 * `file:<path>` and the pod (so a changed file is a new pod), name `<name>-<node>`, namespace
 * `default` when unset, `spec.nodeName`, the toleration of every NoExecute taint, and the
 * annotations `kubernetes.io/config.hash` (= uid), `config.source: file` and `config.seen`.
 * Errors name the field, as Kubernetes field errors do. Pure (the clock is a parameter).
 *
 * @example
 * const parsed = parseManifest(text);            // { pod } or { error: "spec.containers[0].image: Required value" }
 * toStaticPod(parsed.pod, { nodeName: "Edge-1", path: "/etc/edgeset/manifests/log.yaml", seen: Date.now() })
 * // metadata: { name: "log-edge-1", uid: "5c3b…", annotations: { "kubernetes.io/config.hash": "5c3b…", … } }
 */
import { createHash } from "node:crypto";
import { parseAllDocuments } from "yaml";
import { isDNS1123Label, isDNS1123Subdomain } from "../../src/protocol/names.ts";
import type { Container, Pod, Probe } from "../../src/resources/types.ts";
import { defaultPullPolicy } from "../pods/pull-policy.ts";
import { stringifyCanonical } from "../sync/canonical-json.ts";

export type ManifestResult = { pod: Pod } | { error: string };

const isLabel = (v: string) => isDNS1123Label(v).length === 0;
const isSubdomain = (v: string) => isDNS1123Subdomain(v).length === 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Decodes the one document of a manifest file. */
export function decodeManifest(text: string): { object: unknown } | { error: string } {
  try {
    return decodeDocuments(text);
  } catch (error) {
    // The yaml library throws on an alias count that is a resource-exhaustion attack.
    return { error: `not valid YAML or JSON: ${(error as Error).message.split("\n")[0]}` };
  }
}

function decodeDocuments(text: string): { object: unknown } | { error: string } {
  const docs = parseAllDocuments(text);
  const nonEmpty = (Array.isArray(docs) ? docs : []).filter((d) => d.contents !== null);
  if (nonEmpty.length === 0) return { error: "the file holds no object" };
  if (nonEmpty.length > 1) return { error: "the file holds more than one object (one Pod per file)" };
  const doc = nonEmpty[0];
  if (doc.errors.length > 0) return { error: `not valid YAML or JSON: ${doc.errors[0].message.split("\n")[0]}` };
  return { object: doc.toJS() };
}

function defaultProbe(probe: Probe | undefined): void {
  if (!probe) return;
  probe.periodSeconds ??= 10;
  probe.timeoutSeconds ??= 1;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
}

/** The v1 defaults a decoded Pod gets (SetObjectDefaults_Pod, the fields the agent acts on). */
export function applyPodDefaults(pod: Pod): Pod {
  const out = structuredClone(pod);
  out.spec.restartPolicy ??= "Always";
  out.spec.terminationGracePeriodSeconds ??= 30;
  out.spec.dnsPolicy ??= "ClusterFirst";
  out.spec.schedulerName ??= "default-scheduler";
  for (const container of out.spec.containers) {
    container.imagePullPolicy ??= defaultPullPolicy(container.image);
    container.terminationMessagePath ??= "/dev/termination-log";
    container.terminationMessagePolicy ??= "File";
    for (const port of container.ports ?? []) port.protocol ??= "TCP";
    defaultProbe(container.readinessProbe);
    defaultProbe(container.livenessProbe);
    defaultProbe(container.startupProbe);
  }
  return out;
}

function validateProbe(probe: Probe | undefined, path: string, mustSucceedOnce: boolean): string | undefined {
  if (!probe) return undefined;
  const handlers = (["exec", "httpGet", "tcpSocket"] as const).filter((h) => probe[h]);
  if (handlers.length === 0) return `${path}: Required value: must specify a handler type`;
  if (handlers.length > 1) return `${path}.${handlers[1]}: Forbidden: may not specify more than 1 handler type`;
  if (probe.exec && !probe.exec.command?.length) return `${path}.exec.command: Required value`;
  for (const field of ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold"] as const) {
    const v = probe[field];
    if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < 0)) return `${path}.${field}: Invalid value: ${JSON.stringify(v)}: must be a non-negative integer`;
  }
  if (mustSucceedOnce && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    return `${path}.successThreshold: Invalid value: ${probe.successThreshold}: must be 1`;
  }
  return undefined;
}

/** A list field that is absent or a list of objects: the first problem otherwise (`[null]`, `5`, `{}`). */
function objectListProblem(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return `${path}: Invalid value: must be a list`;
  const bad = value.findIndex((item) => !isObject(item));
  return bad >= 0 ? `${path}[${bad}]: Invalid value: must be an object` : undefined;
}

function validateContainer(c: Container, path: string, volumes: Set<string>): string | undefined {
  if (!isObject(c)) return `${path}: Invalid value: must be an object`;
  if (!c.name) return `${path}.name: Required value`;
  if (typeof c.name !== "string" || !isLabel(c.name)) return `${path}.name: Invalid value: ${JSON.stringify(c.name)}: must be a DNS-1123 label`;
  if (!c.image) return `${path}.image: Required value`;
  if (typeof c.image !== "string") return `${path}.image: Invalid value: ${JSON.stringify(c.image)}: must be a string`;
  for (const field of ["env", "envFrom", "volumeMounts", "ports"] as const) {
    const problem = objectListProblem(c[field], `${path}.${field}`);
    if (problem) return problem;
  }
  for (const field of ["readinessProbe", "livenessProbe", "startupProbe", "resources", "securityContext"] as const) {
    if (c[field] !== undefined && c[field] !== null && !isObject(c[field])) return `${path}.${field}: Invalid value: must be an object`;
  }
  for (const field of ["command", "args"] as const) {
    const v = c[field];
    if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === "string"))) return `${path}.${field}: Invalid value: must be a list of strings`;
  }
  for (const [i, env] of (c.env ?? []).entries()) {
    if (!env?.name) return `${path}.env[${i}].name: Required value`;
    if (env.valueFrom?.configMapKeyRef || env.valueFrom?.secretKeyRef) {
      return `${path}.env[${i}].valueFrom: Forbidden: a static pod cannot reference API objects (ConfigMaps, Secrets)`;
    }
  }
  if (c.envFrom?.length) return `${path}.envFrom: Forbidden: a static pod cannot reference API objects (ConfigMaps, Secrets)`;
  for (const [i, mount] of (c.volumeMounts ?? []).entries()) {
    if (!mount?.name) return `${path}.volumeMounts[${i}].name: Required value`;
    if (!volumes.has(mount.name)) return `${path}.volumeMounts[${i}].name: Not found: ${JSON.stringify(mount.name)}`;
    if (!mount.mountPath) return `${path}.volumeMounts[${i}].mountPath: Required value`;
  }
  return (
    validateProbe(c.readinessProbe, `${path}.readinessProbe`, false) ??
    validateProbe(c.livenessProbe, `${path}.livenessProbe`, true) ??
    validateProbe(c.startupProbe, `${path}.startupProbe`, true)
  );
}

/** The checks of ValidatePodCreate that matter on a device; the first problem, with its field. */
export function validateStaticPod(object: unknown): string | undefined {
  if (!isObject(object)) return "the file does not hold an object";
  if (object.apiVersion !== "v1") return `apiVersion: Unsupported value: ${JSON.stringify(object.apiVersion ?? "")}: supported values: "v1"`;
  if (object.kind !== "Pod") return `kind: Unsupported value: ${JSON.stringify(object.kind ?? "")}: supported values: "Pod"`;
  const metadata = object.metadata;
  if (!isObject(metadata)) return "metadata: Required value";
  if (typeof metadata.name !== "string" || !metadata.name) return "metadata.name: Required value";
  if (!isSubdomain(metadata.name)) return `metadata.name: Invalid value: ${JSON.stringify(metadata.name)}: must be a DNS-1123 subdomain`;
  if (metadata.namespace !== undefined && (typeof metadata.namespace !== "string" || !isLabel(metadata.namespace))) {
    return `metadata.namespace: Invalid value: ${JSON.stringify(metadata.namespace)}: must be a DNS-1123 label`;
  }
  const spec = object.spec;
  if (!isObject(spec)) return "spec: Required value";
  const restart = spec.restartPolicy;
  if (restart !== undefined && !["Always", "OnFailure", "Never"].includes(restart as string)) {
    return `spec.restartPolicy: Unsupported value: ${JSON.stringify(restart)}: supported values: "Always", "OnFailure", "Never"`;
  }
  for (const field of ["volumes", "initContainers", "tolerations"] as const) {
    const problem = objectListProblem(spec[field], `spec.${field}`);
    if (problem) return problem;
  }
  const volumes = new Set<string>();
  for (const [i, volume] of ((spec.volumes as Pod["spec"]["volumes"]) ?? []).entries()) {
    if (!volume?.name) return `spec.volumes[${i}].name: Required value`;
    if (typeof volume.name !== "string" || !isLabel(volume.name)) return `spec.volumes[${i}].name: Invalid value: ${JSON.stringify(volume.name)}: must be a DNS-1123 label`;
    if (volumes.has(volume.name)) return `spec.volumes[${i}].name: Duplicate value: ${JSON.stringify(volume.name)}`;
    volumes.add(volume.name);
    if (volume.configMap || volume.secret || volume.projected) {
      return `spec.volumes[${i}]: Forbidden: a static pod cannot reference API objects (ConfigMaps, Secrets)`;
    }
  }
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) return "spec.containers: Required value";
  const names = new Set<string>();
  for (const [i, container] of (containers as Container[]).entries()) {
    const problem = validateContainer(container, `spec.containers[${i}]`, volumes);
    if (problem) return problem;
    if (names.has(container.name)) return `spec.containers[${i}].name: Duplicate value: ${JSON.stringify(container.name)}`;
    names.add(container.name);
  }
  return undefined;
}

/** Decodes, defaults and validates one manifest file's text. */
export function parseManifest(text: string): ManifestResult {
  const decoded = decodeManifest(text);
  if ("error" in decoded) return decoded;
  const problem = validateStaticPod(decoded.object);
  if (problem) return { error: problem };
  try {
    return { pod: applyPodDefaults(decoded.object as Pod) };
  } catch (error) {
    // A shape the checks above do not know (a probe that is a list, say): the file is refused, never the agent.
    return { error: `the manifest could not be read as a Pod: ${(error as Error).message}` };
  }
}

export const configHashAnnotation = "kubernetes.io/config.hash";
export const configSourceAnnotation = "kubernetes.io/config.source";
export const configSeenAnnotation = "kubernetes.io/config.seen";

/** kubelet `applyDefaults` for a file source: md5 of `host:<node>`, `file:<path>` and the pod. */
export function staticPodUid(pod: Pod, nodeName: string, path: string): string {
  return createHash("md5").update(`host:${nodeName}`).update(`file:${path}`).update(stringifyCanonical(pod)).digest("hex");
}

/** RFC 3339 with nanoseconds, as Go's time.RFC3339Nano prints (trailing zeros trimmed). */
function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, "Z");
}

/** The pod as this node runs and reports it. */
export function toStaticPod(pod: Pod, source: { nodeName: string; path: string; seen: number }): Pod {
  const uid = staticPodUid(pod, source.nodeName, source.path);
  const node = source.nodeName.toLowerCase();
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      name: `${pod.metadata.name}-${node}`,
      namespace: pod.metadata.namespace || "default",
      uid,
      annotations: {
        ...pod.metadata.annotations,
        [configHashAnnotation]: uid,
        [configSeenAnnotation]: rfc3339Nano(source.seen),
        [configSourceAnnotation]: "file",
      },
    },
    spec: {
      ...pod.spec,
      nodeName: source.nodeName,
      tolerations: [...(pod.spec.tolerations ?? []), { operator: "Exists", effect: "NoExecute" }],
    },
  };
}
