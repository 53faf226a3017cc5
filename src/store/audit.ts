/**
 * @module
 * The audit log (`audit_events`): appended after each audited request, read by admins in pages
 * (oldest first from `since`, the id as the cursor), pruned past its retention by the same batch
 * that appends, so it never needs a job of its own.
 */
import { and, asc, gt, gte, lt } from "drizzle-orm";
import { withRetry, type Db } from "./db.ts";
import { auditEvents } from "./schema.ts";

export type AuditEventRow = typeof auditEvents.$inferSelect;
export type AuditEvent = Omit<AuditEventRow, "id">;

/** Appends `event` and drops the events older than `keepAfter` (ms since the epoch), in one batch. */
export const appendAuditEvent = (db: Db, event: AuditEvent, keepAfter: number) =>
  withRetry(() => db.batch([db.insert(auditEvents).values(event), db.delete(auditEvents).where(lt(auditEvents.at, keepAfter))]));

/** Up to `limit` events at or after `since`, after the cursor id `after`, oldest first. */
export const listAuditEvents = (db: Db, options: { since: number; after: number; limit: number }): Promise<AuditEventRow[]> =>
  withRetry(() =>
    db
      .select()
      .from(auditEvents)
      .where(and(gte(auditEvents.at, options.since), gt(auditEvents.id, options.after)))
      .orderBy(asc(auditEvents.id))
      .limit(options.limit)
      .all(),
  );
