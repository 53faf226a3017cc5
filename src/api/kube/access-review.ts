/**
 * @module
 * `authorization.k8s.io/v1` SelfSubjectAccessReviews, so `kubectl auth can-i` (and dashboards that
 * ask before they offer an action) get an answer. edgeset has one operator role: whoever reaches
 * the Kubernetes API holds the admin token (device credentials are refused before this point), so
 * every review is allowed.
 *
 * @example
 * // POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews {"spec":{"resourceAttributes":{"verb":"create","resource":"daemonsets"}}}
 * // → 201 {"kind":"SelfSubjectAccessReview",…,"status":{"allowed":true,"reason":"…"}}
 */
import type { ResourceInfo } from "../../resources/registry.ts";
import type { AppContext } from "../context.ts";
import { ApiError } from "../errors.ts";
import { readJsonObjectBody, sendJson } from "./request.ts";

export const accessReviewResource: ResourceInfo = {
  group: "authorization.k8s.io",
  versions: ["v1"],
  kind: "SelfSubjectAccessReview",
  plural: "selfsubjectaccessreviews",
  singular: "selfsubjectaccessreview",
  namespaced: false,
  verbs: ["create"],
};

export async function handleAccessReview(c: AppContext): Promise<Response> {
  const body = await readJsonObjectBody(c, "SelfSubjectAccessReview");
  const spec = body.spec as { resourceAttributes?: unknown; nonResourceAttributes?: unknown } | undefined;
  const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(spec) || !(isObject(spec!.resourceAttributes) || isObject(spec!.nonResourceAttributes))) {
    throw new ApiError(422, "Invalid", 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified', {
      group: "authorization.k8s.io",
      kind: "SelfSubjectAccessReview",
      causes: [{ reason: "FieldValueInvalid", field: "spec.resourceAttributes", message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified' }],
    });
  }
  return sendJson(
    c,
    {
      kind: "SelfSubjectAccessReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: { creationTimestamp: null },
      spec,
      status: { allowed: true, reason: "edgeset: the admin token may do everything the API serves" },
    },
    201,
  );
}
