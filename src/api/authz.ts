/**
 * @module
 * Authorization, in one place: who may do what on the Kubernetes API. A pure function of the
 * caller and the request's attributes (`auth/request-info.ts`), used by the middleware for every
 * request and by `kubectl auth can-i` (SelfSubjectAccessReview / SelfSubjectRulesReview), so the
 * answer to "can I" is the answer the request gets.
 *
 * The roles follow Kubernetes' default ClusterRoles:
 * - `admin` (the admin token): everything (`cluster-admin`).
 * - `viewer`: get, list and watch everything but Secrets (`view`, which leaves Secrets out too).
 * - `operator`: every verb on DaemonSets, Pods, ConfigMaps, Secrets and Events in its namespaces
 *   (`edit` bound by RoleBindings there), reading its namespaces and, cluster-wide, Nodes and their
 *   Leases; a Node may be patched in `metadata.labels` and `metadata.annotations` only (what
 *   `kubectl label` and `kubectl annotate` send).
 * - `metrics`: `GET /metrics` and the health checks, nothing else (`system:monitoring`), for a
 *   Prometheus scrape config. Viewers may read `/metrics` too; operators may not (it shows every
 *   namespace's DaemonSets).
 * Every authenticated caller may read discovery and OpenAPI and ask the self reviews
 * (`system:discovery`, `system:basic-user`), but a metrics token only the self reviews. Nobody but
 * admin reaches edgeset's admin API.
 *
 * @example
 * authorize({ type: "token", tokenId: "abc", role: "viewer", namespaces: null }, { isResourceRequest: true, verb: "delete", apiGroup: "apps", resource: "daemonsets", namespace: "default", name: "x", subresource: "" })
 * // { allowed: false, reason: "" }
 */
import type { Principal } from "./context.ts";
import type { RequestAttributes, ResourceAttributes, Verb } from "./auth/request-info.ts";
import { ApiError } from "./errors.ts";

export const roles = ["viewer", "operator", "metrics"] as const;
export type Role = (typeof roles)[number];

export interface Decision {
  allowed: boolean;
  /** Why, when a rule says more than yes or no (shown by `kubectl auth can-i` and in the 403). */
  reason: string;
}

/** Beside the request attributes: for a patch, whether it changes only labels and annotations (undefined = not known, as in a review). */
export interface PatchFacts {
  metadataOnly?: boolean;
}

const readVerbs: readonly Verb[] = ["get", "list", "watch"];
const allVerbs: readonly Verb[] = [...readVerbs, "create", "update", "patch", "delete", "deletecollection"];

/** What an operator may change in its namespaces: `group/resource`, any subresource. */
const operatorResources = new Set(["apps/daemonsets", "extensions/daemonsets", "/pods", "/configmaps", "/secrets", "/events", "events.k8s.io/events"]);
/** What an operator may read in its namespaces. */
const operatorReadable = new Set([...operatorResources, "apps/controllerrevisions"]);

const selfReviews = new Set(["authorization.k8s.io/selfsubjectaccessreviews", "authorization.k8s.io/selfsubjectrulesreviews", "authentication.k8s.io/selfsubjectreviews"]);

export const userName = (principal: Principal): string => {
  switch (principal.type) {
    case "admin":
      return "admin";
    case "token":
      return `token:${principal.tokenId}`;
    case "node":
      return `system:node:${principal.nodeName}`;
    case "bootstrap":
      return `system:bootstrap:${principal.tokenId}`;
  }
};

/** The groups `kubectl auth whoami` shows: the role, as Kubernetes would name a group for it. */
export const groupsOf = (principal: Principal): string[] => {
  switch (principal.type) {
    case "admin":
      return ["system:masters", "system:authenticated"];
    case "token":
      return [principal.role === "metrics" ? "edgeset:metrics" : `edgeset:${principal.role}s`, "system:authenticated"];
    case "node":
      return ["system:nodes", "system:authenticated"];
    case "bootstrap":
      return ["system:bootstrappers", "system:authenticated"];
  }
};

/** Self reviews change nothing: they are not audited. */
export const isSelfReview = (attrs: RequestAttributes): boolean => attrs.isResourceRequest && selfReviews.has(`${attrs.apiGroup}/${attrs.resource}`);

export const roleOf = (principal: Principal): string => (principal.type === "token" ? principal.role : principal.type);

const allow = (reason = ""): Decision => ({ allowed: true, reason });
const deny = (reason = ""): Decision => ({ allowed: false, reason });

/**
 * Pod subresources that reach into a device (session-bridge.ts): logs may carry secrets and exec
 * is a shell, so no role has them yet (Kubernetes' `view` has pods/log, `edit` pods/exec); when
 * roles can be granted them, this is the one place to change.
 */
const sessionSubresources = new Set(["log", "exec", "attach", "portforward"]);

export function authorize(principal: Principal, attrs: RequestAttributes, facts: PatchFacts = {}): Decision {
  if (principal.type === "admin") return allow("edgeset: the admin token may do everything");
  if (principal.type !== "token") return deny("this credential may only be used with the agent API");
  if (!attrs.isResourceRequest) return authorizeNonResource(principal.role, attrs.verb, attrs.path);
  if (attrs.apiGroup === "" && attrs.resource === "pods" && sessionSubresources.has(attrs.subresource)) return deny(`pods/${attrs.subresource} is allowed to the admin token only`);
  const key = `${attrs.apiGroup}/${attrs.resource}`;
  if (selfReviews.has(key)) return attrs.verb === "create" ? allow() : deny();
  if (principal.role === "metrics") return deny();
  if (principal.role === "viewer") return readVerbs.includes(attrs.verb) && key !== "/secrets" ? allow() : deny();
  return authorizeOperator(principal.namespaces ?? [], attrs, key, facts);
}

/** What `system:monitoring` may read; `/metrics` itself is for viewers and metrics tokens only. */
const monitoringPaths = new Set(["/metrics", "/healthz", "/livez", "/readyz"]);

function authorizeNonResource(role: Role, verb: string, path: string): Decision {
  if (verb !== "get" && verb !== "head") return deny();
  if (path === "/metrics") return role === "viewer" || role === "metrics" ? allow() : deny();
  return role !== "metrics" || monitoringPaths.has(path) ? allow() : deny();
}

function authorizeOperator(namespaces: readonly string[], attrs: ResourceAttributes, key: string, facts: PatchFacts): Decision {
  const read = readVerbs.includes(attrs.verb);
  if (key === "/nodes") {
    if (read && !attrs.subresource) return allow();
    if (attrs.verb === "patch" && !attrs.subresource && facts.metadataOnly !== false) return allow("edgeset: an operator may patch only metadata.labels and metadata.annotations of a node");
    return attrs.verb === "patch" && !attrs.subresource ? deny("an operator may patch only metadata.labels and metadata.annotations of a node") : deny();
  }
  if (key === "coordination.k8s.io/leases") return read && attrs.namespace === "kube-node-lease" ? allow() : deny();
  if (!attrs.namespace || !namespaces.includes(attrs.namespace)) return deny();
  if (key === "/namespaces") return (attrs.verb === "get" || attrs.verb === "watch") && !attrs.subresource ? allow() : deny();
  if (operatorResources.has(key) && allVerbs.includes(attrs.verb)) return allow();
  return read && operatorReadable.has(key) ? allow() : deny();
}

/**
 * The 403 Kubernetes answers (apiserver `forbiddenMessage`): `daemonsets.apps "x" is forbidden:
 * User "token:ab" cannot delete resource "daemonsets" in API group "apps" in the namespace "default"`.
 */
export function forbidden(principal: Principal, attrs: RequestAttributes, reason: string): ApiError {
  const user = userName(principal);
  const suffix = reason ? `: ${reason}` : "";
  if (!attrs.isResourceRequest) return new ApiError(403, "Forbidden", `forbidden: User "${user}" cannot ${attrs.verb} path "${attrs.path}"${suffix}`);
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const qualified = attrs.apiGroup ? `${attrs.resource}.${attrs.apiGroup}` : attrs.resource;
  const object = attrs.name ? `${qualified} "${attrs.name}"` : qualified;
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : "at the cluster scope";
  return new ApiError(403, "Forbidden", `${object} is forbidden: User "${user}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}" ${scope}${suffix}`, {
    ...(attrs.name ? { name: attrs.name } : {}),
    group: attrs.apiGroup,
    kind: attrs.resource,
  });
}

/**
 * Whether a patch body changes only `metadata.labels` and `metadata.annotations` (a
 * `resourceVersion` precondition is allowed beside them, as `kubectl label --resource-version` sends).
 */
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isMetadataPointer = (value: unknown) => typeof value === "string" && /^\/metadata\/(labels|annotations)(\/|$)/.test(value);

export function patchesOnlyMetadata(contentType: string, body: unknown): boolean {
  if (contentType === "application/json-patch+json") {
    return Array.isArray(body) && body.every((op) => isRecord(op) && isMetadataPointer(op.path) && (op.from === undefined || isMetadataPointer(op.from)));
  }
  if (contentType !== "application/merge-patch+json" && contentType !== "application/strategic-merge-patch+json") return false;
  if (!isRecord(body) || Object.keys(body).some((k) => k !== "metadata")) return false;
  if (body.metadata === undefined) return true;
  return isRecord(body.metadata) && Object.keys(body.metadata).every((k) => k === "labels" || k === "annotations" || k === "resourceVersion");
}
