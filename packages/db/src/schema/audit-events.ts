import { bigint, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.ts";

/**
 * What happened, who did it and from where. The actor's id (and key id) are
 * plain data, not foreign keys, and their username is copied in as it was:
 * deleting a user keeps the history of what they did, under their id and name.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    actorId: integer("actor_id"),
    /** The actor's username when the event happened. */
    actorUsername: text("actor_username"),
    actorApiKeyId: integer("actor_api_key_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_events_created_at_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("audit_events_actor_id_created_at_idx").on(t.actorId, t.createdAt.desc().nullsFirst()),
    index("audit_events_action_created_at_idx").on(t.action, t.createdAt.desc().nullsFirst()),
    index("audit_events_target_idx").on(t.targetType, t.targetId, t.createdAt.desc().nullsFirst()),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
export type NewAuditEvent = typeof auditEvents.$inferInsert;

/** The channel on which a trigger announces every new audit event's id (migration 0004_audit_events_notify). */
export const AUDIT_EVENTS_CHANNEL = "inkwell_events";
