import { describe, expect, it } from "vitest";
import type { ResourceAttributes, Verb } from "./auth/request-info.ts";
import { authorize, forbidden, patchesOnlyMetadata } from "./authz.ts";
import type { Principal } from "./context.ts";

const admin: Principal = { type: "admin" };
const viewer: Principal = { type: "token", tokenId: "viewer000001", role: "viewer", namespaces: null };
const operator: Principal = { type: "token", tokenId: "operator0001", role: "operator", namespaces: ["team-a", "team-b"] };
const metrics: Principal = { type: "token", tokenId: "metrics00001", role: "metrics", namespaces: null };

const attrs = (verb: Verb, apiGroup: string, resource: string, namespace = "", name = "", subresource = ""): ResourceAttributes => ({ isResourceRequest: true, verb, apiGroup, resource, namespace, name, subresource });

describe("authorize", () => {
  it.each<[string, Principal, ResourceAttributes, boolean]>([
    ["admin deletes anything", admin, attrs("delete", "apps", "daemonsets", "default", "x"), true],
    ["admin reads secrets", admin, attrs("list", "", "secrets", "default"), true],
    ["admin execs into a pod", admin, attrs("get", "", "pods", "default", "p", "exec"), true],
    ["viewer cannot exec into a pod (a WebSocket exec is a GET)", viewer, attrs("get", "", "pods", "default", "p", "exec"), false],
    ["viewer cannot port-forward", viewer, attrs("get", "", "pods", "default", "p", "portforward"), false],
    ["operator cannot exec in its namespace", operator, attrs("create", "", "pods", "team-a", "p", "exec"), false],
    ["operator cannot port-forward in its namespace", operator, attrs("get", "", "pods", "team-a", "p", "portforward"), false],
    ["operator cannot attach in its namespace", operator, attrs("create", "", "pods", "team-a", "p", "attach"), false],
    ["viewer lists daemonsets everywhere", viewer, attrs("list", "apps", "daemonsets"), true],
    ["viewer watches pods", viewer, attrs("watch", "", "pods", "default"), true],
    ["viewer gets a node", viewer, attrs("get", "", "nodes", "", "n1"), true],
    ["viewer cannot create", viewer, attrs("create", "apps", "daemonsets", "default"), false],
    ["viewer cannot delete", viewer, attrs("delete", "", "pods", "default", "p"), false],
    ["viewer cannot label a node", viewer, attrs("patch", "", "nodes", "", "n1"), false],
    ["viewer cannot list secrets", viewer, attrs("list", "", "secrets", "default"), false],
    ["viewer cannot get a secret", viewer, attrs("get", "", "secrets", "default", "s"), false],
    ["viewer cannot watch secrets", viewer, attrs("watch", "", "secrets"), false],
    ["operator creates a daemonset in its namespace", operator, attrs("create", "apps", "daemonsets", "team-a"), true],
    ["operator deletes a secret in its namespace", operator, attrs("delete", "", "secrets", "team-b", "s"), true],
    ["operator deletes a pod collection in its namespace", operator, attrs("deletecollection", "", "pods", "team-a"), true],
    ["operator updates daemonset status in its namespace", operator, attrs("update", "apps", "daemonsets", "team-a", "x", "status"), true],
    ["operator writes events", operator, attrs("create", "events.k8s.io", "events", "team-a"), true],
    ["operator reads controllerrevisions", operator, attrs("list", "apps", "controllerrevisions", "team-a"), true],
    ["operator cannot write controllerrevisions", operator, attrs("delete", "apps", "controllerrevisions", "team-a", "r"), false],
    ["operator cannot touch another namespace", operator, attrs("get", "", "configmaps", "default", "c"), false],
    ["operator cannot list across namespaces", operator, attrs("list", "", "pods"), false],
    ["operator gets its namespace", operator, attrs("get", "", "namespaces", "team-a", "team-a"), true],
    ["operator cannot delete its namespace", operator, attrs("delete", "", "namespaces", "team-a", "team-a"), false],
    ["operator cannot list namespaces", operator, attrs("list", "", "namespaces"), false],
    ["operator cannot create a namespace", operator, attrs("create", "", "namespaces"), false],
    ["operator lists nodes", operator, attrs("list", "", "nodes"), true],
    ["operator patches a node (labels, checked on the body)", operator, attrs("patch", "", "nodes", "", "n1"), true],
    ["operator cannot update a node", operator, attrs("update", "", "nodes", "", "n1"), false],
    ["operator cannot delete a node", operator, attrs("delete", "", "nodes", "", "n1"), false],
    ["operator cannot patch node status", operator, attrs("patch", "", "nodes", "", "n1", "status"), false],
    ["operator reads node leases", operator, attrs("get", "coordination.k8s.io", "leases", "kube-node-lease", "n1"), true],
    ["admin reads a pod's log", admin, attrs("get", "", "pods", "default", "p", "log"), true],
    ["viewer cannot read a pod's log", viewer, attrs("get", "", "pods", "default", "p", "log"), false],
    ["operator cannot read a pod's log, even in its namespace", operator, attrs("get", "", "pods", "team-a", "p", "log"), false],
    ["operator cannot exec in a pod", operator, attrs("create", "", "pods", "team-a", "p", "exec"), false],
    ["operator cannot port-forward to a pod", operator, attrs("create", "", "pods", "team-a", "p", "portforward"), false],
    ["operator still reads pod status", operator, attrs("get", "", "pods", "team-a", "p", "status"), true],
    ["anyone authenticated asks can-i", viewer, attrs("create", "authorization.k8s.io", "selfsubjectaccessreviews"), true],
    ["anyone authenticated asks whoami", operator, attrs("create", "authentication.k8s.io", "selfsubjectreviews"), true],
  ])("%s", (_name, principal, request, allowed) => {
    expect(authorize(principal, request).allowed).toBe(allowed);
  });

  it("refuses an operator's node patch that changes more than labels and annotations", () => {
    const decision = authorize(operator, attrs("patch", "", "nodes", "", "n1"), { metadataOnly: false });
    expect(decision).toEqual({ allowed: false, reason: "an operator may patch only metadata.labels and metadata.annotations of a node" });
  });

  it.each<[string, Principal, boolean]>([
    ["admin", admin, true],
    ["viewer", viewer, true],
    ["operator", operator, true],
  ])("lets %s read discovery but post nowhere", (_name, principal, allowed) => {
    expect(authorize(principal, { isResourceRequest: false, verb: "get", path: "/apis" }).allowed).toBe(allowed);
    expect(authorize(principal, { isResourceRequest: false, verb: "post", path: "/apis" }).allowed).toBe(principal.type === "admin");
  });

  it.each<[string, Principal, string, boolean]>([
    ["admin", admin, "/metrics", true],
    ["viewer", viewer, "/metrics", true],
    ["operator", operator, "/metrics", false],
    ["metrics", metrics, "/metrics", true],
    ["metrics", metrics, "/healthz", true],
    ["metrics", metrics, "/apis", false],
  ])("lets %s GET %s: %s", (_name, principal, path, allowed) => {
    expect(authorize(principal, { isResourceRequest: false, verb: "get", path }).allowed).toBe(allowed);
  });

  it("gives a metrics token no resource but the self reviews", () => {
    expect(authorize(metrics, attrs("list", "", "nodes")).allowed).toBe(false);
    expect(authorize(metrics, attrs("get", "apps", "daemonsets", "default", "x")).allowed).toBe(false);
    expect(authorize(metrics, attrs("create", "authorization.k8s.io", "selfsubjectaccessreviews")).allowed).toBe(true);
  });

  it("refuses device credentials everything", () => {
    expect(authorize({ type: "bootstrap", tokenId: "abcdef", secret: "x" }, attrs("get", "", "pods", "default")).allowed).toBe(false);
  });
});

describe("forbidden", () => {
  it.each<[ResourceAttributes, string]>([
    [attrs("delete", "apps", "daemonsets", "default", "x"), 'daemonsets.apps "x" is forbidden: User "token:viewer000001" cannot delete resource "daemonsets" in API group "apps" in the namespace "default"'],
    [attrs("list", "", "secrets", "default"), 'secrets is forbidden: User "token:viewer000001" cannot list resource "secrets" in API group "" in the namespace "default"'],
    [attrs("list", "", "pods"), 'pods is forbidden: User "token:viewer000001" cannot list resource "pods" in API group "" at the cluster scope'],
    [attrs("update", "", "pods", "a", "p", "status"), 'pods "p" is forbidden: User "token:viewer000001" cannot update resource "pods/status" in API group "" in the namespace "a"'],
  ])("words it as the apiserver does: %j", (request, message) => {
    const error = forbidden(viewer, request, "");
    expect(error.code).toBe(403);
    expect(error.message).toBe(message);
  });
});

describe("patchesOnlyMetadata", () => {
  it.each<[string, unknown, boolean]>([
    ["application/merge-patch+json", { metadata: { labels: { a: "b" } } }, true],
    ["application/merge-patch+json", { metadata: { annotations: { a: null }, resourceVersion: "5" } }, true],
    ["application/strategic-merge-patch+json", { metadata: { labels: { a: "b" } } }, true],
    ["application/strategic-merge-patch+json", { spec: { unschedulable: true } }, false],
    ["application/merge-patch+json", { metadata: { labels: {}, finalizers: [] } }, false],
    ["application/merge-patch+json", { metadata: { labels: {} }, spec: { taints: [] } }, false],
    ["application/merge-patch+json", { metadata: null }, false],
    ["application/merge-patch+json", JSON.parse('{"__proto__":{"spec":{}}}'), false],
    ["application/merge-patch+json", [], false],
    ["application/json-patch+json", [{ op: "add", path: "/metadata/labels/a", value: "b" }], true],
    ["application/json-patch+json", [{ op: "replace", path: "/metadata/labelsx", value: {} }], false],
    ["application/json-patch+json", [{ op: "move", from: "/spec/taints", path: "/metadata/annotations/x" }], false],
    ["application/json-patch+json", [{ op: "remove", path: "/spec/taints" }], false],
    ["application/apply-patch+yaml", { metadata: { labels: {} } }, false],
  ])("%s %j → %s", (contentType, body, expected) => {
    expect(patchesOnlyMetadata(contentType, body)).toBe(expected);
  });
});
