/**
 * @module
 * What a Kubernetes API request asks for, from its method, path and query alone: the attributes
 * authorization decides on. The rules are the apiserver's `RequestInfoFactory.NewRequestInfo`
 * (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go), so a request is authorized before any
 * handler looks at it, and a path that names no served resource is still a 403 for whoever may
 * not reach it (as in Kubernetes), not a 404 that would reveal what exists.
 *
 * @example
 * requestInfo("DELETE", "/apis/apps/v1/namespaces/default/daemonsets/web", new URLSearchParams())
 * // { isResourceRequest: true, verb: "delete", apiGroup: "apps", resource: "daemonsets", namespace: "default", name: "web", subresource: "" }
 */

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

export interface ResourceAttributes {
  isResourceRequest: true;
  verb: Verb;
  apiGroup: string;
  resource: string;
  /** "" for cluster-scoped resources and all-namespace lists. */
  namespace: string;
  name: string;
  subresource: string;
}

export interface NonResourceAttributes {
  isResourceRequest: false;
  /** The lower-cased HTTP method, as Kubernetes names non-resource verbs. */
  verb: string;
  path: string;
}

export type RequestAttributes = ResourceAttributes | NonResourceAttributes;

const namespaceSubresources = new Set(["status", "finalize"]);

/**
 * A boolean query parameter as the apiserver converts it (`Convert_Slice_string_To_bool`): absent,
 * "0" or "false" (any case) is false; anything else, the empty string included, is true.
 */
export const queryFlag = (value: string | null | undefined): boolean => value !== null && value !== undefined && value !== "0" && value.toLowerCase() !== "false";

/** Undefined when a path segment is not a valid percent-escape (the caller answers 400). */
export function requestInfo(method: string, path: string, query: URLSearchParams): RequestAttributes | undefined {
  const raw = path.split("/").filter(Boolean);
  let parts: string[];
  try {
    parts = raw.map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const nonResource: NonResourceAttributes = { isResourceRequest: false, verb: method.toLowerCase(), path };
  let apiGroup: string;
  if (parts[0] === "api" && parts.length >= 3) {
    apiGroup = "";
    parts = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 4) {
    apiGroup = parts[1]!;
    parts = parts.slice(3);
  } else {
    return nonResource;
  }
  let legacyWatch = false;
  if (parts[0] === "watch") {
    legacyWatch = true;
    parts = parts.slice(1);
  }
  let namespace = "";
  // /namespaces/{ns}/{resource}/... — except the namespace itself and its status/finalize subresources.
  if (parts[0] === "namespaces" && parts.length > 1) {
    namespace = parts[1]!;
    if (parts.length > 2 && !namespaceSubresources.has(parts[2]!)) parts = parts.slice(2);
  }
  const [resource = "", name = "", subresource = ""] = parts;
  if (resource === "namespaces" && name) namespace = name;
  const watch = legacyWatch || queryFlag(query.get("watch"));
  const verb = verbOf(method, Boolean(name), watch);
  if (!verb) return { ...nonResource };
  return { isResourceRequest: true, verb, apiGroup, resource, namespace, name, subresource };
}

function verbOf(method: string, named: boolean, watch: boolean): Verb | undefined {
  switch (method.toUpperCase()) {
    case "GET":
    case "HEAD":
      return watch ? "watch" : named ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return named ? "delete" : "deletecollection";
    default:
      return undefined;
  }
}
