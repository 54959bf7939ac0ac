import type { WebhookDeliveryStatus } from "@inkwell/auth";
import { and, asc, desc, type Executor, eq, inArray, lt, schema, sql } from "@inkwell/db";
import { Conflict, NotFound } from "../errors.ts";
import { nudgeWorkers } from "./job-admin.ts";
import { enqueueJob } from "./jobs.ts";
import { deliveryJobKey } from "./webhook-events.ts";

const e = schema.webhookEndpoints;
const d = schema.webhookDeliveries;
const at = schema.webhookAttempts;

/**
 * One page of an endpoint's deliveries, newest first (ids follow creation),
 * each with its attempts in order. `cursor` is the id of the last delivery of
 * the previous page (`nextCursor`).
 */
export async function listWebhookDeliveries(
  db: Executor,
  query: { endpointId: number; status?: WebhookDeliveryStatus; limit: number; cursor?: number },
) {
  const [endpoint] = await db.select({ id: e.id }).from(e).where(eq(e.id, query.endpointId));
  if (!endpoint) throw new NotFound("webhookEndpoint", `No webhook endpoint ${query.endpointId}.`);
  const rows = await db
    .select({
      id: d.id,
      webhookId: d.webhookId,
      eventType: d.eventType,
      payload: d.payload,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: d.nextAttemptAt,
      createdAt: d.createdAt,
      finishedAt: d.finishedAt,
    })
    .from(d)
    .where(
      and(
        eq(d.endpointId, query.endpointId),
        query.status ? eq(d.status, query.status) : undefined,
        query.cursor !== undefined ? lt(d.id, query.cursor) : undefined,
      ),
    )
    .orderBy(desc(d.id))
    .limit(query.limit);
  const attempts =
    rows.length === 0
      ? []
      : await db
          .select({
            id: at.id,
            deliveryId: at.deliveryId,
            number: at.number,
            url: at.url,
            startedAt: at.startedAt,
            finishedAt: at.finishedAt,
            durationMs: at.durationMs,
            statusCode: at.statusCode,
            responseBody: at.responseBody,
            error: at.error,
            succeeded: at.succeeded,
          })
          .from(at)
          .where(
            inArray(
              at.deliveryId,
              rows.map((row) => row.id),
            ),
          )
          .orderBy(asc(at.deliveryId), asc(at.number));
  const deliveries = rows.map((row) => ({
    ...row,
    attemptList: attempts.filter((attempt) => attempt.deliveryId === row.id).map(({ deliveryId: _, ...a }) => a),
  }));
  const last = rows.at(-1);
  return { deliveries, nextCursor: last && rows.length === query.limit ? last.id : null };
}

/**
 * Sends a delivery again, with the same `webhook-id` and body (receivers that
 * saw it drop the copy): a succeeded or dead one becomes pending and is tried
 * now, with the full retry schedule after it; a pending one waiting for its
 * next attempt is tried now. Refused while an attempt is in flight.
 */
export async function replayWebhookDelivery(db: Executor, deliveryId: number) {
  const [delivery] = await db
    .select({ id: d.id, status: d.status, endpointId: d.endpointId, enabled: e.enabled, webhookId: d.webhookId })
    .from(d)
    .innerJoin(e, eq(e.id, d.endpointId))
    .where(eq(d.id, deliveryId))
    .for("update", { of: d });
  if (!delivery) throw new NotFound("webhookDelivery", `No webhook delivery ${deliveryId}.`);
  if (!delivery.enabled) {
    throw new Conflict("The endpoint of this delivery is disabled: enable it first, then replay.");
  }
  // In flight: its own job running, or an attempt a dispatch on a live worker pool has not finished.
  const [running] = await db.execute<{ id: string }>(sql`
    select id::text from graphile_worker.jobs where key = ${deliveryJobKey(deliveryId)} and locked_at is not null
    union all
    select a.id::text from webhook_attempts a join job_worker_heartbeats h on h.pool_id = a.pool_id
    where a.delivery_id = ${deliveryId} and a.finished_at is null`);
  if (running) throw new Conflict("This delivery is being attempted right now; replay it if this attempt fails too.");
  // The full schedule again (`attempts` counts this round); attempts already made stay in the record, numbered on.
  const [replayed] = await db
    .update(d)
    .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()`, finishedAt: null, updatedAt: new Date() })
    .where(eq(d.id, deliveryId))
    .returning({ id: d.id, webhookId: d.webhookId, endpointId: d.endpointId });
  await enqueueJob(db, "webhooks.deliver", { deliveryId }, { jobKey: deliveryJobKey(deliveryId) });
  await db.execute(sql`select ${nudgeWorkers(1)}`);
  return { ...(replayed ?? delivery), previousStatus: delivery.status };
}
