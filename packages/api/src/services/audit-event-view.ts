import { type Executor, eq, schema } from "@inkwell/db";

const { auditEvents, users } = schema;

/** An audit event as operators see it, in the log and in the live feed. */
export function selectAuditEvents(db: Executor) {
  return db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      actor: { id: users.id, username: users.username },
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

export type AuditEventView = Awaited<ReturnType<typeof selectAuditEvents>>[number];
