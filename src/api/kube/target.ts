/**
 * @module
 * Parses a Kubernetes REST path into what it names: the resource, namespace, object name and
 * subresource. One parser for every kind keeps the router a table of verbs.
 *
 * @example
 * parseTarget("apps", "v1", ["namespaces", "default", "daemonsets", "web", "status"])
 * // { info: resources.DaemonSet, groupVersion: "apps/v1", namespace: "default", name: "web", subresource: "status" }
 */
import { ApiError } from "../errors.ts";
import { groupVersion, lookupResource, resources, type ResourceInfo } from "../../resources/registry.ts";

export interface Target {
  info: ResourceInfo;
  group: string;
  version: string;
  /** `apps/v1` or `v1`: the version objects are served in. */
  groupVersion: string;
  /** Namespace from the path; undefined for cluster-scoped kinds and all-namespace lists. */
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The deprecated `/watch/` path prefix was used. */
  legacyWatch: boolean;
}

const namespaceSubresources = new Set(["status", "finalize"]);

export function parseTarget(group: string, version: string, segments: string[]): Target {
  let legacyWatch = false;
  if (segments[0] === "watch") {
    legacyWatch = true;
    segments = segments.slice(1);
  }
  const resolve = (plural: string): ResourceInfo => {
    const info = lookupResource(group, version, plural);
    if (!info) throw ApiError.noRoute();
    return info;
  };
  const base = { group, version, groupVersion: groupVersion(group, version), legacyWatch };
  const [a, b, c, d, e, ...rest] = segments;
  if (rest.length > 0 || !a) throw ApiError.noRoute();
  // /namespaces/{ns}/{plural}[/{name}[/{sub}]] — unless {plural} is a namespace subresource.
  if (a === "namespaces" && b && c && !(namespaceSubresources.has(c) && !d && group === "")) {
    const info = resolve(c);
    if (!info.namespaced) throw ApiError.noRoute();
    // Only the subresources a kind serves (`pods/log`, `pods/exec` are not): 404, as for any unknown path.
    if (e && !(info.subresources as readonly string[] | undefined)?.includes(e)) throw ApiError.noRoute();
    return { ...base, info, namespace: b, name: d, subresource: e };
  }
  if (d) throw ApiError.noRoute();
  const info = resolve(a);
  if (info.namespaced && b) throw ApiError.noRoute();
  if (c && !(info.subresources as readonly string[] | undefined)?.includes(c)) throw ApiError.noRoute();
  return { ...base, info, name: b, subresource: c };
}

/** The resource served for DaemonSets in a given group (apps or extensions). */
export const isDaemonSet = (info: ResourceInfo) => info.kind === "DaemonSet";

export { resources };
