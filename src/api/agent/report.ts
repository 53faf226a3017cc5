/**
 * @module
 * Validation of what agents send. A device is not trusted to send well-formed data: anything
 * malformed is a 422 naming the field, and only the fields the protocol defines are kept.
 */
import type { EnrollRequest, NodeReport, PodReport, SyncRequest } from "../../protocol/agent.ts";
import { forbidden, invalid, required, type FieldError } from "../../resources/field-errors.ts";
import { validateLabels } from "../../resources/label-selector.ts";
import { isDNS1123Subdomain } from "../../protocol/names.ts";
import type { Pod, PodStatus } from "../../resources/types.ts";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Bounds on what one device may report: a device is not trusted, and everything it sends ends up
 * in rows (2 MB each in D1) and statements (100 bound parameters each).
 */
export const reportLimits = { mapKeys: 64, stringLength: 4096, listItems: 32, runtimes: 8, pods: 1000 } as const;

const stringMap = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.keys(v).length <= reportLimits.mapKeys && Object.values(v).every((x) => typeof x === "string" && x.length <= reportLimits.stringLength);

/**
 * Label prefixes a device cannot give itself at enrolment: Kubernetes' NodeRestriction keeps
 * `node-restriction.kubernetes.io/` for operators (so a DaemonSet carrying Secrets can select
 * nodes a device cannot claim), and `runtime.edgeset.dev/` is derived from what the agent runs.
 */
export const reservedLabelPrefixes = ["node-restriction.kubernetes.io/", "runtime.edgeset.dev/"];

/** A runtime name becomes part of a label key (`runtime.edgeset.dev/<name>`): a DNS-1123 label. */
const runtimeName = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function checkNodeReport(report: unknown, path: string, errors: FieldError[]): NodeReport {
  if (report === undefined) return {};
  if (!isObject(report)) {
    errors.push(invalid(path, report, "must be an object"));
    return {};
  }
  const out: NodeReport = {};
  if (report.labels !== undefined) {
    errors.push(...validateLabels(report.labels, `${path}.labels`));
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
    const ok = Array.isArray(report.runtimes) && report.runtimes.length <= reportLimits.runtimes && report.runtimes.every((r) => typeof r === "string" && runtimeName.test(r));
    if (ok) out.runtimes = report.runtimes as string[];
    else errors.push(invalid(`${path}.runtimes`, "…", `must be a list of at most ${reportLimits.runtimes} runtime names (lowercase letters, digits and '-')`));
  }
  return out;
}

export function checkEnrollRequest(body: unknown): { request: EnrollRequest; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isObject(body)) return { request: { nodeName: "" }, errors: [invalid("body", body, "must be a JSON object")] };
  const nodeName = body.nodeName;
  if (typeof nodeName !== "string" || !nodeName) errors.push(required("nodeName"));
  else for (const message of isDNS1123Subdomain(nodeName)) errors.push(invalid("nodeName", nodeName, message));
  if (body.labels !== undefined) errors.push(...validateLabels(body.labels, "labels"));
  for (const key of Object.keys(isObject(body.labels) ? body.labels : {})) {
    const reserved = reservedLabelPrefixes.find((prefix) => key.startsWith(prefix));
    if (reserved) errors.push(forbidden(`labels[${key}]`, `a device may not set labels under ${reserved} (they are for operators to place sensitive workloads, or the control plane's own)`));
  }
  const node = checkNodeReport(body.node, "node", errors);
  return { request: { nodeName: String(nodeName ?? ""), labels: stringMap(body.labels) ? body.labels : undefined, node }, errors };
}

function checkPodStatus(status: unknown, path: string, errors: FieldError[]): PodStatus {
  if (!isObject(status)) {
    errors.push(invalid(path, status, "must be an object"));
    return {};
  }
  const phases = ["Pending", "Running", "Succeeded", "Failed", "Unknown"];
  if (status.phase !== undefined && !phases.includes(status.phase as string)) errors.push(invalid(`${path}.phase`, status.phase, `must be one of ${phases.join(", ")}`));
  if (status.conditions !== undefined && !(Array.isArray(status.conditions) && status.conditions.every((c) => isObject(c) && typeof c.type === "string" && typeof c.status === "string"))) {
    errors.push(invalid(`${path}.conditions`, "…", "must be a list of pod conditions"));
  }
  if (status.containerStatuses !== undefined && !(Array.isArray(status.containerStatuses) && status.containerStatuses.every((c) => isObject(c) && typeof c.name === "string"))) {
    errors.push(invalid(`${path}.containerStatuses`, "…", "must be a list of container statuses"));
  }
  return status as PodStatus;
}

export function checkSyncRequest(body: unknown): { request: SyncRequest; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isObject(body)) return { request: { node: {}, pods: [] }, errors: [invalid("body", body, "must be a JSON object")] };
  const node = checkNodeReport(body.node, "node", errors);
  const pods: PodReport[] = [];
  if (!Array.isArray(body.pods ?? []) || ((body.pods as unknown[] | undefined)?.length ?? 0) > reportLimits.pods) errors.push(invalid("pods", "…", `must be a list of at most ${reportLimits.pods} pods`));
  else
    (body.pods as unknown[] | undefined ?? []).forEach((p, i) => {
      const path = `pods[${i}]`;
      if (!isObject(p) || typeof p.uid !== "string" || typeof p.name !== "string" || typeof p.namespace !== "string") {
        errors.push(invalid(path, "…", "must carry namespace, name and uid strings"));
        return;
      }
      pods.push({ namespace: p.namespace, name: p.name, uid: p.uid, status: checkPodStatus(p.status, `${path}.status`, errors) });
    });
  const terminated = body.terminated ?? [];
  if (!Array.isArray(terminated) || terminated.length > reportLimits.pods || !terminated.every((u) => typeof u === "string")) errors.push(invalid("terminated", "…", "must be a list of pod uids"));
  const staticPods = body.staticPods ?? [];
  if (!Array.isArray(staticPods) || !staticPods.every(isObject)) errors.push(invalid("staticPods", "…", "must be a list of Pods"));
  return {
    request: { node, pods, terminated: Array.isArray(terminated) ? (terminated as string[]) : [], staticPods: Array.isArray(staticPods) ? (staticPods as Pod[]) : [] },
    errors,
  };
}
