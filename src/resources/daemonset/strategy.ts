/**
 * @module
 * The DaemonSet registry strategy (pkg/registry/apps/daemonset/strategy.go) on the internal form:
 * what the server sets on create, and what it keeps from the stored object on spec and status
 * updates. The template generation lives in the `deprecated.daemonset.template.generation`
 * annotation.
 *
 * @example
 * prepareDaemonSetForCreate(ds).metadata // { generation: 1, annotations: { "deprecated.daemonset.template.generation": "1" } }
 */
import type { DaemonSet, DaemonSetStatus } from "../types.ts";
import { templateGenerationOf, withTemplateGeneration } from "./conversion.ts";
import { deepEqual } from "./deep-equal.ts";

const emptyStatus = (): DaemonSetStatus => ({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });

/** PrepareForCreate: status cleared, generation 1, template generation at least 1. */
export function prepareDaemonSetForCreate(ds: DaemonSet): DaemonSet {
  const out = withTemplateGeneration(ds, Math.max(templateGenerationOf(ds), 1));
  return { ...out, metadata: { ...out.metadata, generation: 1 }, status: emptyStatus() };
}

/**
 * PrepareForUpdate: status and template generation come from the stored object; a template
 * change bumps both the template generation and the generation, any other spec change only the
 * generation, and a metadata-only change neither.
 */
export function prepareDaemonSetForUpdate(ds: DaemonSet, old: DaemonSet): DaemonSet {
  const oldGen = templateGenerationOf(old);
  const oldGeneration = old.metadata?.generation ?? 0;
  const templateChanged = !deepEqual(ds.spec?.template, old.spec?.template);
  const specChanged = templateChanged || !deepEqual(ds.spec, old.spec);
  const out = withTemplateGeneration(ds, templateChanged ? oldGen + 1 : oldGen);
  const generation = specChanged ? oldGeneration + 1 : oldGeneration;
  return { ...out, metadata: { ...out.metadata, generation }, status: old.status };
}

/** prepareDaemonSetStatusForUpdate: the spec (and its bookkeeping) stays as stored. */
export function prepareDaemonSetStatusForUpdate(ds: DaemonSet, old: DaemonSet): DaemonSet {
  const out = withTemplateGeneration({ ...ds, spec: old.spec }, templateGenerationOf(old));
  return { ...out, metadata: { ...out.metadata, generation: old.metadata?.generation } };
}
