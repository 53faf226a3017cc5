/**
 * @module
 * A read-only view of every enrolled device's lease (the `node_agents` rows), for the
 * `kube-node-lease` Leases the Kubernetes API shows. Additive: the sync path never reads it.
 *
 * @example
 * const rows = await listNodeLeases(db); // [{ name: "shop-1", leaseRenewedAt: 1764284400000, … }]
 */
import { asc } from "drizzle-orm";
import { withRetry, type Db } from "./db.ts";
import { nodeAgents } from "./schema.ts";

export interface NodeLeaseRow {
  name: string;
  leaseRenewedAt: number;
  enrolledAt: number;
}

export const listNodeLeases = (db: Db): Promise<NodeLeaseRow[]> =>
  withRetry(() =>
    db
      .select({ name: nodeAgents.name, leaseRenewedAt: nodeAgents.leaseRenewedAt, enrolledAt: nodeAgents.enrolledAt })
      .from(nodeAgents)
      .orderBy(asc(nodeAgents.name))
      .all(),
  );
