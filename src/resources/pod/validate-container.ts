/**
 * @module
 * Container validation (pkg/apis/core/validation/validation.go: validateContainers,
 * validateContainerPorts, ValidateEnv, validateVolumeMounts, validateProbe, ValidateResourceRequirements).
 *
 * @example
 * validateContainers([{ name: "c" }], new Set(), "spec.containers") // [spec.containers[0].image: Required value]
 */
import { child, duplicate, forbidden, invalid, key, notSupported, required, type FieldError } from "../field-errors.ts";
import { isDNS1123Label, isQualifiedName } from "../../protocol/names.ts";
import type { Container, Probe } from "../types.ts";
import { compareQuantities, isNegative, parseQuantity, type Quantity, quantityRegexp } from "../../protocol/quantity.ts";

export const notFound = (field: string, value: unknown): FieldError => ({
  type: "FieldValueNotFound",
  field,
  message: `Not found: ${JSON.stringify(value)}`,
});

/** IsValidPortNum. */
export const isValidPortNum = (port: unknown): boolean => typeof port === "number" && Number.isInteger(port) && port >= 1 && port <= 65535;
const portRangeMsg = "must be between 1 and 65535, inclusive";

/** IsValidPortName (IANA_SVC_NAME). */
export function isValidPortName(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(name)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(name)) errs.push("must contain at least one letter (a-z)");
  if (name.includes("--")) errs.push("must not contain consecutive hyphens");
  if (name.startsWith("-") || name.endsWith("-")) errs.push("must not begin or end with a hyphen");
  return errs;
}

function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === "number") return isValidPortNum(port) ? [] : [invalid(path, port, portRangeMsg)];
  if (typeof port === "string") {
    if (port === "") return [required(path, "")];
    return isValidPortName(port).map((m) => invalid(path, port, m));
  }
  return [invalid(path, port ?? null, "must be an integer or a port name")];
}

function validatePorts(c: Container, path: string, hostNetwork: boolean, portNames: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  (c.ports ?? []).forEach((port, i) => {
    const p = child(path, i);
    if (port.name) {
      for (const m of isValidPortName(port.name)) errs.push(invalid(child(p, "name"), port.name, m));
      if (portNames.has(port.name)) errs.push(duplicate(child(p, "name"), port.name));
      portNames.add(port.name);
    }
    if (port.containerPort === 0 || port.containerPort === undefined) errs.push(required(child(p, "containerPort"), ""));
    else if (!isValidPortNum(port.containerPort)) errs.push(invalid(child(p, "containerPort"), port.containerPort, portRangeMsg));
    if (port.hostPort !== undefined && port.hostPort !== 0 && !isValidPortNum(port.hostPort))
      errs.push(invalid(child(p, "hostPort"), port.hostPort, portRangeMsg));
    if (hostNetwork && port.hostPort && port.hostPort !== port.containerPort)
      errs.push(invalid(child(p, "hostPort"), port.hostPort, "must match `containerPort` when `hostNetwork` is true"));
    if (!port.protocol) errs.push(required(child(p, "protocol"), ""));
    else if (!["TCP", "UDP", "SCTP"].includes(port.protocol)) errs.push(notSupported(child(p, "protocol"), port.protocol, ["SCTP", "TCP", "UDP"]));
  });
  return errs;
}

const envNameMsg = "a valid environment variable name must consist only of printable ASCII characters other than '='";

function validateEnv(c: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (c.env ?? []).forEach((env, i) => {
    const p = child(path, i);
    if (!env.name) errs.push(required(child(p, "name"), ""));
    else if (!/^[\x20-\x3c\x3e-\x7e]+$/.test(env.name)) errs.push(invalid(child(p, "name"), env.name, envNameMsg));
    if (env.valueFrom) {
      const sources = Object.keys(env.valueFrom).filter((k) => (env.valueFrom as Record<string, unknown>)[k] != null);
      if (sources.length === 0) errs.push(invalid(child(p, "valueFrom"), "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
      else if (sources.length > 1) errs.push(invalid(child(p, "valueFrom"), "", "may not have more than one field specified at a time"));
      if (env.value) errs.push(invalid(child(p, "valueFrom"), "", "may not be specified when `value` is not empty"));
      if (env.valueFrom.fieldRef && !env.valueFrom.fieldRef.fieldPath) errs.push(required(child(child(child(p, "valueFrom"), "fieldRef"), "fieldPath"), ""));
    }
  });
  return errs;
}

/** validateLocalDescendingPath: relative, and no `..` element. */
function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith("/")) errs.push(invalid(path, target, "must be a relative path"));
  if (target.split("/").includes("..")) errs.push(invalid(path, target, "must not contain '..'"));
  return errs;
}

/** IsValidUserID / IsValidGroupID: 0 to 2^31-1. */
const maxId = 2147483647;
export function validateIds(context: Record<string, unknown> | undefined, keys: readonly string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of keys) {
    const values = key === "supplementalGroups" ? ((context?.[key] as unknown[] | undefined) ?? []) : context?.[key] === undefined ? [] : [context[key]];
    values.forEach((value, i) => {
      if (typeof value === "number" && !(value >= 0 && value <= maxId)) {
        errs.push(invalid(key === "supplementalGroups" ? child(child(path, key), i) : child(path, key), value, `must be between 0 and ${maxId}, inclusive`));
      }
    });
  }
  return errs;
}

function validateVolumeMounts(c: Container, path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const p = child(path, i);
    if (!m.name) errs.push(required(child(p, "name"), ""));
    else if (!volumes.has(m.name)) errs.push(notFound(child(p, "name"), m.name));
    if (!m.mountPath) errs.push(required(child(p, "mountPath"), ""));
    else if (paths.has(m.mountPath)) errs.push(invalid(child(p, "mountPath"), m.mountPath, "must be unique"));
    if (m.mountPath) paths.add(m.mountPath);
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, child(p, "subPath")));
    if (m.subPathExpr) {
      if (m.subPath) errs.push(invalid(child(p, "subPathExpr"), m.subPathExpr, "subPathExpr and subPath are mutually exclusive"));
      errs.push(...validateLocalDescendingPath(m.subPathExpr, child(p, "subPathExpr")));
    }
  });
  return errs;
}

const handlerKinds = ["exec", "httpGet", "tcpSocket", "grpc"] as const;

/** validateProbe: exactly one handler, thresholds, and (liveness/startup) successThreshold 1. */
export function validateProbe(probe: Probe | undefined, path: string, mustSucceedOnce: boolean): FieldError[] {
  if (!probe) return [];
  const errs: FieldError[] = [];
  const set = handlerKinds.filter((k) => (probe as Record<string, unknown>)[k] != null);
  if (set.length === 0) errs.push(required(path, "must specify a handler type"));
  for (const extra of set.slice(1)) errs.push(forbidden(child(path, extra), "may not specify more than 1 handler type"));
  if (probe.exec && !(probe.exec.command?.length)) errs.push(required(child(child(path, "exec"), "command"), ""));
  if (probe.httpGet) {
    errs.push(...validatePortNumOrName(probe.httpGet.port, child(child(path, "httpGet"), "port")));
    if (probe.httpGet.scheme && !["HTTP", "HTTPS"].includes(probe.httpGet.scheme))
      errs.push(notSupported(child(child(path, "httpGet"), "scheme"), probe.httpGet.scheme, ["HTTP", "HTTPS"]));
  }
  if (probe.tcpSocket) errs.push(...validatePortNumOrName(probe.tcpSocket.port, child(child(path, "tcpSocket"), "port")));
  const grpc = (probe as { grpc?: { port?: unknown } }).grpc;
  if (grpc && !isValidPortNum(grpc.port)) errs.push(invalid(child(child(path, "grpc"), "port"), grpc.port ?? 0, portRangeMsg));
  for (const f of ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] as const) {
    const v = probe[f];
    if (typeof v === "number" && v < 0) errs.push(invalid(child(path, f), v, "must be greater than or equal to 0"));
  }
  if (mustSucceedOnce && probe.successThreshold !== undefined && probe.successThreshold !== 1)
    errs.push(invalid(child(path, "successThreshold"), probe.successThreshold, "must be 1"));
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds <= 0)
    errs.push(invalid(child(path, "terminationGracePeriodSeconds"), probe.terminationGracePeriodSeconds, "must be greater than 0"));
  return errs;
}

const standardResources = new Set(["cpu", "memory", "ephemeral-storage"]);

function validateResourceName(name: string, path: string): FieldError[] {
  if (standardResources.has(name) || name.startsWith("hugepages-")) return [];
  const errs = isQualifiedName(name).map((m) => invalid(path, name, m));
  if (!errs.length && !name.includes("/")) errs.push(invalid(path, name, "must be a standard resource type or fully qualified"));
  return errs;
}

/** ValidateResourceRequirements: names, quantities ≥ 0, requests ≤ limits. */
export function validateResources(c: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const parsed: Record<"limits" | "requests", Record<string, Quantity>> = { limits: {}, requests: {} };
  for (const kind of ["limits", "requests"] as const) {
    for (const [name, q] of Object.entries(c.resources?.[kind] ?? {})) {
      const p = key(child(path, kind), name);
      errs.push(...validateResourceName(name, p));
      const v = parseQuantity(q);
      if (v === undefined) errs.push(invalid(p, q, `quantities must match the regular expression '${quantityRegexp}'`));
      else if (isNegative(v)) errs.push(invalid(p, q, "must be greater than or equal to 0"));
      else parsed[kind][name] = v;
    }
  }
  for (const [name, req] of Object.entries(parsed.requests)) {
    const limit = parsed.limits[name];
    if (limit !== undefined && compareQuantities(req, limit) > 0)
      errs.push(invalid(key(child(path, "requests"), name), c.resources!.requests![name], `must be less than or equal to ${name} limit of ${c.resources!.limits![name]}`));
  }
  return errs;
}

export interface ContainerContext {
  volumes: Set<string>;
  hostNetwork: boolean;
  /** Container names seen so far (containers and init containers share one namespace). */
  names: Set<string>;
  init: boolean;
}

/** validateContainers / validateInitContainers. */
export function validateContainers(containers: Container[] | undefined, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  const portNames = new Set<string>();
  (containers ?? []).forEach((c, i) => {
    const p = child(path, i);
    if (!c.name) errs.push(required(child(p, "name"), ""));
    else {
      for (const m of isDNS1123Label(c.name)) errs.push(invalid(child(p, "name"), c.name, m));
      if (ctx.names.has(c.name)) errs.push(duplicate(child(p, "name"), c.name));
      ctx.names.add(c.name);
    }
    if (!c.image) errs.push(required(child(p, "image"), ""));
    else if (c.image.trim() !== c.image) errs.push(invalid(child(p, "image"), c.image, "must not have leading or trailing whitespace"));
    if (!c.imagePullPolicy) errs.push(required(child(p, "imagePullPolicy"), ""));
    else if (!["Always", "IfNotPresent", "Never"].includes(c.imagePullPolicy))
      errs.push(notSupported(child(p, "imagePullPolicy"), c.imagePullPolicy, ["Always", "IfNotPresent", "Never"]));
    if (c.terminationMessagePolicy && !["File", "FallbackToLogsOnError"].includes(c.terminationMessagePolicy))
      errs.push(notSupported(child(p, "terminationMessagePolicy"), c.terminationMessagePolicy, ["File", "FallbackToLogsOnError"]));
    errs.push(...validatePorts(c, child(p, "ports"), ctx.hostNetwork, portNames));
    errs.push(...validateEnv(c, child(p, "env")));
    errs.push(...validateVolumeMounts(c, child(p, "volumeMounts"), ctx.volumes));
    errs.push(...validateResources(c, child(p, "resources")));
    errs.push(...validateIds(c.securityContext as Record<string, unknown> | undefined, ["runAsUser", "runAsGroup"], child(p, "securityContext")));
    if (ctx.init) {
      for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"] as const)
        if (c[probe] && (c as { restartPolicy?: string }).restartPolicy !== "Always") errs.push(forbidden(child(p, probe), "may not be set for init containers without restartPolicy=Always"));
    } else {
      errs.push(...validateProbe(c.livenessProbe, child(p, "livenessProbe"), true));
      errs.push(...validateProbe(c.readinessProbe, child(p, "readinessProbe"), false));
      errs.push(...validateProbe(c.startupProbe, child(p, "startupProbe"), true));
    }
  });
  return errs;
}
