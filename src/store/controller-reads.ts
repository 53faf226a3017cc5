/**
 * @module
 * The reads a DaemonSet controller's view (controller/daemonset-view.ts) is kept up to date with:
 * by name and by node, each through an index (the primary key, `objects_node`, `objects_owner`),
 * so a pass told that one node changed reads that node and its pods, whatever the fleet's size.
 * Name lists are chunked within D1's 100 bound parameters.
 *
 * @example
 * const [nodes, pods] = await Promise.all([listNodesNamed(db, ["edge-1"]), listPodsOnNodes(db, ["edge-1"])]);
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { ControllerRevision, KubeObject, Node, Pod } from "../resources/types.ts";
import { withRetry, type Db } from "./db.ts";
import { chunkRows } from "./chunk.ts";
import { rowToObject } from "./rows.ts";
import { objects } from "./schema.ts";

/** Names per statement: the list plus the kind and namespace stay within 100 parameters. */
const namesPerStatement = 90;

const columns = { body: objects.body, resourceVersion: objects.resourceVersion };

async function inChunks<T extends KubeObject>(names: readonly string[], read: (chunk: string[]) => Promise<{ body: string; resourceVersion: number }[]>): Promise<T[]> {
  const unique = [...new Set(names)];
  const chunks = chunkRows(unique, 1, namesPerStatement);
  const rows = await Promise.all(chunks.map((chunk) => withRetry(() => read(chunk))));
  return rows.flat().map((row) => rowToObject<T>(row));
}

/** The Nodes of these names that exist (primary key). */
export function listNodesNamed(db: Db, names: readonly string[]): Promise<Node[]> {
  return inChunks<Node>(names, (chunk) =>
    db
      .select(columns)
      .from(objects)
      .where(and(eq(objects.kind, "Node"), eq(objects.namespace, ""), inArray(objects.name, chunk)))
      .all(),
  );
}

/** The pods bound to these nodes, in every namespace (`objects_node`). */
export function listPodsOnNodes(db: Db, nodeNames: readonly string[]): Promise<Pod[]> {
  return inChunks<Pod>(nodeNames, (chunk) =>
    db
      .select(columns)
      .from(objects)
      .where(and(eq(objects.kind, "Pod"), inArray(objects.nodeName, chunk)))
      .all(),
  );
}

/** The pods of these names in one namespace that exist (primary key). */
export function listPodsNamed(db: Db, namespace: string, names: readonly string[]): Promise<Pod[]> {
  return inChunks<Pod>(names, (chunk) =>
    db
      .select(columns)
      .from(objects)
      .where(and(eq(objects.kind, "Pod"), eq(objects.namespace, namespace), inArray(objects.name, chunk)))
      .all(),
  );
}

/**
 * What a controller owns (`objects_owner`) and, separately, the orphans of the namespace it may
 * adopt (a primary-key range: read only on a full resync).
 */
export async function listOwnedAndOrphans<T extends Pod | ControllerRevision>(db: Db, kind: T["kind"], namespace: string, ownerUid: string): Promise<{ owned: T[]; orphans: T[] }> {
  const [owned, orphans] = await withRetry(() =>
    db.batch([
      db.select(columns).from(objects).where(and(eq(objects.ownerUid, ownerUid), eq(objects.kind, kind), eq(objects.namespace, namespace))),
      db.select(columns).from(objects).where(and(eq(objects.kind, kind), eq(objects.namespace, namespace), isNull(objects.ownerUid))),
    ]),
  );
  return { owned: owned.map((row) => rowToObject<T>(row)), orphans: orphans.map((row) => rowToObject<T>(row)) };
}
