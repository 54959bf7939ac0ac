import { type Database, type Executor, sql } from "@inkwell/db";
import { type ClaimedAttempt, claimAttempts } from "./webhook-attempts.ts";

/** A delivery no attempt was ever made at (a replay resets `attempts` but keeps its attempts on record), as `row`. */
const untried = (row: "d" | "u") => {
  const delivery = sql.raw(row);
  return sql`(${delivery}.status = 'pending' and ${delivery}.attempts = 0
  and not exists (select 1 from webhook_attempts a where a.delivery_id = ${delivery}.id))`;
};

/**
 * Deliveries whose unfinished attempt a dispatch will not finish: its worker pool stopped beating (killed, or
 * stopped mid-request; 5 s of grace for a pool that has not beaten yet), or it has run longer than any attempt can
 * (the request timeout, redirects included, and a minute more: the dispatch failed before it could record it).
 */
const cutShort = (requestTimeoutMs: number) => sql`(
  select a.delivery_id from webhook_attempts a
  where a.finished_at is null and a.pool_id is not null
    and (
      (a.started_at < now() - interval '5 seconds'
        and not exists (select 1 from job_worker_heartbeats h where h.pool_id = a.pool_id))
      or a.started_at < now() - make_interval(secs => ${(requestTimeoutMs + 60_000) / 1000}::float8)
    )
) as cut_short`;

/**
 * Claims up to `limit` deliveries of one endpoint for a dispatch (`claimAttempts`: one statement, committed before
 * anything is sent): those never tried (the common case: just recorded by `emitWebhookEvent`), and those whose
 * attempt by an earlier dispatch was cut short, which get attempt n + 1 with the same `webhook-id`. Retries and
 * replays keep their own job each (`webhooks.deliver`), so a delivery is never claimed by both.
 *
 * Rows locked by another dispatch are skipped, and the claim re-checks `attempts` on the row it locks, so two
 * dispatches never claim the same attempt. Two dispatches of one endpoint at the same moment may both pick the same
 * first `limit` candidates: one claims them, the other none (it ends; the first claims again until none is left).
 */
export function claimDispatchAttempts(
  db: Database,
  endpointId: number,
  claim: { poolId: string; limit: number; requestTimeoutMs: number },
): Promise<ClaimedAttempt[]> {
  // The candidates come from two index scans (the endpoint's untried deliveries in id order, the unfinished
  // attempts): as one filter over the endpoint's deliveries, each claim read every delivery and attempt ever kept.
  const stale = cutShort(claim.requestTimeoutMs);
  return claimAttempts(
    db,
    sql`where d.id in (
        (select u.id from webhook_deliveries u
          where u.endpoint_id = ${endpointId} and ${untried("u")}
          order by u.id
          limit ${claim.limit})
        union all
        select delivery_id from ${stale})
      and d.endpoint_id = ${endpointId} and e.enabled
      -- Checked again on the row as locked: another claim may have just committed its attempt.
      and (${untried("d")}
        or (d.status = 'pending' and d.attempts > 0
          and d.id in (select delivery_id from ${stale})))
      order by d.id
      limit ${claim.limit}
      for update of d skip locked`,
    claim.poolId,
  );
}

/**
 * Endpoints with deliveries a dispatch should take: never tried and older than a notification takes to arrive (one
 * was missed: the listener reconnecting, no process running jobs when the change committed), or cut short.
 */
export async function endpointsAwaitingDispatch(db: Executor, requestTimeoutMs: number): Promise<number[]> {
  const rows = await db.execute<{ endpointId: number }>(sql`
    select distinct d.endpoint_id as "endpointId"
    from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
    where e.enabled and ${untried("d")} and d.created_at < now() - interval '2 seconds'
    union
    select distinct d.endpoint_id
    from ${cutShort(requestTimeoutMs)} join webhook_deliveries d on d.id = cut_short.delivery_id
    where d.status = 'pending' and d.attempts > 0`);
  return rows.map((row) => row.endpointId);
}

/** Untried deliveries of a disabled endpoint, which a dispatch records dead one by one (`claimAttempt`). */
export async function untriedDeliveriesOfDisabled(db: Executor, endpointId: number, limit: number): Promise<number[]> {
  const rows = await db.execute<{ id: string }>(sql`
    select d.id::text from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
    where d.endpoint_id = ${endpointId} and not e.enabled and ${untried("d")}
    order by d.id limit ${limit}`);
  return rows.map((row) => Number(row.id));
}
