/**
 * @module
 * The DaemonSet API versions: served ones, and which of them have the extensions/v1beta1 shape
 * (optional selector defaulted from the template labels, `spec.templateGeneration`, `OnDelete`).
 *
 * @example
 * hasExtensionsShape("apps/v1beta1") // true
 */

/** Served, preferred first. */
export const daemonSetApiVersions = ["apps/v1", "apps/v1beta2", "extensions/v1beta1"] as const;
/** Accepted in request bodies as the older docs describe (Kubernetes never served it). */
export const acceptedDaemonSetApiVersions = [...daemonSetApiVersions, "apps/v1beta1"] as const;
export type DaemonSetApiVersion = (typeof acceptedDaemonSetApiVersions)[number];

/** The internal form is apps/v1 JSON. */
export const internalApiVersion = "apps/v1";

export const isDaemonSetApiVersion = (v: string): v is DaemonSetApiVersion => (acceptedDaemonSetApiVersions as readonly string[]).includes(v);

/** extensions/v1beta1, and apps/v1beta1 which behaves like it. */
export const hasExtensionsShape = (apiVersion: string): boolean => apiVersion === "extensions/v1beta1" || apiVersion === "apps/v1beta1";
