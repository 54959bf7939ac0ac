import { type Executor, eq, schema } from "@inkwell/db";

const { auditEvents, users } = schema;

/**
 * Audit events as read from the table, with whether the actor's account
 * still exists. Callers add `where`, `orderBy` and `limit`, then map each
 * row with `toAuditEventView`.
 */
export function selectAuditEventRows(db: Executor) {
  return db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      actorId: auditEvents.actorId,
      actorUsername: auditEvents.actorUsername,
      actorCurrentUsername: users.username,
      actorApiKeyId: auditEvents.actorApiKeyId,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      ip: auditEvents.ip,
      userAgent: auditEvents.userAgent,
      requestId: auditEvents.requestId,
      details: auditEvents.details,
      createdAt: auditEvents.createdAt,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId));
}

type AuditEventRow = Awaited<ReturnType<typeof selectAuditEventRows>>[number];

/**
 * An audit event as operators see it, in the log and in the live feed. The
 * actor is who acted, by the id and username they had then; `deleted` says
 * their account is gone since (their events stay, under that name).
 */
export function toAuditEventView(row: AuditEventRow) {
  const { actorId, actorUsername, actorCurrentUsername, ...event } = row;
  return {
    ...event,
    actor:
      actorId === null
        ? null
        : {
            id: actorId,
            username: actorUsername ?? actorCurrentUsername,
            deleted: actorCurrentUsername === null,
          },
  };
}

export type AuditEventView = ReturnType<typeof toAuditEventView>;
