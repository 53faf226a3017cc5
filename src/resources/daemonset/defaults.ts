/**
 * @module
 * Per-version DaemonSet defaults, applied in the version's own JSON shape
 * (pkg/apis/apps/v1/defaults.go, apps/v1beta2/defaults.go, extensions/v1beta1/defaults.go
 * SetDefaults_DaemonSet), plus the pod template defaults.
 *
 * @example
 * defaultDaemonSet(body, "apps/v1").spec.updateStrategy // { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }
 * defaultDaemonSet(body, "extensions/v1beta1").spec.updateStrategy // { type: "OnDelete" }
 */
import { defaultPodSpec } from "../pod/defaults.ts";
import type { DaemonSet, PodSpec } from "../types.ts";
import { hasExtensionsShape } from "./versions.ts";

/** Returns a defaulted copy of a DaemonSet written in `apiVersion`. */
export function defaultDaemonSet<T extends DaemonSet>(obj: T, apiVersion: string): T {
  const ds = structuredClone(obj);
  ds.metadata ??= {};
  ds.spec ??= {} as T["spec"];
  const spec = ds.spec;
  spec.template ??= { spec: { containers: [] } };
  const templateLabels = spec.template.metadata?.labels;
  if (hasExtensionsShape(apiVersion)) {
    // extensions/v1beta1: the selector and the object's labels default from the template labels.
    if (templateLabels) {
      if (!spec.selector) spec.selector = { matchLabels: { ...templateLabels } };
      if (!ds.metadata.labels || Object.keys(ds.metadata.labels).length === 0) ds.metadata.labels = { ...templateLabels };
    }
  }
  const strategy = (spec.updateStrategy ??= {});
  if (!strategy.type) strategy.type = hasExtensionsShape(apiVersion) ? "OnDelete" : "RollingUpdate";
  if (strategy.type === "RollingUpdate") {
    const rolling = (strategy.rollingUpdate ??= {});
    rolling.maxUnavailable ??= 1;
    rolling.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  spec.template.spec = defaultPodSpec(spec.template.spec ?? ({ containers: [] } as unknown as PodSpec));
  return ds;
}
