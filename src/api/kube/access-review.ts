/**
 * @module
 * The self reviews of `authorization.k8s.io/v1`, so `kubectl auth can-i` (SelfSubjectAccessReview)
 * and `kubectl auth can-i --list` (SelfSubjectRulesReview) answer for the caller. Both ask
 * `authorize` (`api/authz.ts`), the same function every request goes through, so "yes" here is
 * what the request then gets; the rules list is found by asking it about every served resource
 * and verb.
 *
 * @example
 * // POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews {"spec":{"resourceAttributes":{"verb":"create","resource":"daemonsets","group":"apps","namespace":"default"}}}
 * // → 201 {"kind":"SelfSubjectAccessReview",…,"status":{"allowed":true}}
 */
import type { ResourceInfo, Verb } from "../../resources/registry.ts";
import type { RequestAttributes, ResourceAttributes } from "../auth/request-info.ts";
import { authorize, type Decision } from "../authz.ts";
import type { AppContext, Principal } from "../context.ts";
import { ApiError } from "../errors.ts";
import { servedResources } from "./kinds/index.ts";
import { leaseResource } from "./lease/node-lease.ts";
import { readJsonObjectBody, sendJson } from "./request.ts";
import { selfSubjectReviewResource } from "./whoami.ts";

const review = (kind: string, plural: string): ResourceInfo => ({
  group: "authorization.k8s.io",
  versions: ["v1"],
  kind,
  plural,
  singular: plural.slice(0, -1),
  namespaced: false,
  verbs: ["create"],
});

export const accessReviewResource = review("SelfSubjectAccessReview", "selfsubjectaccessreviews");
export const rulesReviewResource = review("SelfSubjectRulesReview", "selfsubjectrulesreviews");
/** What discovery lists beside the stored kinds. */
export const reviewResources = [accessReviewResource, rulesReviewResource, selfSubjectReviewResource];

const allVerbs: readonly Verb[] = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const invalidSpec = (kind: string, field: string, message: string) =>
  new ApiError(422, "Invalid", `${kind}.authorization.k8s.io "" is invalid: ${field}: ${message}`, {
    group: "authorization.k8s.io",
    kind,
    causes: [{ reason: "FieldValueInvalid", field, message }],
  });

/** A string field of the spec, "" when absent; anything else is 422 naming it. */
function stringAt(spec: Record<string, unknown>, field: string, path: string, kind: string): string {
  const value = spec[field];
  if (value === undefined || value === null) return "";
  if (typeof value !== "string" || value.length > 1024) throw invalidSpec(kind, `${path}.${field}`, "Invalid value: must be a string of at most 1024 characters");
  return value;
}

function attributesOf(spec: Record<string, unknown>): RequestAttributes {
  const kind = "SelfSubjectAccessReview";
  const { resourceAttributes: resource, nonResourceAttributes: nonResource } = spec;
  if (isRecord(resource) === isRecord(nonResource)) {
    throw invalidSpec(kind, "spec.resourceAttributes", 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');
  }
  if (isRecord(nonResource)) {
    return { isResourceRequest: false, verb: stringAt(nonResource, "verb", "spec.nonResourceAttributes", kind), path: stringAt(nonResource, "path", "spec.nonResourceAttributes", kind) };
  }
  const r = resource as Record<string, unknown>;
  const at = (field: string) => stringAt(r, field, "spec.resourceAttributes", kind);
  return { isResourceRequest: true, verb: at("verb") as Verb, apiGroup: at("group"), resource: at("resource"), subresource: at("subresource"), namespace: at("namespace"), name: at("name") };
}

/** `*` as a verb is every verb: allowed only when each is. */
function decide(principal: Principal, attrs: RequestAttributes): Decision {
  if (!attrs.isResourceRequest || (attrs.verb as string) !== "*") return authorize(principal, attrs);
  const denied = allVerbs.map((verb) => authorize(principal, { ...attrs, verb })).find((d) => !d.allowed);
  return denied ?? authorize(principal, { ...attrs, verb: "get" });
}

export async function handleAccessReview(c: AppContext): Promise<Response> {
  const body = await readJsonObjectBody(c, "SelfSubjectAccessReview");
  const spec = isRecord(body.spec) ? body.spec : undefined;
  if (!spec) throw invalidSpec("SelfSubjectAccessReview", "spec", "Required value");
  const decision = decide(c.var.principal, attributesOf(spec));
  return sendJson(
    c,
    {
      kind: "SelfSubjectAccessReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: { creationTimestamp: null },
      spec,
      status: { allowed: decision.allowed, ...(decision.allowed ? {} : { denied: true }), ...(decision.reason ? { reason: decision.reason } : {}) },
    },
    201,
  );
}

interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
}

/** What `principal` may do in `namespace`, found by asking `authorize` about each served resource and verb. */
export function rulesFor(principal: Principal, namespace: string): { resourceRules: ResourceRule[]; nonResourceRules: { verbs: string[]; nonResourceURLs: string[] }[] } {
  if (principal.type === "admin") return { resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }], nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }] };
  const resourceRules: ResourceRule[] = [];
  for (const info of [...servedResources(), leaseResource, ...reviewResources]) {
    for (const name of info.plural === "namespaces" && namespace ? ["", namespace] : [""]) {
      const attrs: ResourceAttributes = { isResourceRequest: true, verb: "get", apiGroup: info.group, resource: info.plural, namespace: info.namespaced || name ? namespace : "", name, subresource: "" };
      const verbs = info.verbs.filter((verb) => authorize(principal, { ...attrs, verb }).allowed);
      if (verbs.length) resourceRules.push({ verbs, apiGroups: [info.group], resources: [info.plural], ...(name ? { resourceNames: [name] } : {}) });
    }
  }
  const discovery = ["/api", "/api/*", "/apis", "/apis/*", "/openapi/*", "/version", "/healthz", "/livez", "/readyz"];
  const nonResourceURLs = discovery.filter((path) => authorize(principal, { isResourceRequest: false, verb: "get", path }).allowed);
  return { resourceRules, nonResourceRules: nonResourceURLs.length ? [{ verbs: ["get"], nonResourceURLs }] : [] };
}

export async function handleRulesReview(c: AppContext): Promise<Response> {
  const body = await readJsonObjectBody(c, "SelfSubjectRulesReview");
  const spec = isRecord(body.spec) ? body.spec : {};
  const namespace = stringAt(spec, "namespace", "spec", "SelfSubjectRulesReview");
  return sendJson(
    c,
    {
      kind: "SelfSubjectRulesReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: { creationTimestamp: null },
      spec: { namespace },
      status: { ...rulesFor(c.var.principal, namespace), incomplete: false },
    },
    201,
  );
}
