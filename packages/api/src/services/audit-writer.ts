import { type Executor, schema } from "@inkwell/db";
import { runPrepared } from "./prepared.ts";

/** One audit event: who did what to which target, from where, and how it went (in `details`). */
export interface AuditRecord {
  action: string;
  actorId: number | null;
  /** The actor's username now: kept with the event, so it outlives the account. */
  actorUsername?: string | null;
  actorApiKeyId?: number | null;
  targetType?: string | null;
  targetId?: string | number | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details?: Record<string, unknown>;
}

/** Writes one audit event; inside a mutation, in the mutation's own transaction (see the audit middleware). */
export async function recordAuditEvent(db: Executor, record: AuditRecord): Promise<void> {
  const insert = db.insert(schema.auditEvents).values({
    action: record.action,
    actorId: record.actorId,
    actorUsername: record.actorUsername ?? null,
    actorApiKeyId: record.actorApiKeyId ?? null,
    targetType: record.targetType ?? null,
    targetId: record.targetId == null ? null : String(record.targetId),
    ip: record.ip,
    userAgent: record.userAgent?.slice(0, 512) ?? null,
    requestId: record.requestId,
    details: record.details ?? {},
  });
  // Every mutation writes one: planned once per connection.
  await runPrepared(insert, "insert_audit_event");
}
