import { describe, expect, it } from "vitest";
import { requestInfo } from "./request-info.ts";

describe("requestInfo", () => {
  it.each([
    ["GET", "/api/v1/namespaces/default/pods", "", { verb: "list", apiGroup: "", resource: "pods", namespace: "default", name: "", subresource: "" }],
    ["GET", "/api/v1/namespaces/default/pods/web", "", { verb: "get", resource: "pods", namespace: "default", name: "web" }],
    ["GET", "/api/v1/pods", "watch=true", { verb: "watch", resource: "pods", namespace: "" }],
    // watch as the apiserver converts a bool: only "0" and "false" (any case) are false.
    ["GET", "/api/v1/pods", "watch=True", { verb: "watch", resource: "pods" }],
    ["GET", "/api/v1/pods", "watch=", { verb: "watch", resource: "pods" }],
    ["GET", "/api/v1/pods", "watch=yes", { verb: "watch", resource: "pods" }],
    ["GET", "/api/v1/pods", "watch=FALSE", { verb: "list", resource: "pods" }],
    ["GET", "/api/v1/pods", "watch=0", { verb: "list", resource: "pods" }],
    ["GET", "/api/v1/watch/namespaces/a/configmaps", "", { verb: "watch", resource: "configmaps", namespace: "a" }],
    ["POST", "/apis/apps/v1/namespaces/default/daemonsets", "", { verb: "create", apiGroup: "apps", resource: "daemonsets" }],
    ["PUT", "/apis/apps/v1/namespaces/default/daemonsets/x/status", "", { verb: "update", name: "x", subresource: "status" }],
    ["PATCH", "/api/v1/nodes/n1", "", { verb: "patch", resource: "nodes", namespace: "", name: "n1" }],
    ["DELETE", "/api/v1/namespaces/a/secrets/s", "", { verb: "delete", resource: "secrets", name: "s" }],
    ["DELETE", "/api/v1/namespaces/a/secrets", "", { verb: "deletecollection", resource: "secrets", name: "" }],
    // A namespace is in its own namespace, as the apiserver resolves it.
    ["GET", "/api/v1/namespaces/a", "", { verb: "get", resource: "namespaces", namespace: "a", name: "a" }],
    ["PUT", "/api/v1/namespaces/a/finalize", "", { verb: "update", resource: "namespaces", namespace: "a", name: "a", subresource: "finalize" }],
    ["GET", "/api/v1/namespaces", "", { verb: "list", resource: "namespaces", namespace: "" }],
    ["GET", "/api/v1/namespaces/a%2Fb/pods", "", { namespace: "a/b", resource: "pods" }],
  ])("%s %s?%s", (method, path, query, expected) => {
    expect(requestInfo(method, path, new URLSearchParams(query))).toMatchObject({ isResourceRequest: true, ...expected });
  });

  it.each([
    ["GET", "/api"],
    ["GET", "/api/v1"],
    ["GET", "/apis/apps/v1"],
    ["GET", "/openapi/v3"],
    ["OPTIONS", "/api/v1/pods"],
  ])("%s %s is a non-resource request", (method, path) => {
    expect(requestInfo(method, path, new URLSearchParams())).toEqual({ isResourceRequest: false, verb: method.toLowerCase(), path });
  });

  it("refuses a malformed percent-escape", () => {
    expect(requestInfo("GET", "/api/v1/namespaces/%zz/pods", new URLSearchParams())).toBeUndefined();
  });
});
