/**
 * @module
 * One source of JSON schemas for every kind edgeset serves: the lookup from apiVersion/kind to
 * the Kubernetes schema name, and structural validation of request bodies against it.
 *
 * @example
 * const name = schemaNameFor("apps/v1", "DaemonSet"); // "io.k8s.api.apps.v1.DaemonSet"
 * const { unknownFields, errors, pruned } = validateStructure(body, name!);
 */
import { affinitySchemas } from "./affinity.ts";
import { containerSchemas } from "./container.ts";
import { controllerRevisionSchemas } from "./controller-revision.ts";
import { coreSchemas } from "./core.ts";
import { daemonSetSchemas } from "./daemonset.ts";
import { versionedDaemonSetSchemas } from "./daemonset-versions.ts";
import type { GroupVersionKind, SchemaMap } from "./json-schema.ts";
import { metaSchemas } from "./meta-object.ts";
import { nodeSchemas } from "./node.ts";
import { podSchemas } from "./pod.ts";
import { podSpecSchemas } from "./pod-spec.ts";
import { probeSchemas } from "./probe.ts";
import { scalarSchemas } from "./scalars.ts";
import { securityContextSchemas } from "./security-context.ts";
import { validateAgainstSchema, type StructureResult } from "./validate-structure.ts";
import { volumeSchemas } from "./volume.ts";

export type { GroupVersionKind, JsonSchema, SchemaMap } from "./json-schema.ts";
export { ref, refPrefix } from "./json-schema.ts";
export { resolveSchema, validateAgainstSchema, type StructureResult } from "./validate-structure.ts";

/** Every schema, keyed by its Kubernetes name. */
export const allSchemas: SchemaMap = {
  ...scalarSchemas,
  ...metaSchemas,
  ...containerSchemas,
  ...probeSchemas,
  ...securityContextSchemas,
  ...volumeSchemas,
  ...affinitySchemas,
  ...podSpecSchemas,
  ...podSchemas,
  ...nodeSchemas,
  ...coreSchemas,
  ...daemonSetSchemas,
  ...controllerRevisionSchemas,
  ...versionedDaemonSetSchemas,
};

const gvkKey = (group: string, version: string, kind: string): string => `${group}/${version}/${kind}`;

const byGvk = new Map<string, string>();
for (const [name, schema] of Object.entries(allSchemas)) {
  for (const g of schema["x-kubernetes-group-version-kind"] ?? []) byGvk.set(gvkKey(g.group, g.version, g.kind), name);
}

/** The schema name of a kind in a group-version (`""` for core), or undefined. */
export function schemaNameForGVK(gvk: GroupVersionKind): string | undefined {
  return byGvk.get(gvkKey(gvk.group, gvk.version, gvk.kind));
}

/** The schema name for an object's `apiVersion` and `kind` (`"v1"`, `"apps/v1"`), or undefined. */
export function schemaNameFor(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf("/");
  const [group, version] = slash < 0 ? ["", apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  return schemaNameForGVK({ group, version, kind });
}

/**
 * Checks `obj` against the named schema: unknown fields (with their paths), type errors, and
 * the object with unknown fields dropped. `fieldValidation=Strict` rejects when `unknownFields`
 * is not empty, `Warn` reports them as warnings, `Ignore` just uses `pruned`.
 */
export function validateStructure(obj: unknown, schemaName: string): StructureResult {
  const schema = allSchemas[schemaName];
  if (!schema) throw new Error(`unknown schema ${schemaName}`);
  return validateAgainstSchema(obj, schema, allSchemas);
}
