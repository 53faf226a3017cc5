import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.ts";
import { parseTarget } from "./target.ts";

describe("parseTarget", () => {
  it.each<[string, string, string, string[], object]>([
    ["a namespaced collection", "apps", "v1", ["namespaces", "default", "daemonsets"], { namespace: "default", name: undefined, subresource: undefined }],
    ["a namespaced object", "apps", "v1", ["namespaces", "default", "daemonsets", "web"], { namespace: "default", name: "web" }],
    ["a namespaced subresource", "apps", "v1", ["namespaces", "default", "daemonsets", "web", "status"], { name: "web", subresource: "status" }],
    ["an all-namespaces collection", "", "v1", ["pods"], { groupVersion: "v1" }],
    ["a cluster-scoped object", "", "v1", ["nodes", "n1"], { name: "n1" }],
    ["a cluster-scoped subresource", "", "v1", ["nodes", "n1", "status"], { name: "n1", subresource: "status" }],
    ["a namespace itself", "", "v1", ["namespaces", "shop"], { name: "shop" }],
    ["a namespace's status", "", "v1", ["namespaces", "shop", "status"], { name: "shop", subresource: "status" }],
    ["the legacy watch prefix", "", "v1", ["watch", "namespaces", "default", "pods"], { legacyWatch: true, namespace: "default" }],
    ["an older DaemonSet version", "extensions", "v1beta1", ["namespaces", "default", "daemonsets", "web"], { groupVersion: "extensions/v1beta1", name: "web" }],
  ])("%s", (_name, group, version, segments, want) => {
    expect(parseTarget(group, version, segments)).toMatchObject(want);
  });

  it("leaves namespace and name unset where the path has none", () => {
    const all = parseTarget("", "v1", ["pods"]);
    expect([all.namespace, all.name]).toEqual([undefined, undefined]);
    expect(parseTarget("", "v1", ["nodes", "n1"]).namespace).toBeUndefined();
  });

  it.each<[string, string, string, string[]]>([
    ["an unknown resource", "apps", "v1", ["namespaces", "default", "widgets"]],
    ["a subresource the kind does not serve (pods/log)", "", "v1", ["namespaces", "default", "pods", "web-x", "log"]],
    ["a cluster-scoped kind under a namespace", "", "v1", ["namespaces", "default", "nodes", "n1"]],
    ["a namespaced kind without its namespace", "apps", "v1", ["daemonsets", "web"]],
    ["too many segments", "apps", "v1", ["namespaces", "default", "daemonsets", "web", "status", "x"]],
    ["a version the kind is not served in", "apps", "v2", ["namespaces", "default", "daemonsets"]],
  ])("404 for %s", (_name, group, version, segments) => {
    expect(() => parseTarget(group, version, segments)).toThrow(ApiError);
    try {
      parseTarget(group, version, segments);
    } catch (error) {
      expect((error as ApiError).code).toBe(404);
    }
  });
});
