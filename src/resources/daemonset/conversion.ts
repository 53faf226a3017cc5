/**
 * @module
 * DaemonSet conversion between the served versions and the internal form (apps/v1 JSON with
 * the template generation in the `deprecated.daemonset.template.generation` annotation), as
 * pkg/apis/apps/v1/conversion.go and the extensions/v1beta1 conversions do: extensions keeps
 * the generation in `spec.templateGeneration`, the apps versions in the annotation.
 *
 * @example
 * toInternalDaemonSet({ apiVersion: "extensions/v1beta1", spec: { templateGeneration: 2, ... } }, "extensions/v1beta1")
 * // { apiVersion: "apps/v1", metadata: { annotations: { "deprecated.daemonset.template.generation": "2" } }, spec: { ... } }
 */
import { wellKnown, type DaemonSet } from "../types.ts";
import { hasExtensionsShape, internalApiVersion } from "./versions.ts";

const annotation = wellKnown.templateGenerationAnnotation;

/** A DaemonSet in any accepted version to the internal form (a copy). */
export function toInternalDaemonSet(obj: unknown, apiVersion: string): DaemonSet {
  const ds = structuredClone(obj) as DaemonSet;
  ds.apiVersion = internalApiVersion;
  ds.kind = "DaemonSet";
  ds.metadata ??= {};
  if (hasExtensionsShape(apiVersion) && ds.spec) {
    const { templateGeneration, ...spec } = ds.spec;
    ds.spec = spec;
    if (templateGeneration !== undefined && templateGeneration !== null) {
      ds.metadata.annotations = { ...ds.metadata.annotations, [annotation]: String(templateGeneration) };
    }
  }
  return ds;
}

/** The internal form to a served version (a copy). */
export function fromInternalDaemonSet(ds: DaemonSet, apiVersion: string): DaemonSet {
  const out = structuredClone(ds);
  out.apiVersion = apiVersion;
  out.kind = "DaemonSet";
  if (hasExtensionsShape(apiVersion)) {
    const annotations = { ...out.metadata?.annotations };
    const value = annotations[annotation];
    delete annotations[annotation];
    if (out.metadata) {
      if (Object.keys(annotations).length) out.metadata.annotations = annotations;
      else delete out.metadata.annotations;
    }
    if (value !== undefined && /^-?\d+$/.test(value)) {
      const { selector, template, ...rest } = out.spec;
      out.spec = { selector, template, templateGeneration: Number(value), ...rest };
    }
  }
  return out;
}

/** The template generation of an internal DaemonSet (0 when unset, like the Go zero value). */
export function templateGenerationOf(ds: DaemonSet): number {
  const v = ds.metadata?.annotations?.[annotation];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : 0;
}

/** A copy of `ds` with the template generation annotation set to `generation`. */
export function withTemplateGeneration(ds: DaemonSet, generation: number): DaemonSet {
  return { ...ds, metadata: { ...ds.metadata, annotations: { ...ds.metadata?.annotations, [annotation]: String(generation) } } };
}
