/**
 * @module
 * A pod template in the form Go's `encoding/json` gives it after a round trip through the typed
 * Kubernetes structs and back into a map (kubectl's `getDaemonSetPatch`): keys sorted at every
 * level, `metadata.creationTimestamp: null`, `resources: {}` on every container, empty lists and
 * maps and zero-valued `omitempty` scalars left out, while pointer fields (`securityContext: {}`,
 * `emptyDir: {}`, `privileged: false`, `hostPath.type: ""`) and required fields keep their value.
 *
 * Why: `kubectl rollout undo` says "skipped rollback (current template already matches revision
 * N)" only when the revision's `data` is byte-for-byte what it computes from the DaemonSet it
 * read, so revisions are recorded in exactly that form.
 *
 * Not reproduced: Go's HTML escaping of `<`, `>` and `&` in strings (that belongs to the response
 * encoder) and Quantity canonicalization (`0.5` stays `0.5`, Go prints `"500m"`).
 *
 * @example
 * goPodTemplate({ metadata: { labels: { app: "a" } }, spec: { containers: [{ name: "c", image: "i" }] } });
 * // { metadata: { creationTimestamp: null, labels: { app: "a" } },
 * //   spec: { containers: [{ image: "i", name: "c", resources: {} }] } }
 */

import type { PodTemplateSpec } from "../../resources/types.ts";

/** Fields whose Go type is a map with `omitempty`: dropped when empty; their values are data. */
const mapFields = new Set([
  "annotations",
  "labels",
  "limits",
  "matchLabels",
  "nodeSelector",
  "overhead",
  "requests",
  "volumeAttributes",
]);

/** Scalar fields that are pointers or lack `omitempty` in Go: a zero value is still written. */
const keepZero = new Set([
  // required (no omitempty)
  "name",
  "containerPort",
  "mountPath",
  "path",
  "key",
  "operator",
  "weight",
  "topologyKey",
  "port",
  "fieldPath",
  "type",
  "resource",
  // pointers
  "activeDeadlineSeconds",
  "allowPrivilegeEscalation",
  "automountServiceAccountToken",
  "defaultMode",
  "enableServiceLinks",
  "fsGroup",
  "fsGroupChangePolicy",
  "hostUsers",
  "localhostProfile",
  "mode",
  "mountPropagation",
  "optional",
  "preemptionPolicy",
  "priority",
  "privileged",
  "procMount",
  "readOnlyRootFilesystem",
  "recursiveReadOnly",
  "runAsGroup",
  "runAsNonRoot",
  "runAsUser",
  "runtimeClassName",
  "seLinuxChangePolicy",
  "setHostnameAsFQDN",
  "shareProcessNamespace",
  "sizeLimit",
  "supplementalGroupsPolicy",
  "terminationGracePeriodSeconds",
  "tolerationSeconds",
]);

/** List fields without `omitempty`: an empty list is still written. */
const keepEmptyList = new Set(["containers", "nodeSelectorTerms"]);

const containerLists = new Set(["containers", "initContainers", "ephemeralContainers"]);

const isZero = (v: unknown) => v === "" || v === 0 || v === false;

function sortedObject(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return out;
}

/** A map field: values kept as they are (even "" and empty), keys sorted. */
function goMap(value: Record<string, unknown>): Record<string, unknown> {
  return sortedObject(Object.entries(value).map(([k, v]) => [k, goValue(v, "")]));
}

function goValue(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => goValue(item, ""));
    if (containerLists.has(key)) return items.map((c) => withResources(c));
    return items;
  }
  if (value !== null && typeof value === "object") {
    if (mapFields.has(key)) return goMap(value as Record<string, unknown>);
    const entries: [string, unknown][] = [];
    for (const [k, v] of Object.entries(value)) {
      const converted = goField(k, v);
      if (converted !== undefined) entries.push([k, converted]);
    }
    return sortedObject(entries);
  }
  return value;
}

/** One struct field: undefined when Go would leave it out. */
function goField(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.length === 0 && !keepEmptyList.has(key) ? undefined : goValue(value, key);
  if (typeof value === "object") {
    if (mapFields.has(key) && Object.keys(value).length === 0) return undefined;
    return goValue(value, key);
  }
  if (isZero(value) && !keepZero.has(key)) return undefined;
  return value;
}

/** `Container.resources` is a struct, not a pointer: always written, `{}` when unset. */
function withResources(container: unknown): unknown {
  if (container === null || typeof container !== "object") return container;
  const c = container as Record<string, unknown>;
  if (c.resources !== undefined) return c;
  return sortedObject([...Object.entries(c), ["resources", {}]]);
}

/** The template as Go writes it (see the module comment). */
export function goPodTemplate(template: PodTemplateSpec): Record<string, unknown> {
  const out = goValue(template, "") as Record<string, unknown>;
  const metadata = (out.metadata as Record<string, unknown> | undefined) ?? {};
  return sortedObject([
    ...Object.entries(out).filter(([k]) => k !== "metadata"),
    ["metadata", sortedObject([...Object.entries(metadata).filter(([k]) => k !== "creationTimestamp"), ["creationTimestamp", null]])],
  ]);
}
