import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, timestamptz, updatedAt } from "./columns.ts";
import { webhookDeliveryStatusEnum } from "./enums.ts";
import { bytea } from "./sessions.ts";
import { users } from "./users.ts";

/**
 * Where other systems want to hear about events (docs/background-work.md,
 * Webhooks). The signing secret is sealed with AES-256-GCM under
 * `ENCRYPTION_KEY` (the server signs every delivery, so it must read it back:
 * a hash would not do); the operator sees it once, at creation or rotation.
 */
export const webhookEndpoints = pgTable("webhook_endpoints", {
  // By default, not always: the id is drawn first, because the sealed secret is bound to it.
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  url: text("url").notNull(),
  /** Event types it receives (`webhookEventTypes` in @inkwell/auth/enums). */
  events: text("events").array().notNull(),
  enabled: boolean("enabled").notNull().default(true),
  /** `version | nonce | ciphertext | tag` of the secret's bytes (see `sealSecret` in @inkwell/auth). */
  sealedSecret: bytea("sealed_secret").notNull(),
  /** Why it was disabled by Inkwell (too many dead deliveries); null when enabled or disabled by an operator. */
  disabledReason: text("disabled_reason"),
  disabledAt: timestamptz("disabled_at"),
  /** Deliveries that ended dead since the last one that succeeded: at the threshold the endpoint is disabled. */
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * One event for one endpoint. `webhook_id` is the Standard Webhooks `webhook-id`
 * header: the same on every attempt and on a replay, so receivers can drop copies.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    endpointId: integer("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    webhookId: text("webhook_id").notNull(),
    eventType: text("event_type").notNull(),
    /** The whole body sent, `{ type, timestamp, data }`. */
    payload: jsonb("payload").notNull(),
    status: webhookDeliveryStatusEnum("status").notNull().default("pending"),
    /** Attempts made since it was created or last replayed (one cut short by a crash counts). */
    attempts: integer("attempts").notNull().default(0),
    /** When the next attempt is due; null once it succeeded or died. */
    nextAttemptAt: timestamptz("next_attempt_at").defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** When it succeeded or died. */
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_webhook_id_key").on(t.webhookId),
    // The console lists an endpoint's deliveries newest first.
    index("webhook_deliveries_endpoint_id_idx").on(t.endpointId, t.id.desc()),
    // What a dispatch claims: deliveries never tried yet (docs/background-work.md, Dispatch).
    index("webhook_deliveries_untried_idx")
      .on(t.endpointId, t.id)
      .where(sql`${t.status} = 'pending' and ${t.attempts} = 0`),
  ],
);

/** NOTIFY channel of new deliveries (the payload: the endpoint's id), sent in the transaction that records them. */
export const WEBHOOK_DELIVERIES_CHANNEL = "inkwell_webhook_deliveries";

/** Every attempt at a delivery: what the receiver answered, or why there was no answer. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    deliveryId: bigint("delivery_id", { mode: "number" })
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    /** 1 for the first attempt; unique per delivery, so two processes cannot both make attempt n. */
    number: integer("number").notNull(),
    /** The URL of the last request (after redirects). */
    url: text("url").notNull(),
    startedAt: timestamptz("started_at").notNull().defaultNow(),
    /** Null while in flight, and forever for an attempt whose process died. */
    finishedAt: timestamptz("finished_at"),
    durationMs: integer("duration_ms"),
    statusCode: integer("status_code"),
    /** The first kilobyte of the answer. */
    responseBody: text("response_body"),
    /** Why it failed: a refused address, a timeout, a non-2xx answer. */
    error: text("error"),
    succeeded: boolean("succeeded").notNull().default(false),
    /**
     * The job worker pool of the dispatch that made it (null for a retry's or a replay's own job): an unfinished
     * attempt whose pool has stopped beating was cut short, and a dispatch takes the delivery up again.
     */
    poolId: text("pool_id"),
  },
  (t) => [
    uniqueIndex("webhook_attempts_delivery_number_key").on(t.deliveryId, t.number),
    index("webhook_attempts_unfinished_idx").on(t.poolId).where(sql`${t.finishedAt} is null`),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
