/**
 * @module
 * Loading what a DaemonSet pass judges pod (anti-)affinity against, and only as much as it needs:
 * a DaemonSet with required pod (anti-)affinity terms of its own sees every bound pod; any other
 * DaemonSet sees only the bound pods that carry required anti-affinity (which can still keep its
 * pods off a node, by symmetry), and when there are none it needs no world at all.
 *
 * @example
 * const world = await loadSchedulingWorld(db, ds); // undefined: bind every pod straight away
 */
import type { DaemonSet, Namespace } from "../resources/types.ts";
import { hasRequiredPodAffinityTerms } from "../scheduling/index.ts";
import { listBoundPods } from "../store/bound-pods.ts";
import type { Db } from "../store/db.ts";
import { listObjects } from "../store/objects.ts";
import type { SchedulingWorld } from "./planner/index.ts";

export async function loadSchedulingWorld(db: Db, ds: DaemonSet): Promise<SchedulingWorld | undefined> {
  const own = hasRequiredPodAffinityTerms(ds.spec.template.spec);
  const pods = await listBoundPods(db, { requiredAntiAffinityOnly: !own });
  if (!own && pods.length === 0) return undefined;
  const namespaces = await listObjects<Namespace>(db, "Namespace");
  return { pods, namespaces: namespaces.items };
}
