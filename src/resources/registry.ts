/**
 * @module
 * The kinds edgeset serves and how each is named on the wire: group, versions, plural,
 * scope, short names, categories and verbs. Discovery, routing, OpenAPI and error messages
 * (`daemonsets.apps "x" not found`) all read this one table.
 */

export type Verb = "create" | "delete" | "deletecollection" | "get" | "list" | "patch" | "update" | "watch";

export interface ResourceInfo {
  /** API group; "" for the core group. */
  group: string;
  /** Served versions, preferred first. */
  versions: readonly string[];
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: readonly string[];
  categories?: readonly string[];
  verbs: readonly Verb[];
  /** Subresources served under `/{name}/<sub>`. */
  subresources?: readonly string[];
}

const all: readonly Verb[] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export const resources = {
  DaemonSet: {
    group: "apps",
    // apps/v1beta1 never served DaemonSets in Kubernetes, but older docs list it: edgeset serves it
    // (with the extensions/v1beta1 defaults) so such manifests apply; apps/v1 stays preferred.
    versions: ["v1", "v1beta2", "v1beta1"],
    kind: "DaemonSet",
    plural: "daemonsets",
    singular: "daemonset",
    namespaced: true,
    shortNames: ["ds"],
    categories: ["all"],
    verbs: all,
    subresources: ["status"],
  },
  // No short name here: `ds` would be ambiguous for kubectl, which must resolve it to apps.
  DaemonSetExtensions: {
    group: "extensions",
    versions: ["v1beta1"],
    kind: "DaemonSet",
    plural: "daemonsets",
    singular: "daemonset",
    namespaced: true,
    verbs: all,
    subresources: ["status"],
  },
  ControllerRevision: {
    group: "apps",
    versions: ["v1", "v1beta2", "v1beta1"],
    kind: "ControllerRevision",
    plural: "controllerrevisions",
    singular: "controllerrevision",
    namespaced: true,
    verbs: all,
  },
  Pod: {
    group: "",
    versions: ["v1"],
    kind: "Pod",
    plural: "pods",
    singular: "pod",
    namespaced: true,
    shortNames: ["po"],
    categories: ["all"],
    verbs: all,
    subresources: ["status"],
  },
  Node: {
    group: "",
    versions: ["v1"],
    kind: "Node",
    plural: "nodes",
    singular: "node",
    namespaced: false,
    shortNames: ["no"],
    verbs: all,
    subresources: ["status"],
  },
  Namespace: {
    group: "",
    versions: ["v1"],
    kind: "Namespace",
    plural: "namespaces",
    singular: "namespace",
    namespaced: false,
    shortNames: ["ns"],
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    subresources: ["status"],
  },
  Event: {
    group: "",
    versions: ["v1"],
    kind: "Event",
    plural: "events",
    singular: "event",
    namespaced: true,
    shortNames: ["ev"],
    verbs: all,
  },
  ConfigMap: {
    group: "",
    versions: ["v1"],
    kind: "ConfigMap",
    plural: "configmaps",
    singular: "configmap",
    namespaced: true,
    shortNames: ["cm"],
    verbs: all,
  },
  Secret: {
    group: "",
    versions: ["v1"],
    kind: "Secret",
    plural: "secrets",
    singular: "secret",
    namespaced: true,
    verbs: all,
  },
} as const satisfies Record<string, ResourceInfo>;

export type ResourceName = keyof typeof resources;

/** `daemonsets.apps` / `pods`: the qualified resource name Kubernetes puts in error messages. */
export const qualifiedName = (info: ResourceInfo): string => (info.group ? `${info.plural}.${info.group}` : info.plural);

/** `apps/v1` or `v1`. */
export const groupVersion = (group: string, version: string): string => (group ? `${group}/${version}` : version);

/** Finds the resource served at `group/version/plural`, or undefined. */
export function lookupResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  for (const info of Object.values(resources) as ResourceInfo[]) {
    if (info.group === group && info.plural === plural && info.versions.includes(version)) return info;
  }
  return undefined;
}
