import { asc, desc, type Executor, gt, inArray, max, schema } from "@inkwell/db";
import { type AuditEventView, selectAuditEventRows, toAuditEventView } from "./audit-event-view.ts";

const { auditEvents } = schema;

/** The events with these ids, oldest first (ids the database announced; missing ones are skipped). */
export async function auditEventsByIds(db: Executor, ids: readonly number[]): Promise<AuditEventView[]> {
  const rows = await selectAuditEventRows(db)
    .where(inArray(auditEvents.id, [...ids]))
    .orderBy(asc(auditEvents.id));
  return rows.map(toAuditEventView);
}

/** The newest `limit` events after `afterId`, oldest first: what a stream missed, or its last part. */
export async function auditEventsAfter(db: Executor, afterId: number, limit: number): Promise<AuditEventView[]> {
  const rows = await selectAuditEventRows(db)
    .where(gt(auditEvents.id, afterId))
    .orderBy(desc(auditEvents.id))
    .limit(limit);
  return rows.reverse().map(toAuditEventView);
}

/** The id of the newest event, 0 when there is none. */
export async function latestAuditEventId(db: Executor): Promise<number> {
  const [row] = await db.select({ id: max(auditEvents.id) }).from(auditEvents);
  return row?.id ?? 0;
}
