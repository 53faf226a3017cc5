/**
 * @module
 * DaemonSet (and ControllerRevision) schemas for the older group-versions edgeset still serves:
 * `apps/v1beta2`, `apps/v1beta1` and `extensions/v1beta1`. They are the apps/v1 schemas under their own names,
 * with the differences of those versions' types.go: the deprecation notes, the optional
 * extensions selector (defaulted from the template labels), `spec.templateGeneration` and the
 * `OnDelete` default of extensions/v1beta1. The last Kubernetes releases that served them are
 * v1.15 (extensions/v1beta1, apps/v1beta1/2); their types.go there is what this follows.
 *
 * @example
 * versionedDaemonSetSchemas["io.k8s.api.extensions.v1beta1.DaemonSetSpec"].properties?.templateGeneration
 */
import { controllerRevisionSchemas } from "./controller-revision.ts";
import { daemonSetSchemas } from "./daemonset.ts";
import type { JsonSchema, SchemaMap } from "./json-schema.ts";

const appsV1 = "io.k8s.api.apps.v1.";

/** Copies the apps/v1 schemas into `io.k8s.api.<group>.<version>.*`, rewriting refs and GVKs. */
function renamed(source: SchemaMap, group: string, version: string): SchemaMap {
  const prefix = `io.k8s.api.${group === "apps" ? "apps" : group}.${version}.`;
  const text = JSON.stringify(source).replaceAll(`schemas/${appsV1}`, `schemas/${prefix}`);
  const copy = JSON.parse(text) as SchemaMap;
  const out: SchemaMap = {};
  for (const [name, schema] of Object.entries(copy)) {
    for (const gvk of schema["x-kubernetes-group-version-kind"] ?? []) Object.assign(gvk, { group, version });
    out[prefix + name.slice(appsV1.length)] = schema;
  }
  return out;
}

const prop = (map: SchemaMap, schema: string, name: string): JsonSchema => map[schema].properties![name];

function appsV1beta2(): SchemaMap {
  const map = renamed({ ...daemonSetSchemas, ...controllerRevisionSchemas }, "apps", "v1beta2");
  const p = "io.k8s.api.apps.v1beta2.";
  map[`${p}DaemonSet`].description =
    "DEPRECATED - This group version of DaemonSet is deprecated by apps/v1/DaemonSet. See the release notes for more information. DaemonSet represents the configuration of a daemon set.";
  map[`${p}ControllerRevision`].description =
    "DEPRECATED - This group version of ControllerRevision is deprecated by apps/v1/ControllerRevision. See the release notes for more information. " +
    map[`${p}ControllerRevision`].description;
  return map;
}

/**
 * The extensions/v1beta1 shape: optional selector (defaulted from the template labels),
 * `spec.templateGeneration`, `OnDelete` by default. apps/v1beta1 DaemonSets (which Kubernetes
 * never served, but older docs show) get the same shape.
 */
function withExtensionsShape(map: SchemaMap, prefix: string, deprecatedBy: string): SchemaMap {
  map[`${prefix}DaemonSet`].description = `DEPRECATED - This group version of DaemonSet is deprecated by ${deprecatedBy}. See the release notes for more information. DaemonSet represents the configuration of a daemon set.`;
  const spec = map[`${prefix}DaemonSetSpec`];
  spec.required = ["template"];
  prop(map, `${prefix}DaemonSetSpec`, "selector").description =
    "A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";
  prop(map, `${prefix}DaemonSetSpec`, "template").description =
    "An object that describes the pod that will be created. The DaemonSet will create exactly one copy of this pod on every node that matches the template's node selector (or on every node if no node selector is specified). More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#pod-template";
  spec.properties!.templateGeneration = {
    description:
      "DEPRECATED. A sequence number representing a specific generation of the template. Populated by the system. It can be set only during the creation.",
    type: "integer",
    format: "int64",
  };
  prop(map, `${prefix}DaemonSetUpdateStrategy`, "type").description =
    'Type of daemon set update. Can be "RollingUpdate" or "OnDelete". Default is OnDelete.';
  return map;
}

function extensionsV1beta1(): SchemaMap {
  return withExtensionsShape(renamed(daemonSetSchemas, "extensions", "v1beta1"), "io.k8s.api.extensions.v1beta1.", "apps/v1beta2/DaemonSet");
}

function appsV1beta1(): SchemaMap {
  const p = "io.k8s.api.apps.v1beta1.";
  const map = withExtensionsShape(renamed({ ...daemonSetSchemas, ...controllerRevisionSchemas }, "apps", "v1beta1"), p, "apps/v1beta2/DaemonSet");
  map[`${p}ControllerRevision`].description =
    "DEPRECATED - This group version of ControllerRevision is deprecated by apps/v1beta2/ControllerRevision. See the release notes for more information. " +
    map[`${p}ControllerRevision`].description;
  return map;
}

export const versionedDaemonSetSchemas: SchemaMap = { ...appsV1beta2(), ...appsV1beta1(), ...extensionsV1beta1() };
