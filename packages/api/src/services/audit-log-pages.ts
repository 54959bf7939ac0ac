import { and, desc, type Executor, eq, gte, ilike, lte, or, type SQL, schema, sql } from "@inkwell/db";
import { selectAuditEventRows, toAuditEventView } from "./audit-event-view.ts";
import { type Cursor, encodeCursor } from "./cursor.ts";
import { containsPattern } from "./paging.ts";

const { auditEvents, users } = schema;

export interface AuditQuery {
  actorId?: number;
  /** Part of the actor's username, then or now, in any case. */
  actor?: string;
  /** Part of the action's name, in any case (`articles` finds `articles.create` and `moderation.articles.hide`). */
  action?: string;
  targetType?: string;
  targetId?: string;
  /** Inclusive. */
  from?: Date;
  /** Inclusive. */
  to?: Date;
  limit: number;
  /** `nextCursor` of the previous page, decoded. */
  cursor?: Cursor;
}

function auditFilter(query: AuditQuery): SQL | undefined {
  const { cursor } = query;
  return and(
    query.actorId === undefined ? undefined : eq(auditEvents.actorId, query.actorId),
    query.actor === undefined
      ? undefined
      : or(
          ilike(auditEvents.actorUsername, containsPattern(query.actor)),
          ilike(users.username, containsPattern(query.actor)),
        ),
    query.action === undefined ? undefined : ilike(auditEvents.action, containsPattern(query.action)),
    query.targetType === undefined ? undefined : eq(auditEvents.targetType, query.targetType),
    query.targetId === undefined ? undefined : eq(auditEvents.targetId, query.targetId),
    query.from === undefined ? undefined : gte(auditEvents.createdAt, query.from),
    query.to === undefined ? undefined : lte(auditEvents.createdAt, query.to),
    cursor === undefined
      ? undefined
      : sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id})`,
  );
}

/** One page of audit events, newest first, in one query; `nextCursor` is null on the last page. */
export async function listAuditEvents(db: Executor, query: AuditQuery) {
  const rows = await selectAuditEventRows(db)
    .where(auditFilter(query))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    // One row more than asked tells whether another page follows.
    .limit(query.limit + 1);

  const events = rows.slice(0, query.limit).map(toAuditEventView);
  const last = events.at(-1);
  return { events, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}
