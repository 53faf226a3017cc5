/**
 * @module
 * `authentication.k8s.io/v1` SelfSubjectReview, so `kubectl auth whoami` names the caller: its
 * user name (`admin` or `token:<id>`, as in every 403 and the audit log), its groups (the role)
 * and, for an operator, its namespaces.
 *
 * @example
 * // POST /apis/authentication.k8s.io/v1/selfsubjectreviews {}
 * // → 201 {"kind":"SelfSubjectReview",…,"status":{"userInfo":{"username":"token:…","groups":["edgeset:viewers","system:authenticated"]}}}
 */
import type { ResourceInfo } from "../../resources/registry.ts";
import { groupsOf, userName } from "../authz.ts";
import type { AppContext } from "../context.ts";
import { sendJson } from "./request.ts";

export const selfSubjectReviewResource: ResourceInfo = {
  group: "authentication.k8s.io",
  versions: ["v1"],
  kind: "SelfSubjectReview",
  plural: "selfsubjectreviews",
  singular: "selfsubjectreview",
  namespaced: false,
  verbs: ["create"],
};

export function handleSelfSubjectReview(c: AppContext): Response {
  const principal = c.var.principal;
  const extra = principal.type === "token" && principal.namespaces ? { extra: { "edgeset.dev/namespaces": principal.namespaces } } : {};
  return sendJson(
    c,
    {
      kind: "SelfSubjectReview",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { creationTimestamp: null },
      status: { userInfo: { username: userName(principal), groups: groupsOf(principal), ...extra } },
    },
    201,
  );
}
