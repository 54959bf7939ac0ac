import { type Database, type Executor, sql } from "@inkwell/db";
import { type ClaimedAttempt, INTERRUPTED, storableText } from "./webhook-attempts.ts";

/**
 * Unfinished attempts made by a dispatch that will not finish them: its worker
 * pool stopped beating (killed, or stopped mid-request; 5 s of grace for a pool
 * that has not beaten yet), or it has run longer than any attempt can
 * (`staleAfterMs`: the request timeout and then some; the dispatch failed
 * before it could record them).
 */
const cutShort = (staleAfterMs: number) => sql`(
  select a.delivery_id from webhook_attempts a
  where a.finished_at is null and a.pool_id is not null
    and (
      (a.started_at < now() - interval '5 seconds'
        and not exists (select 1 from job_worker_heartbeats h where h.pool_id = a.pool_id))
      or a.started_at < now() - make_interval(secs => ${staleAfterMs / 1000}::float8)
    )
) as cut_short`;

/**
 * Claims up to `limit` deliveries of one endpoint for a dispatch, in one
 * statement that commits before anything is sent: those never tried (the
 * common case: just recorded by `emitWebhookEvent`), and those whose attempt
 * by an earlier dispatch was cut short (its worker pool no longer beats: the
 * process was killed or stopped mid-request), which get attempt n + 1 with the
 * same `webhook-id`. Retries and replays keep their own job each
 * (`webhooks.deliver`), so a delivery is never claimed by both.
 *
 * Rows locked by another dispatch are skipped, and the claim re-checks
 * `attempts` on the row it locks, so two dispatches never claim the same attempt.
 */
export async function claimDispatchAttempts(
  db: Database,
  endpointId: number,
  claim: { poolId: string; limit: number; staleAfterMs: number },
): Promise<ClaimedAttempt[]> {
  const { poolId, limit, staleAfterMs } = claim;
  const rows = await db.execute<{
    deliveryId: string;
    attemptId: string;
    number: number;
    round: number;
    webhookId: string;
    payload: unknown;
    url: string;
    sealedSecret: Buffer;
  }>(sql`
    with target as (
      select d.id, d.webhook_id, d.payload, e.url, e.sealed_secret
      from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
      where d.endpoint_id = ${endpointId} and e.enabled and d.status = 'pending'
        and (
          (d.attempts = 0 and not exists (select 1 from webhook_attempts a where a.delivery_id = d.id))
          or (d.attempts > 0 and d.id in (select delivery_id from ${cutShort(staleAfterMs)}))
        )
      order by d.id
      limit ${limit}
      for update of d skip locked
    ), interrupted as (
      update webhook_attempts set finished_at = now(), error = ${INTERRUPTED}
      where delivery_id in (select id from target) and finished_at is null
    ), counted as (
      update webhook_deliveries set attempts = attempts + 1, updated_at = now()
      where id in (select id from target)
      returning id, attempts
    ), attempt as (
      insert into webhook_attempts (delivery_id, number, url, pool_id)
      select target.id,
             coalesce((select max(number) from webhook_attempts where delivery_id = target.id), 0) + 1,
             target.url, ${poolId}
      from target
      returning id, delivery_id, number
    )
    select target.id::text as "deliveryId", attempt.id::text as "attemptId", attempt.number,
           counted.attempts as "round", target.webhook_id as "webhookId", target.payload,
           target.url, target.sealed_secret as "sealedSecret"
    from target
    join counted on counted.id = target.id
    join attempt on attempt.delivery_id = target.id
    order by target.id`);
  return rows.map((row) => ({
    attemptId: Number(row.attemptId),
    number: row.number,
    round: row.round,
    delivery: { id: Number(row.deliveryId), webhookId: row.webhookId, payload: row.payload },
    endpoint: { id: endpointId, url: row.url, sealedSecret: new Uint8Array(row.sealedSecret) },
  }));
}

/** What a succeeded attempt recorded. */
export interface DeliveredAttempt {
  attemptId: number;
  deliveryId: number;
  url: string;
  durationMs: number;
  statusCode: number | null;
  responseBody: string | null;
}

/**
 * Several succeeded attempts of one endpoint in one statement, in the lock
 * order `finishAttempt` keeps (the endpoint, the deliveries, the attempts):
 * each write is a CTE read by one of the scalar subqueries in turn.
 */
export async function recordDispatchSuccesses(
  db: Executor,
  endpointId: number,
  attempts: readonly DeliveredAttempt[],
): Promise<void> {
  if (attempts.length === 0) return;
  const column = <T>(pick: (attempt: DeliveredAttempt) => T) => sql.param(attempts.map(pick));
  await db.execute(sql`
    with endpoint as (
      update webhook_endpoints set consecutive_failures = 0, updated_at = now()
      where id = ${endpointId} and consecutive_failures <> 0
      returning 1
    ), delivery as (
      update webhook_deliveries
      set status = 'succeeded', next_attempt_at = null, finished_at = now(), updated_at = now()
      where id = any(${column((a) => a.deliveryId)}::bigint[])
      returning 1
    ), attempt as (
      update webhook_attempts
      set finished_at = now(), url = done.url, duration_ms = done.duration_ms, status_code = done.status_code,
          response_body = done.response_body, error = null, succeeded = true
      from unnest(
        ${column((a) => a.attemptId)}::bigint[], ${column((a) => a.url)}::text[],
        ${column((a) => a.durationMs)}::int[], ${column((a) => a.statusCode)}::int[],
        ${column((a) => storableText(a.responseBody))}::text[]
      ) as done(id, url, duration_ms, status_code, response_body)
      where webhook_attempts.id = done.id
      returning 1
    )
    select (select count(*) from endpoint), (select count(*) from delivery), (select count(*) from attempt)`);
}

/**
 * Endpoints with deliveries a dispatch should take: never tried and older than
 * a notification takes to arrive (one was missed: the listener reconnecting, a
 * process stopped before it asked for a dispatch), or cut short on a pool that
 * stopped beating.
 */
export async function endpointsAwaitingDispatch(db: Executor, staleAfterMs: number): Promise<number[]> {
  const rows = await db.execute<{ endpointId: number }>(sql`
    select distinct d.endpoint_id as "endpointId"
    from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
    where e.enabled and d.status = 'pending' and d.attempts = 0 and d.created_at < now() - interval '2 seconds'
      and not exists (select 1 from webhook_attempts a where a.delivery_id = d.id)
    union
    select distinct d.endpoint_id
    from ${cutShort(staleAfterMs)} join webhook_deliveries d on d.id = cut_short.delivery_id
    where d.status = 'pending' and d.attempts > 0`);
  return rows.map((row) => row.endpointId);
}

/** Untried deliveries of a disabled endpoint, which a dispatch records dead one by one (`claimAttempt`). */
export async function untriedDeliveriesOfDisabled(db: Executor, endpointId: number, limit: number): Promise<number[]> {
  const rows = await db.execute<{ id: string }>(sql`
    select d.id::text from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
    where d.endpoint_id = ${endpointId} and not e.enabled and d.status = 'pending' and d.attempts = 0
    order by d.id limit ${limit}`);
  return rows.map((row) => Number(row.id));
}
