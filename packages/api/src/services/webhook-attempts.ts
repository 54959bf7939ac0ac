import { and, type Database, type Executor, eq, isNull, type SQL, schema, sql } from "@inkwell/db";
import { isUniqueViolation } from "../errors.ts";
import { enqueueJob } from "./jobs.ts";
import { deliveryJobKey } from "./webhook-events.ts";

const e = schema.webhookEndpoints;
const d = schema.webhookDeliveries;
const at = schema.webhookAttempts;

/** Written on an attempt found unfinished: the process making it died (SIGKILL, a lost machine). */
export const INTERRUPTED = "interrupted: the process making this attempt stopped before it finished";
export const ENDPOINT_DISABLED = "not sent: the endpoint is disabled";

/** Everything one attempt needs, read when it was claimed. */
export interface ClaimedAttempt {
  attemptId: number;
  /** Of every attempt at this delivery, replays included. */
  number: number;
  /** Of the attempts since it was created or last replayed: picks the wait before the next one. */
  round: number;
  delivery: { id: number; webhookId: string; payload: unknown };
  endpoint: { id: number; url: string; sealedSecret: Uint8Array };
}

/**
 * Claims the next attempt of a pending delivery, committed before anything is
 * sent (one statement in the common case, a transaction otherwise): the
 * attempt row (unique per delivery and number) is the proof that attempt n
 * was made once. An unfinished
 * attempt found here was cut short by a crash and is marked so. Null when
 * there is nothing to send: the delivery is gone, no longer pending, or its
 * endpoint is disabled (the delivery is then dead, with the reason recorded).
 */
export async function claimAttempt(db: Database, deliveryId: number): Promise<ClaimedAttempt | null> {
  try {
    const claimed = await claimPendingAttempt(db, deliveryId);
    if (claimed) return claimed;
  } catch (error) {
    // Another process claimed the same attempt number in the meantime: the careful way below settles it.
    if (!isUniqueViolation(error, "webhook_attempts_delivery_number_key")) throw error;
  }
  return claimAttemptCarefully(db, deliveryId);
}

/**
 * The common case, a pending delivery to an enabled endpoint, in one statement (one round trip where the
 * careful way takes seven): the same writes, the delivery row locked while they are made. Null for every
 * other case, which the careful way handles.
 */
async function claimPendingAttempt(db: Database, deliveryId: number): Promise<ClaimedAttempt | null> {
  const [claim] = await claimAttempts(
    db,
    sql`where d.id = ${deliveryId} and d.status = 'pending' and e.enabled for update of d`,
    null,
  );
  return claim ?? null;
}

/**
 * Claims the next attempt of every delivery `selection` picks, in one statement that commits before anything is
 * sent: attempts a crash left unfinished are marked interrupted, `attempts` counts this round, and each gets attempt
 * n + 1 (made by `poolId`'s dispatch, or by a delivery's own job when null). `selection` ends the `target` query over
 * `webhook_deliveries d join webhook_endpoints e`: its `where`, order, limit and row lock.
 */
export async function claimAttempts(db: Database, selection: SQL, poolId: string | null): Promise<ClaimedAttempt[]> {
  const rows = await db.execute<{
    deliveryId: string;
    attemptId: string;
    number: number;
    round: number;
    webhookId: string;
    payload: unknown;
    endpointId: number;
    url: string;
    sealedSecret: Buffer;
  }>(sql`
    with target as (
      select d.id, d.webhook_id, d.payload, e.id as endpoint_id, e.url, e.sealed_secret
      from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
      ${selection}
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
             target.url, ${poolId}::text
      from target
      returning id, delivery_id, number
    )
    select target.id::text as "deliveryId", attempt.id::text as "attemptId", attempt.number,
           counted.attempts as "round", target.webhook_id as "webhookId", target.payload,
           target.endpoint_id as "endpointId", target.url, target.sealed_secret as "sealedSecret"
    from target
    join counted on counted.id = target.id
    join attempt on attempt.delivery_id = target.id
    order by target.id`);
  return rows.map((row) => ({
    attemptId: Number(row.attemptId),
    number: row.number,
    round: row.round,
    delivery: { id: Number(row.deliveryId), webhookId: row.webhookId, payload: row.payload },
    endpoint: { id: row.endpointId, url: row.url, sealedSecret: new Uint8Array(row.sealedSecret) },
  }));
}

/** Every case, one statement at a time in a transaction: what the delivery and its endpoint are decides. */
async function claimAttemptCarefully(db: Database, deliveryId: number): Promise<ClaimedAttempt | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        id: d.id,
        webhookId: d.webhookId,
        payload: d.payload,
        status: d.status,
        attempts: d.attempts,
        endpointId: e.id,
        url: e.url,
        enabled: e.enabled,
        sealedSecret: e.sealedSecret,
      })
      .from(d)
      .innerJoin(e, eq(e.id, d.endpointId))
      .where(eq(d.id, deliveryId))
      .for("update", { of: d });
    if (row?.status !== "pending") return null;
    await tx
      .update(at)
      .set({ finishedAt: sql`now()`, error: INTERRUPTED })
      .where(and(eq(at.deliveryId, row.id), isNull(at.finishedAt)));
    const [last] = await tx
      .select({ number: sql<number>`coalesce(max(${at.number}), 0)::int` })
      .from(at)
      .where(eq(at.deliveryId, row.id));
    const number = (last?.number ?? 0) + 1;
    const round = row.attempts + 1;
    if (!row.enabled) {
      await tx.insert(at).values({
        deliveryId: row.id,
        number,
        url: row.url,
        finishedAt: sql`now()`,
        durationMs: 0,
        error: ENDPOINT_DISABLED,
      });
      await tx
        .update(d)
        .set({ status: "dead", attempts: round, nextAttemptAt: null, finishedAt: sql`now()` })
        .where(eq(d.id, row.id));
      return null;
    }
    await tx.update(d).set({ attempts: round }).where(eq(d.id, row.id));
    const [attempt] = await tx.insert(at).values({ deliveryId: row.id, number, url: row.url }).returning({ id: at.id });
    if (!attempt) throw new Error("insert returned no row");
    return {
      attemptId: attempt.id,
      number,
      round,
      delivery: { id: row.id, webhookId: row.webhookId, payload: row.payload },
      endpoint: { id: row.endpointId, url: row.url, sealedSecret: row.sealedSecret },
    };
  });
}

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
  url: string;
  durationMs: number;
}

export interface RetryPolicy {
  /** After this attempt failed, wait this long; null: it was the last, the delivery is dead. */
  retryAfterMs: number | null;
  /** Dead deliveries in a row that disable the endpoint; 0: never. */
  disableAfterDead: number;
}

export type AttemptVerdict = "succeeded" | "retrying" | "dead";

/**
 * Records how a claimed attempt ended and what follows, in one transaction:
 * the delivery succeeded; or its next attempt is scheduled (a `webhooks.deliver`
 * job due then); or it is dead, and the endpoint, after `disableAfterDead`
 * dead deliveries in a row, is disabled with the reason for the operator.
 *
 * Rows are written in the order deleting an endpoint locks them: the endpoint,
 * then the delivery, then the attempt. In any other order an operator deleting
 * the endpoint while an attempt finished could deadlock with it (and got a 500).
 * A success, the common case, is one statement; otherwise writes that need no
 * answer are sent together: one round trip for them all.
 */
export async function finishAttempt(
  db: Database,
  claim: ClaimedAttempt,
  outcome: AttemptOutcome,
  policy: RetryPolicy,
): Promise<AttemptVerdict> {
  const verdict: AttemptVerdict = outcome.ok ? "succeeded" : policy.retryAfterMs === null ? "dead" : "retrying";
  const deliveryId = claim.delivery.id;
  if (verdict === "succeeded") {
    await recordSuccesses(db, claim.endpoint.id, [delivered(claim, outcome)]);
    return verdict;
  }
  return db.transaction(async (tx) => {
    const writes: PromiseLike<unknown>[] = [];
    if (verdict === "retrying") {
      const runAt = new Date(Date.now() + (policy.retryAfterMs ?? 0));
      writes.push(
        tx.update(d).set({ nextAttemptAt: runAt }).where(eq(d.id, deliveryId)),
        enqueueJob(tx, "webhooks.deliver", { deliveryId }, { runAt, jobKey: deliveryJobKey(deliveryId) }),
      );
    } else {
      await countDeadDelivery(tx, claim.endpoint.id, outcome, policy);
      writes.push(
        tx.update(d).set({ status: "dead", nextAttemptAt: null, finishedAt: sql`now()` }).where(eq(d.id, deliveryId)),
      );
    }
    writes.push(
      tx
        .update(at)
        .set({
          finishedAt: sql`now()`,
          url: outcome.url,
          durationMs: outcome.durationMs,
          statusCode: outcome.statusCode,
          responseBody: storableText(outcome.responseBody),
          error: outcome.error,
          succeeded: outcome.ok,
        })
        .where(eq(at.id, claim.attemptId)),
    );
    await Promise.all(writes);
    return verdict;
  });
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
 * Succeeded attempts of one endpoint in one statement (one round trip, no transaction around it), however many.
 * Each step is a CTE read by one of the scalar subqueries in turn, left to right, which runs it then: the
 * endpoint, the deliveries, the attempts, the order `finishAttempt` keeps. The endpoint is locked first even when
 * it has nothing to reset (a key-share lock, which only its deletion waits for): the deliveries are then locked in
 * id order, and a deletion cascading through them newest first while they were locked deadlocked with it.
 */
export async function recordSuccesses(
  db: Executor,
  endpointId: number,
  attempts: readonly DeliveredAttempt[],
): Promise<void> {
  if (attempts.length === 0) return;
  const column = <T>(pick: (attempt: DeliveredAttempt) => T) => sql.param(attempts.map(pick));
  await db.execute(sql`
    with locked as materialized (
      select id, consecutive_failures from webhook_endpoints where id = ${endpointId} for key share
    ), endpoint as (
      update webhook_endpoints set consecutive_failures = 0, updated_at = now()
      where id = (select id from locked where consecutive_failures <> 0)
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
    select (select count(*) from locked), (select count(*) from endpoint), (select count(*) from delivery),
           (select count(*) from attempt)`);
}

/** A claimed attempt and how it succeeded, as `recordSuccesses` takes it. */
export const delivered = (claim: ClaimedAttempt, outcome: AttemptOutcome): DeliveredAttempt => ({
  attemptId: claim.attemptId,
  deliveryId: claim.delivery.id,
  url: outcome.url,
  durationMs: outcome.durationMs,
  statusCode: outcome.statusCode,
  responseBody: outcome.responseBody,
});

/** One more dead delivery in a row for the endpoint, which is disabled, with why, after `disableAfterDead`. */
async function countDeadDelivery(
  tx: Executor,
  endpointId: number,
  outcome: AttemptOutcome,
  policy: RetryPolicy,
): Promise<void> {
  const [endpoint] = await tx
    .update(e)
    .set({ consecutiveFailures: sql`${e.consecutiveFailures} + 1` })
    .where(eq(e.id, endpointId))
    .returning({ failures: e.consecutiveFailures, enabled: e.enabled });
  if (endpoint?.enabled && policy.disableAfterDead > 0 && endpoint.failures >= policy.disableAfterDead) {
    await tx
      .update(e)
      .set({
        enabled: false,
        disabledAt: sql`now()`,
        disabledReason:
          `Disabled by Inkwell: ${endpoint.failures} deliveries in a row failed every attempt. ` +
          `The last one: ${outcome.error ?? "no answer"}. Fix the receiver, then enable the endpoint and replay what it missed.`,
      })
      .where(eq(e.id, endpointId));
  }
}

/** Text PostgreSQL cannot store (NUL) is not the receiver's to impose on us. */
const storableText = (text: string | null) => text?.replaceAll("\0", "\uFFFD") ?? null;
