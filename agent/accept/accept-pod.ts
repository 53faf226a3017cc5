/**
 * @module
 * The pod check at the agent's boundary: every pod from a sync answer, the saved assignments or a
 * runtime record goes through it before anything acts on it. The copy is JSON-checked
 * (`copyJson`), its shape matches the control plane's Pod schema (`pod-schema.ts`), and the fields
 * the agent turns into paths, process arguments or map keys hold what Kubernetes validation allows
 * (ValidatePodCreate: names, unique container and volume names, `subPath` a local descending
 * path). A pod that fails is refused with the field, never thrown: the caller reports it and runs
 * the rest.
 *
 * @example
 * acceptPod({ metadata: { name: "web", uid: "u1" }, spec: { containers: [null] } })
 * // { refused: { namespace: "default", name: "web", uid: "u1", field: "spec.containers[0]", message: "Invalid value: null: must not be null" } }
 */
import { validateAgainstSchema } from "../../src/resources/schema/validate-structure.ts";
import type { Pod } from "../../src/resources/types.ts";
import { podSchemaName, podSchemas } from "../pods/pod-schema.ts";
import { isDNS1123Label, isDNS1123Subdomain } from "../../src/protocol/names.ts";
import { childPath, copyJson, isObject } from "./json-copy.ts";

export interface RefusedPod {
  /** What identifies the pod, as far as it could be read (a report needs all three). */
  namespace?: string;
  name?: string;
  uid?: string;
  field: string;
  message: string;
}

export type PodAcceptance = { pod: Pod } | { refused: RefusedPod };

/** Deep enough for any Pod the API stores (managedFields included), shallow enough to recurse safely. */
export const podMaxDepth = 64;

/** UIDs become path components (`<ns>_<name>_<uid>`): the apiserver's UUIDs and the kubelet's md5 hashes fit. */
const uidPattern = /^[A-Za-z0-9][-A-Za-z0-9_.]{0,127}$/;

type Problem = { field: string; message: string };

const str = (v: unknown): v is string => typeof v === "string";

/** ValidateLocalDescendingPath: relative, no `..` element. */
export function localDescendingPathProblem(path: string): string | undefined {
  if (path.startsWith("/")) return "must be a relative path";
  if (path.split("/").includes("..")) return "must not contain '..'";
  return undefined;
}

function nameProblem(field: string, value: unknown, rule: (v: string) => string[]): Problem | undefined {
  if (!str(value) || value === "") return { field, message: "Required value" };
  const errs = rule(value);
  return errs.length > 0 ? { field, message: `Invalid value: ${JSON.stringify(value)}: ${errs.join("; ")}` } : undefined;
}

type Obj = Record<string, unknown>;
const required = (field: string): Problem => ({ field, message: "Required value" });
const needString = (o: Obj, key: string, at: string): Problem | undefined => (str(o[key]) && o[key] !== "" ? undefined : required(childPath(at, key)));
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** validateVolumeMode: 0 to 0777. */
function modeProblem(o: Obj, key: string, at: string): Problem | undefined {
  const mode = o[key];
  if (mode === undefined) return undefined;
  return typeof mode === "number" && Number.isInteger(mode) && mode >= 0 && mode <= 0o777 ? undefined : { field: childPath(at, key), message: `Invalid value: ${mode}: must be a number between 0 and 0777 (octal), both inclusive` };
}

/** validateLocalNonReservedPath: a relative path without `..` elements, not starting with `..`. */
function filePathProblem(o: Obj, at: string): Problem | undefined {
  const missing = needString(o, "path", at);
  if (missing) return missing;
  const path = o.path as string;
  const problem = localDescendingPathProblem(path) ?? (path.startsWith("..") ? "must not start with '..'" : undefined);
  return problem ? { field: childPath(at, "path"), message: `Invalid value: ${JSON.stringify(path)}: ${problem}` } : modeProblem(o, "mode", at);
}

function keyToPathsProblem(items: unknown, at: string): Problem | undefined {
  for (const [i, item] of list(items).entries()) {
    const here = childPath(childPath(at, "items"), i);
    const bad = needString(item, "key", here) ?? filePathProblem(item, here);
    if (bad) return bad;
  }
  return undefined;
}

function downwardItemsProblem(items: unknown, at: string): Problem | undefined {
  for (const [i, item] of list(items).entries()) {
    const here = childPath(childPath(at, "items"), i);
    const bad = filePathProblem(item, here);
    if (bad) return bad;
    const fieldRef = item.fieldRef as Obj | undefined;
    const resourceRef = item.resourceFieldRef as Obj | undefined;
    if (!fieldRef && !resourceRef) return required(here);
    if (fieldRef && needString(fieldRef, "fieldPath", childPath(here, "fieldRef"))) return required(childPath(here, "fieldRef.fieldPath"));
    if (resourceRef && needString(resourceRef, "resource", childPath(here, "resourceFieldRef"))) return required(childPath(here, "resourceFieldRef.resource"));
  }
  return undefined;
}

/** The parts of validateVolumeSource the agent reads: names of sources, items, modes. */
function volumeSourceProblem(v: Obj, at: string): Problem | undefined {
  const configMap = v.configMap as Obj | undefined;
  const secret = v.secret as Obj | undefined;
  const projected = v.projected as Obj | undefined;
  const hostPath = v.hostPath as Obj | undefined;
  if (configMap) return needString(configMap, "name", childPath(at, "configMap")) ?? modeProblem(configMap, "defaultMode", childPath(at, "configMap")) ?? keyToPathsProblem(configMap.items, childPath(at, "configMap"));
  if (secret) return needString(secret, "secretName", childPath(at, "secret")) ?? modeProblem(secret, "defaultMode", childPath(at, "secret")) ?? keyToPathsProblem(secret.items, childPath(at, "secret"));
  if (hostPath) return needString(hostPath, "path", childPath(at, "hostPath"));
  if (!projected) return undefined;
  const bad = modeProblem(projected, "defaultMode", childPath(at, "projected"));
  if (bad) return bad;
  for (const [i, source] of list(projected.sources).entries()) {
    const here = childPath(childPath(at, "projected.sources"), i);
    for (const kind of ["configMap", "secret"] as const) {
      const ref = source[kind] as Obj | undefined;
      const problem = ref && (needString(ref, "name", childPath(here, kind)) ?? keyToPathsProblem(ref.items, childPath(here, kind)));
      if (problem) return problem;
    }
    const downward = source.downwardAPI as Obj | undefined;
    const problem = downward && downwardItemsProblem(downward.items, childPath(here, "downwardAPI"));
    if (problem) return problem;
  }
  return undefined;
}

const refKeys: Record<string, string[]> = { configMapKeyRef: ["name", "key"], secretKeyRef: ["name", "key"], fieldRef: ["fieldPath"], resourceFieldRef: ["resource"] };

function envProblem(c: Obj, at: string): Problem | undefined {
  for (const [i, e] of list(c.env).entries()) {
    const here = childPath(childPath(at, "env"), i);
    const bad = needString(e, "name", here);
    if (bad) return bad;
    const from = (e.valueFrom ?? {}) as Obj;
    for (const [kind, keys] of Object.entries(refKeys)) {
      const ref = from[kind] as Obj | undefined;
      for (const key of ref ? keys : []) {
        const missing = needString(ref!, key, childPath(childPath(here, "valueFrom"), kind));
        if (missing) return missing;
      }
    }
  }
  for (const [i, e] of list(c.envFrom).entries()) {
    const here = childPath(childPath(at, "envFrom"), i);
    for (const kind of ["configMapRef", "secretRef"]) {
      const ref = e[kind] as Obj | undefined;
      const missing = ref && needString(ref, "name", childPath(here, kind));
      if (missing) return missing;
    }
  }
  return undefined;
}

/** A probe's one handler, with what it needs (validateHandler). */
function probeProblem(c: Obj, at: string): Problem | undefined {
  for (const kind of ["livenessProbe", "readinessProbe", "startupProbe"]) {
    const probe = c[kind] as Obj | undefined;
    if (!probe) continue;
    const here = childPath(at, kind);
    const handlers = ["exec", "httpGet", "tcpSocket", "grpc"].filter((h) => probe[h]);
    if (handlers.length !== 1) return { field: here, message: handlers.length === 0 ? "Required value: must specify a handler type" : "Forbidden: may not specify more than 1 handler type" };
    const handler = probe[handlers[0]] as Obj;
    if (handlers[0] === "exec" && !(Array.isArray(handler.command) && handler.command.length > 0)) return required(childPath(here, "exec.command"));
    if (handlers[0] !== "exec" && handler.port === undefined) return required(childPath(childPath(here, handlers[0]), "port"));
  }
  return undefined;
}

function containersProblem(list: unknown, path: string, volumes: Set<string>, required: boolean): Problem | undefined {
  if (list === undefined && !required) return undefined;
  if (!Array.isArray(list) || (required && list.length === 0)) return { field: path, message: "Required value" };
  const names = new Set<string>();
  for (const [i, c] of list.entries()) {
    const here = childPath(path, i);
    if (!isObject(c)) return { field: here, message: "Invalid value: must be an object" };
    const bad = nameProblem(childPath(here, "name"), c.name, isDNS1123Label);
    if (bad) return bad;
    if (names.has(c.name as string)) return { field: childPath(here, "name"), message: `Duplicate value: ${JSON.stringify(c.name)}` };
    names.add(c.name as string);
    const bad2 = envProblem(c, here) ?? probeProblem(c, here);
    if (bad2) return bad2;
    for (const [j, mount] of ((c.volumeMounts as unknown[] | undefined) ?? []).entries()) {
      const m = mount as Record<string, unknown>;
      const at = childPath(childPath(here, "volumeMounts"), j);
      if (!str(m.name) || !volumes.has(m.name)) return { field: childPath(at, "name"), message: `Not found: ${JSON.stringify(m.name ?? "")}` };
      if (!str(m.mountPath) || m.mountPath === "") return { field: childPath(at, "mountPath"), message: "Required value" };
      for (const key of ["subPath", "subPathExpr"] as const) {
        const sub = m[key];
        const problem = str(sub) ? localDescendingPathProblem(sub) : undefined;
        if (problem) return { field: childPath(at, key), message: `Invalid value: ${JSON.stringify(sub)}: ${problem}` };
      }
    }
  }
  return undefined;
}

function specProblem(spec: unknown): Problem | undefined {
  if (!isObject(spec)) return { field: "spec", message: "Required value" };
  const volumes = new Set<string>();
  for (const [i, v] of ((spec.volumes as unknown[] | undefined) ?? []).entries()) {
    const field = childPath(childPath("spec.volumes", i), "name");
    const bad = nameProblem(field, (v as Record<string, unknown>).name, isDNS1123Label);
    if (bad) return bad;
    const name = (v as { name: string }).name;
    if (volumes.has(name)) return { field, message: `Duplicate value: ${JSON.stringify(name)}` };
    volumes.add(name);
    const source = volumeSourceProblem(v as Obj, childPath("spec.volumes", i));
    if (source) return source;
  }
  return containersProblem(spec.initContainers, "spec.initContainers", volumes, false) ?? containersProblem(spec.containers, "spec.containers", volumes, true);
}

export function acceptPod(raw: unknown): PodAcceptance {
  const meta = isObject(raw) && isObject(raw.metadata) ? raw.metadata : {};
  const ref = {
    ...(str(meta.namespace) ? { namespace: meta.namespace || "default" } : { namespace: "default" }),
    ...(str(meta.name) ? { name: meta.name } : {}),
    ...(str(meta.uid) ? { uid: meta.uid } : {}),
  };
  const refuse = (problem: Problem): PodAcceptance => ({ refused: { ...ref, ...problem } });
  if (!isObject(raw)) return refuse({ field: "", message: "Invalid value: must be an object" });
  const copied = copyJson(raw, podMaxDepth);
  if ("field" in copied) return refuse(copied);
  const pod = copied.value as Record<string, unknown>;
  const metadata = pod.metadata;
  if (!isObject(metadata)) return refuse({ field: "metadata", message: "Required value" });
  const bad =
    nameProblem("metadata.name", metadata.name, isDNS1123Subdomain) ??
    (metadata.namespace !== undefined && metadata.namespace !== "" ? nameProblem("metadata.namespace", metadata.namespace, isDNS1123Label) : undefined);
  if (bad) return refuse(bad);
  if (!str(metadata.uid) || !uidPattern.test(metadata.uid)) return refuse({ field: "metadata.uid", message: `Invalid value: ${JSON.stringify(metadata.uid ?? "")}: must be 1-128 letters, digits, '-', '_' or '.'` });
  const structure = validateAgainstSchema(pod, podSchemas[podSchemaName]!, podSchemas);
  if (structure.errors.length > 0) return refuse(structure.errors[0]);
  const semantic = specProblem(pod.spec);
  if (semantic) return refuse(semantic);
  return { pod: pod as unknown as Pod };
}

/** One line for logs and pod status: `spec.containers[0]: Invalid value: null: …`. */
export function describeRefusal(refused: { field: string; message: string }): string {
  return refused.field ? `${refused.field}: ${refused.message}` : refused.message;
}
