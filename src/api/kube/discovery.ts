/**
 * @module
 * Discovery, as kubectl reads it (kubectl-wire.md §1.3): aggregated documents at `/api` and `/apis`
 * when asked for them (the exact Content-Type decides the format), the legacy documents otherwise,
 * and `/version`. Built from the registry, listing only kinds this server serves.
 */
import type { AppContext } from "../context.ts";
import { groupVersion, type ResourceInfo } from "../../resources/registry.ts";
import { servedResources } from "./kinds/index.ts";
import { reviewResources } from "./access-review.ts";
import { leaseResource } from "./lease/node-lease.ts";
import { sendJson } from "./request.ts";

const aggregatedType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

const wantsAggregated = (c: AppContext) => /g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList/.test(c.req.header("accept") ?? "");

/** Groups in the order served, each with its versions (preferred first). */
function groups(): Map<string, Map<string, ResourceInfo[]>> {
  const out = new Map<string, Map<string, ResourceInfo[]>>();
  for (const info of [...servedResources(), leaseResource, ...reviewResources]) {
    const versions = out.get(info.group) ?? new Map<string, ResourceInfo[]>();
    for (const version of info.versions) versions.set(version, [...(versions.get(version) ?? []), info]);
    out.set(info.group, versions);
  }
  return out;
}

/**
 * Short names, except on a resource whose plural an earlier-served group already has (DaemonSets
 * in extensions): kubectl warns `short name "ds" could also match lower priority resource …` on
 * every command when two groups claim one short name, and the preferred group wins anyway.
 */
function shortNamesOf(info: ResourceInfo): readonly string[] | undefined {
  if (!info.shortNames) return undefined;
  const first = servedResources().find((other) => other.plural === info.plural);
  return first === info ? info.shortNames : undefined;
}

const aggregatedResource = (info: ResourceInfo, version: string) => ({
  resource: info.plural,
  responseKind: { group: info.group, version, kind: info.kind },
  scope: info.namespaced ? "Namespaced" : "Cluster",
  singularResource: info.singular,
  ...(shortNamesOf(info) ? { shortNames: shortNamesOf(info) } : {}),
  ...(info.categories ? { categories: info.categories } : {}),
  verbs: info.verbs,
  ...(info.subresources
    ? { subresources: info.subresources.map((sub) => ({ subresource: sub, responseKind: { group: info.group, version, kind: info.kind }, verbs: ["get", "patch", "update"] })) }
    : {}),
});

function aggregated(core: boolean) {
  const items = [...groups()]
    .filter(([group]) => (group === "") === core)
    .map(([group, versions]) => ({
      metadata: { name: group },
      versions: [...versions].map(([version, infos]) => ({ version, resources: infos.map((info) => aggregatedResource(info, version)), freshness: "Current" })),
    }));
  return { kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", metadata: {}, items };
}

function sendAggregated(c: AppContext, body: unknown): Response {
  return c.newResponse(JSON.stringify(body), 200, { "Content-Type": aggregatedType, Vary: "Accept" });
}

export function handleCoreDiscovery(c: AppContext): Response {
  if (wantsAggregated(c)) return sendAggregated(c, aggregated(true));
  c.header("Vary", "Accept");
  const host = new URL(c.req.url).host;
  return sendJson(c, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: host }] });
}

export function handleGroupsDiscovery(c: AppContext): Response {
  if (wantsAggregated(c)) return sendAggregated(c, aggregated(false));
  c.header("Vary", "Accept");
  return sendJson(c, {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [...groups()]
      .filter(([group]) => group !== "")
      .map(([name, versions]) => {
        const list = [...versions.keys()].map((version) => ({ groupVersion: groupVersion(name, version), version }));
        return { name, versions: list, preferredVersion: list[0] };
      }),
  });
}

/** `GET /api/v1`, `GET /apis/{group}/{version}`: the legacy APIResourceList. */
export function handleResourceList(c: AppContext, group: string, version: string): Response | undefined {
  const infos = groups().get(group)?.get(version);
  if (!infos) return undefined;
  const resources = infos.flatMap((info) => [
    {
      name: info.plural,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: info.verbs,
      ...(shortNamesOf(info) ? { shortNames: shortNamesOf(info) } : {}),
      ...(info.categories ? { categories: info.categories } : {}),
    },
    ...(info.subresources ?? []).map((sub) => ({ name: `${info.plural}/${sub}`, singularName: "", namespaced: info.namespaced, kind: info.kind, verbs: ["get", "patch", "update"] })),
  ]);
  return sendJson(c, { kind: "APIResourceList", apiVersion: "v1", groupVersion: groupVersion(group, version), resources });
}

/** `/version`: within one minor of kubectl 1.32, so kubectl prints no skew warning. */
export function handleVersion(c: AppContext): Response {
  return sendJson(c, {
    major: "1",
    minor: "32",
    gitVersion: "v1.32.0-edgeset",
    gitCommit: "edgeset",
    gitTreeState: "clean",
    buildDate: "2026-11-27T00:00:00Z",
    goVersion: "go1.23.4",
    compiler: "gc",
    platform: "cloudflare/workers",
  });
}
