/**
 * @module
 * Validation of what agents send. A device is not trusted to send well-formed data: anything
 * malformed is a 422 naming the field, and only the fields the protocol defines are kept.
 */
import type { EnrollRequest, NodeReport, PodReport, SyncRequest } from "../../protocol/agent.ts";
import { child, forbidden, invalid, required, tooLong, type FieldError } from "../../resources/field-errors.ts";
import { validateLabels } from "../../resources/label-selector.ts";
import { isDNS1123Label, isDNS1123Subdomain } from "../../protocol/names.ts";
import { exceedsBytes, reportLimits } from "../../resources/node/report-limits.ts";
import { validateNodeStatus } from "../../resources/node/index.ts";
import { validatePodStatus } from "../../resources/pod/index.ts";
import { validateStructure } from "../../resources/schema/index.ts";
import type { Pod, PodStatus } from "../../resources/types.ts";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks `value` against a Kubernetes schema as the API's decoder does: type and format errors
 * named under `path`, and the value with the fields the schema does not know dropped.
 */
function structured<T>(value: unknown, schemaName: string, path: string, errors: FieldError[]): T {
  const result = validateStructure(value, schemaName);
  for (const error of result.errors) errors.push({ ...error, field: error.field ? `${path}.${error.field}` : path, message: error.message.replace(`${error.field} in body`, `${path}.${error.field} in body`) });
  return result.pruned as T;
}

const stringMap = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.keys(v).length <= reportLimits.mapKeys && Object.values(v).every((x) => typeof x === "string" && x.length <= reportLimits.stringLength);

/**
 * Label prefixes a device cannot give itself at enrolment: Kubernetes' NodeRestriction keeps
 * `node-restriction.kubernetes.io/` for operators (so a DaemonSet carrying Secrets can select
 * nodes a device cannot claim), and `runtime.edgeset.dev/` is derived from what the agent runs.
 */
export const reservedLabelPrefixes = ["node-restriction.kubernetes.io/", "runtime.edgeset.dev/"];

/** A runtime name becomes part of a label key (`runtime.edgeset.dev/<name>`): a DNS-1123 label. */
const isRuntimeName = (name: string) => isDNS1123Label(name).length === 0;

function checkNodeReport(report: unknown, path: string, errors: FieldError[]): NodeReport {
  if (report === undefined) return {};
  if (!isObject(report)) {
    errors.push(invalid(path, report, "must be an object"));
    return {};
  }
  if (exceedsBytes(JSON.stringify(report), reportLimits.nodeBytes)) {
    errors.push(tooLong(path, reportLimits.nodeBytes));
    return {};
  }
  const out: NodeReport = {};
  if (report.labels !== undefined) {
    if (isObject(report.labels) && Object.keys(report.labels).length > reportLimits.mapKeys) errors.push(invalid(`${path}.labels`, "…", `must have at most ${reportLimits.mapKeys} entries`));
    else errors.push(...validateLabels(report.labels, `${path}.labels`));
    if (stringMap(report.labels)) out.labels = report.labels;
  }
  const bounded = `(at most ${reportLimits.mapKeys} entries of at most ${reportLimits.stringLength} characters)`;
  if (report.nodeInfo !== undefined) {
    if (stringMap(report.nodeInfo)) out.nodeInfo = report.nodeInfo;
    else errors.push(invalid(`${path}.nodeInfo`, "…", `must map names to strings ${bounded}`));
  }
  for (const key of ["capacity", "allocatable"] as const) {
    if (report[key] === undefined) continue;
    if (stringMap(report[key])) out[key] = report[key];
    else errors.push(invalid(`${path}.${key}`, "…", `must map resource names to quantities ${bounded}`));
  }
  const shortString = (v: unknown) => typeof v === "string" && v.length <= reportLimits.stringLength;
  const list = (v: unknown): v is unknown[] => Array.isArray(v) && v.length <= reportLimits.listItems;
  if (report.addresses !== undefined) {
    const ok = list(report.addresses) && report.addresses.every((a) => isObject(a) && shortString(a.type) && shortString(a.address));
    if (ok) out.addresses = report.addresses as NodeReport["addresses"];
    else errors.push(invalid(`${path}.addresses`, "…", `must be a list of at most ${reportLimits.listItems} {type, address}`));
  }
  if (report.conditions !== undefined) {
    const ok =
      list(report.conditions) &&
      report.conditions.every((c) => isObject(c) && shortString(c.type) && shortString(c.status) && Object.values(c).every((v) => v === undefined || v === null || shortString(v)));
    if (ok) out.conditions = report.conditions as NodeReport["conditions"];
    else errors.push(invalid(`${path}.conditions`, "…", `must be a list of at most ${reportLimits.listItems} node conditions`));
  }
  if (report.runtimes !== undefined) {
    const ok = Array.isArray(report.runtimes) && report.runtimes.length <= reportLimits.runtimes && report.runtimes.every((r) => typeof r === "string" && isRuntimeName(r));
    if (ok) out.runtimes = report.runtimes as string[];
    else errors.push(invalid(`${path}.runtimes`, "…", `must be a list of at most ${reportLimits.runtimes} runtime names (lowercase letters, digits and '-')`));
  }
  return checkNodeStatusFields(out, path, errors);
}

/**
 * The status part of a node report, validated as the Node API validates a Node's status (schema
 * types and formats, then ValidateNode's rules): a device cannot store a status that would make
 * its Node refuse an operator's `kubectl label` or `cordon`.
 */
function checkNodeStatusFields(out: NodeReport, path: string, errors: FieldError[]): NodeReport {
  const { labels, runtimes, ...status } = out;
  if (Object.keys(status).length === 0) return out;
  const before = errors.length;
  const pruned = structured<Omit<NodeReport, "labels" | "runtimes">>(status, "io.k8s.api.core.v1.NodeStatus", path, errors);
  errors.push(...validateNodeStatus(pruned, path));
  return errors.length > before ? out : { ...(labels ? { labels } : {}), ...(runtimes ? { runtimes } : {}), ...pruned };
}

export function checkEnrollRequest(body: unknown): { request: EnrollRequest; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isObject(body)) return { request: { nodeName: "" }, errors: [invalid("body", body, "must be a JSON object")] };
  const nodeName = body.nodeName;
  if (typeof nodeName !== "string" || !nodeName) errors.push(required("nodeName"));
  else for (const message of isDNS1123Subdomain(nodeName)) errors.push(invalid("nodeName", nodeName, message));
  const labelCount = isObject(body.labels) ? Object.keys(body.labels).length : 0;
  if (labelCount > reportLimits.mapKeys) errors.push(invalid("labels", "…", `must have at most ${reportLimits.mapKeys} entries`));
  else if (body.labels !== undefined) errors.push(...validateLabels(body.labels, "labels"));
  for (const key of labelCount <= reportLimits.mapKeys && isObject(body.labels) ? Object.keys(body.labels) : []) {
    const reserved = reservedLabelPrefixes.find((prefix) => key.startsWith(prefix));
    if (reserved) errors.push(forbidden(`labels[${key}]`, `a device may not set labels under ${reserved} (they are for operators to place sensitive workloads, or the control plane's own)`));
  }
  const node = checkNodeReport(body.node, "node", errors);
  return { request: { nodeName: String(nodeName ?? ""), labels: stringMap(body.labels) ? body.labels : undefined, node }, errors };
}

/**
 * A pod status from a device, validated as `PUT .../pods/<name>/status` would be (schema, then
 * ValidatePodStatusUpdate's rules), after its size and before any other work.
 */
function checkPodStatus(status: unknown, path: string, errors: FieldError[]): PodStatus {
  if (!isObject(status)) {
    errors.push(invalid(path, status, "must be an object"));
    return {};
  }
  if (exceedsBytes(JSON.stringify(status), reportLimits.podStatusBytes)) {
    errors.push(tooLong(path, reportLimits.podStatusBytes));
    return {};
  }
  const schemaErrors: FieldError[] = [];
  const pruned = structured<PodStatus>(status, "io.k8s.api.core.v1.PodStatus", path, schemaErrors);
  // The schema and the status rules both refuse a `null` item: name each field once.
  const named = new Set(schemaErrors.map((e) => e.field));
  errors.push(...schemaErrors, ...validatePodStatus(pruned, path).filter((e) => !named.has(e.field)));
  return pruned;
}

export function checkSyncRequest(body: unknown): { request: SyncRequest; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isObject(body)) return { request: { node: {}, pods: [] }, errors: [invalid("body", body, "must be a JSON object")] };
  // Every count first: nothing below runs per item on a list longer than its limit.
  const list = (key: string, max: number, what: string): unknown[] => {
    const value = body[key] ?? [];
    if (Array.isArray(value) && value.length <= max) return value;
    errors.push(invalid(key, "…", `must be a list of at most ${max} ${what}`));
    return [];
  };
  const reportedPods = list("pods", reportLimits.pods, "pods");
  const terminated = list("terminated", reportLimits.pods, "pod uids");
  const staticPods = list("staticPods", reportLimits.staticPods, "Pods");
  if (errors.length) return { request: { node: {}, pods: [] }, errors };

  const node = checkNodeReport(body.node, "node", errors);
  const pods: PodReport[] = [];
  reportedPods.forEach((p, i) => {
    const path = child("pods", i);
    if (!isObject(p) || typeof p.uid !== "string" || typeof p.name !== "string" || typeof p.namespace !== "string") {
      errors.push(invalid(path, "…", "must carry namespace, name and uid strings"));
      return;
    }
    pods.push({ namespace: p.namespace, name: p.name, uid: p.uid, status: checkPodStatus(p.status, `${path}.status`, errors) });
  });
  if (!terminated.every((u) => typeof u === "string")) errors.push(invalid("terminated", "…", "must be a list of pod uids"));
  if (!staticPods.every(isObject)) errors.push(invalid("staticPods", "…", "must be a list of Pods"));
  return { request: { node, pods, terminated: terminated as string[], staticPods: staticPods as Pod[] }, errors };
}
