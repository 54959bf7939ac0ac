import { type Executor, type SQL, sql } from "@inkwell/db";
import type { AuthSettings } from "../auth/settings.ts";

/**
 * Deletes rows nothing reads any more: sessions past their end, two-factor
 * sign-in challenges past theirs, throttle counters whose window and block are
 * over, emails past their retention and,
 * when configured, old audit events. Scheduled jobs call these
 * (`jobs/maintenance-jobs.ts`, `jobs/schedule.ts`). Each batch is one short statement
 * of its own (no surrounding transaction), so a large backlog never holds many
 * row locks for long; rows locked by a request in flight are skipped this time.
 * Batches delete by `= any(array(…))`, which finds the rows through the primary
 * key (`in (select …)` is planned as a hash join over the whole table).
 */

export interface BatchLimits {
  /** Rows per statement. */
  batchSize?: number;
  /** Statements per call; what is left waits for the next call. */
  maxBatches?: number;
  /** Stops between batches once aborted (a server shutting down). */
  signal?: AbortSignal;
}

const DEFAULT_BATCH_SIZE = 1_000;
const DEFAULT_MAX_BATCHES = 1_000;

/** A time as a SQL parameter (drizzle hands `Date`s to postgres.js unserialised in raw SQL). */
const timestamp = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;

async function inBatches(
  limits: BatchLimits,
  deleteBatch: (batchSize: number, after: string) => Promise<{ deleted: number; last: string | null }>,
): Promise<number> {
  const batchSize = limits.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxBatches = limits.maxBatches ?? DEFAULT_MAX_BATCHES;
  let total = 0;
  let after = "";
  for (let batch = 0; batch < maxBatches && !limits.signal?.aborted; batch++) {
    const { deleted, last } = await deleteBatch(batchSize, after);
    total += deleted;
    if (last === null) break;
    after = last;
  }
  return total;
}

type SessionLifetimes = Pick<AuthSettings, "sessionIdleTimeoutMs" | "sessionMaxAgeMs">;

/**
 * Sessions that `validateSessionToken` would refuse as expired: unused for the
 * idle timeout, or older than the absolute lifetime (see `sessionExpiresAt`).
 * Walks the primary key in order, so each batch starts where the last one ended
 * instead of scanning rows it already kept.
 */
export async function deleteExpiredSessions(
  db: Executor,
  settings: SessionLifetimes,
  now: Date,
  limits: BatchLimits = {},
): Promise<number> {
  const idleSince = timestamp(now.getTime() - settings.sessionIdleTimeoutMs);
  const startedBefore = timestamp(now.getTime() - settings.sessionMaxAgeMs);
  return inBatches(limits, async (batchSize, after) => {
    const [row] = await db.execute<{ deleted: number; last: string | null; full: boolean }>(sql`
      with batch as (
        select id from sessions
        where id > ${after} and (last_verified_at <= ${idleSince} or created_at <= ${startedBefore})
        order by id limit ${batchSize}
        for update skip locked
      ), deleted as (
        delete from sessions where id = any(array(select id from batch)) returning 1
      )
      select (select count(*)::int from deleted) as deleted,
             (select max(id) from batch) as last,
             (select count(*) from batch) = ${batchSize} as full`);
    return { deleted: row?.deleted ?? 0, last: row?.full ? row.last : null };
  });
}

/**
 * Challenges past their expiry, through their `expires_at` indexes: two-factor
 * challenges (five minutes each) in bounded batches, then the identity-provider
 * flows nobody came back from (ten minutes), unanswered passkey prompts (two
 * minutes) and the emailed account tokens (verification, email change, reset:
 * used or not, a token past its expiry proves nothing), few enough to go in one
 * statement each.
 */
export async function deleteExpiredChallenges(db: Executor, now: Date, limits: BatchLimits = {}): Promise<number> {
  const at = timestamp(now.getTime());
  const twoFactor = await inBatches(limits, async (batchSize) => {
    const [row] = await db.execute<{ deleted: number; full: boolean }>(sql`
      with batch as (
        select id from two_factor_challenges where expires_at <= ${at}
        order by expires_at limit ${batchSize}
        for update skip locked
      ), deleted as (
        delete from two_factor_challenges where id = any(array(select id from batch)) returning 1
      )
      select (select count(*)::int from deleted) as deleted, (select count(*) from batch) = ${batchSize} as full`);
    return { deleted: row?.deleted ?? 0, last: row?.full ? "" : null };
  });
  const [others] = await db.execute<{ deleted: number }>(sql`
    with flows as (delete from oauth_flows where expires_at <= ${at} returning 1),
         prompts as (delete from webauthn_challenges where expires_at <= ${at} returning 1),
         tokens as (delete from account_tokens where expires_at <= ${at} returning 1)
    select (select count(*)::int from flows) + (select count(*)::int from prompts)
         + (select count(*)::int from tokens) as deleted`);
  return twoFactor + (others?.deleted ?? 0);
}

/** How long a throttle counter matters after its last hit, by key prefix. */
export interface CounterWindows {
  /** e.g. `{ "rate:": 60_000, "signin:": 900_000 }`; the first matching prefix decides. */
  byPrefix: Record<string, number>;
  /** For keys no prefix matches: keep them at least this long. */
  otherwiseMs: number;
}

/**
 * Throttle counters that count for nothing any more: the last hit is a whole
 * window old (so the next hit starts a new window, see `recordFailure` and the
 * rate store) and no block is in force. Uses the `updated_at` index; deleted rows
 * leave the index range, and the few kept ones (blocked, or in a long window) are skipped.
 */
export async function deleteStaleThrottleCounters(
  db: Executor,
  windows: CounterWindows,
  now: Date,
  limits: BatchLimits = {},
): Promise<number> {
  const prefixes = Object.entries(windows.byPrefix);
  const shortest = Math.min(windows.otherwiseMs, ...prefixes.map(([, ms]) => ms));
  const windowOf = sql`case ${sql.join(
    prefixes.map(([prefix, ms]) => sql`when starts_with(key, ${prefix}) then ${ms}::float8 `),
  )} else ${windows.otherwiseMs}::float8 end`;
  const nowMs = now.getTime();
  const at = timestamp(nowMs);
  return inBatches(limits, async (batchSize) => {
    const [row] = await db.execute<{ deleted: number; full: boolean }>(sql`
      with batch as (
        select key from throttle_counters
        where updated_at < ${timestamp(nowMs - shortest)}
          and updated_at < ${at} - ${windowOf} * interval '1 millisecond'
          and (blocked_until is null or blocked_until <= ${at})
        order by updated_at limit ${batchSize}
        for update skip locked
      ), deleted as (
        delete from throttle_counters where key = any(array(select key from batch)) returning 1
      )
      select (select count(*)::int from deleted) as deleted, (select count(*) from batch) = ${batchSize} as full`);
    // Deleted rows drop out of the range by themselves, so no position needs to be carried.
    return { deleted: row?.deleted ?? 0, last: row?.full ? "" : null };
  });
}

/**
 * The windows of the counters Inkwell keeps: failed sign-ins (`signin:` keys,
 * see `verifyCredentials`), second-factor guesses (`2fa:` keys, see
 * `reserveCodeAttempt`, with the sign-in policies), requested account emails (`reset:` and
 * `verify:` keys, see `reserveAccountEmail`) and request rates (`rate:`
 * keys, counted by the server in windows of `rateLimitWindowMs`). Unknown keys
 * get the longest of them.
 */
export function counterWindows(
  settings: Pick<AuthSettings, "signInThrottle" | "accountEmailThrottle">,
  rateLimitWindowMs: number,
): CounterWindows {
  const signIn = Math.max(settings.signInThrottle.perAccount.windowMs, settings.signInThrottle.perIp.windowMs);
  const emails = Math.max(
    settings.accountEmailThrottle.perAccount.windowMs,
    settings.accountEmailThrottle.perIp.windowMs,
  );
  return {
    byPrefix: { "signin:": signIn, "2fa:": signIn, "reset:": emails, "verify:": emails, "rate:": rateLimitWindowMs },
    otherwiseMs: Math.max(signIn, emails, rateLimitWindowMs),
  };
}

/**
 * Webhook deliveries done with (succeeded or dead) longer than `keepMs` ago,
 * with their attempts (cascade). Pending ones stay whatever their age.
 */
export async function deleteFinishedWebhookDeliveries(
  db: Executor,
  keepMs: number,
  now: Date,
  limits: BatchLimits = {},
): Promise<number> {
  const before = timestamp(now.getTime() - keepMs);
  return inBatches(limits, (batchSize, after) =>
    deleteByIdBatch(db, "webhook_deliveries", sql`status in ('succeeded', 'dead') and finished_at < ${before}`, {
      batchSize,
      after,
    }),
  );
}

/**
 * Emails done with: sent or kept longer than `keepMs` ago, or failed (their
 * last attempt) longer ago than that. Walks the primary key like the session sweep.
 */
export async function deleteDeliveredEmails(
  db: Executor,
  keepMs: number,
  now: Date,
  limits: BatchLimits = {},
): Promise<number> {
  const before = timestamp(now.getTime() - keepMs);
  return inBatches(limits, (batchSize, after) =>
    deleteByIdBatch(
      db,
      "email_messages",
      sql`(status in ('sent', 'kept') and delivered_at < ${before}) or (status = 'failed' and updated_at < ${before})`,
      { batchSize, after },
    ),
  );
}

/**
 * One batch of a sweep that walks a table's bigint primary key: deletes up to
 * `batchSize` rows past `after` matching `where` (skipping rows locked by
 * requests in flight) and says where the next batch starts (null when this
 * one was short, so nothing is left).
 */
async function deleteByIdBatch(
  db: Executor,
  table: "email_messages" | "webhook_deliveries",
  where: SQL,
  { batchSize, after }: { batchSize: number; after: string },
): Promise<{ deleted: number; last: string | null }> {
  const [row] = await db.execute<{ deleted: number; last: string | null; full: boolean }>(sql`
    with batch as (
      select id from ${sql.identifier(table)}
      where id > ${Number(after || 0)} and (${where})
      order by id limit ${batchSize}
      for update skip locked
    ), deleted as (
      delete from ${sql.identifier(table)} where id = any(array(select id from batch)) returning 1
    )
    select (select count(*)::int from deleted) as deleted,
           (select max(id)::text from batch) as last,
           (select count(*) from batch) = ${batchSize} as full`);
  return { deleted: row?.deleted ?? 0, last: row?.full ? (row.last ?? null) : null };
}

/**
 * Audit events older than `keepMs` (`AUDIT_RETENTION_DAYS`), oldest first
 * through the `created_at` index; deleted rows leave the range, so no position is carried.
 */
export async function deleteOldAuditEvents(
  db: Executor,
  keepMs: number,
  now: Date,
  limits: BatchLimits = {},
): Promise<number> {
  const before = timestamp(now.getTime() - keepMs);
  return inBatches(limits, async (batchSize) => {
    const [row] = await db.execute<{ deleted: number; full: boolean }>(sql`
      with batch as (
        select id from audit_events where created_at < ${before}
        order by created_at limit ${batchSize}
        for update skip locked
      ), deleted as (
        delete from audit_events where id = any(array(select id from batch)) returning 1
      )
      select (select count(*)::int from deleted) as deleted, (select count(*) from batch) = ${batchSize} as full`);
    return { deleted: row?.deleted ?? 0, last: row?.full ? "" : null };
  });
}

/**
 * Suspensions whose end date has come (`users.suspended_until`): the account
 * is active again, with the reason and end date cleared and a
 * `users.suspensionEnded` audit event (no actor: the schedule did it), in one
 * statement per batch. Sign-in and request checks already treat such an
 * account as active (`suspensionInForce`); this makes the row say so. Not a
 * deletion, but the same bounded, lock-skipping batches as the sweeps above.
 */
export async function endElapsedSuspensions(db: Executor, now: Date, limits: BatchLimits = {}): Promise<number> {
  const at = timestamp(now.getTime());
  return inBatches(limits, async (batchSize) => {
    const [row] = await db.execute<{ ended: number; full: boolean }>(sql`
      with batch as (
        select id from users
        where suspended_until is not null and suspended_until <= ${at} and status = 'suspended'
        order by suspended_until limit ${batchSize}
        for update skip locked
      ), ended as (
        update users set status = 'active', suspension_reason = null, suspended_until = null, updated_at = now()
        where id = any(array(select id from batch))
        returning id, username
      ), audited as (
        insert into audit_events (action, actor_id, target_type, target_id, details)
        select 'users.suspensionEnded', null, 'user', id::text,
               jsonb_build_object('outcome', 'success', 'username', username, 'by', 'schedule')
        from ended
        returning 1
      )
      select (select count(*)::int from audited) as ended, (select count(*) from batch) = ${batchSize} as full`);
    // Ended rows leave the range by themselves, so no position needs to be carried.
    return { deleted: row?.ended ?? 0, last: row?.full ? "" : null };
  });
}
