/**
 * @module
 * The pods bound to nodes, in every namespace: what required pod (anti-)affinity is judged
 * against. Read only by a DaemonSet pass that is about to place pods, never on the sync path.
 *
 * @example
 * const pods = await listBoundPods(db);                                  // DaemonSets with required pod (anti-)affinity
 * const holders = await listBoundPods(db, { requiredAntiAffinityOnly: true }); // the others: symmetric anti-affinity only
 */
import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import type { Pod } from "../resources/types.ts";
import { withRetry, type Db } from "./db.ts";
import { rowToObject } from "./rows.ts";
import { objects } from "./schema.ts";

export interface BoundPodsOptions {
  /**
   * Only pods that carry required podAntiAffinity terms (the ones that can keep a pod without
   * terms of its own off a node), read through their own index (`required_anti_affinity`).
   */
  requiredAntiAffinityOnly?: boolean;
}

const terminal = sql`coalesce(json_extract(${objects.body}, '$.status.phase'), '') NOT IN ('Succeeded', 'Failed')`;

/** Bound, non-terminal pods (pods being deleted included: they run until their node confirms). */
export async function listBoundPods(db: Db, options: BoundPodsOptions = {}): Promise<Pod[]> {
  const rows = await withRetry(() =>
    db
      .select({ body: objects.body, resourceVersion: objects.resourceVersion })
      .from(objects)
      .where(and(eq(objects.kind, "Pod"), isNotNull(objects.nodeName), options.requiredAntiAffinityOnly ? eq(objects.requiredAntiAffinity, 1) : undefined, terminal))
      .orderBy(asc(objects.namespace), asc(objects.name))
      .all(),
  );
  return rows.map((row) => rowToObject<Pod>(row));
}
