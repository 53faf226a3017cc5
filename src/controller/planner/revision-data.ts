/**
 * @module
 * `getPatch` and `Match`: a ControllerRevision records only the pod template, as the strategic
 * merge patch that restores it (`{"spec":{"template":{"$patch":"replace", ...}}}`); `kubectl
 * rollout undo` sends that data back verbatim. The data is written as Go writes it (sorted keys,
 * `creationTimestamp: null`, see go-json.ts), because kubectl compares it byte for byte with the
 * patch it computes from the DaemonSet to say "skipped rollback". Two revisions are the same when
 * their normalized data is equal (null/empty values and `metadata.creationTimestamp` never make a
 * difference), so revisions recorded in another form still match.
 *
 * @example
 * revisionData(ds);          // { spec: { template: { $patch: "replace", metadata: {...}, spec: {...} } } }
 * matchRevision(ds, rev);    // true when rev records ds's current template
 */

import type { ControllerRevision, DaemonSet } from "../../resources/types.ts";
import { canonicalJson, stripEmpty } from "./canonical.ts";
import { goPodTemplate } from "./go-json.ts";

export function revisionData(ds: DaemonSet): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { $patch: "replace", ...goPodTemplate(ds.spec.template) } } };
}

function normalizeData(data: unknown): unknown {
  const copy = structuredClone(data) as { spec?: { template?: { metadata?: Record<string, unknown> } } } | null;
  const meta = copy?.spec?.template?.metadata;
  if (meta) delete meta.creationTimestamp;
  return stripEmpty(copy);
}

/** Canonical form of a revision's data, for equality checks. */
export function revisionDataKey(data: unknown): string {
  return canonicalJson(normalizeData(data));
}

/** `Match`: does the revision record the DaemonSet's current template? */
export function matchRevision(ds: DaemonSet, rev: ControllerRevision): boolean {
  return revisionDataKey(rev.data) === revisionDataKey(revisionData(ds));
}
