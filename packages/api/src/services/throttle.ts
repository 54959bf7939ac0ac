import { type Executor, type SQL, sql } from "@inkwell/db";
import type { ThrottlePolicy } from "../auth/settings.ts";

/**
 * Attempt counters shared by every server process (they live in PostgreSQL).
 *
 * An attempt is counted before it is checked, in the same statement that
 * checks the limit, so N attempts at once (a tRPC batch, N requests, several
 * processes) cannot all pass a "blocked?" check before any is counted. From
 * the `freeFailures`th attempt on, each attempt blocks the key for a delay
 * that doubles up to `maxDelayMs`; a successful attempt gives its slot back
 * and lifts the block, but the failures stay counted (see `releaseAttempt`).
 * A quiet `windowMs` since the last attempt starts over.
 */

export type Reservation = { allowed: true } | { allowed: false; retryAfterMs: number };

const ms = (value: number) => sql`(${value} * interval '1 millisecond')`;

/** The delay after the `hits`th attempt, or null while attempts are free. */
function blockAfter(hits: SQL, policy: ThrottlePolicy): SQL {
  return sql`case when ${hits} >= ${policy.freeFailures}
    then now() + least(${policy.baseDelayMs}::float8 * power(2, ${hits} - ${policy.freeFailures}), ${policy.maxDelayMs}::float8)
                 * interval '1 millisecond'
    else null end`;
}

/**
 * Counts one attempt for `key` unless the key is blocked; one statement, so
 * concurrent attempts are serialised on the counter's row.
 */
export async function reserveAttempt(db: Executor, key: string, policy: ThrottlePolicy): Promise<Reservation> {
  const expired = sql`t.updated_at < now() - ${ms(policy.windowMs)}`;
  const hits = sql`(case when ${expired} then 1 else t.hits + 1 end)`;
  const rows = await db.execute<{ reserved: boolean; wait_ms: number | null }>(sql`
    with attempt as (
      insert into throttle_counters as t (key, hits, window_started_at, updated_at, blocked_until)
      values (${key}, 1, now(), now(), ${blockAfter(sql`1`, policy)})
      on conflict (key) do update set
        hits = ${hits},
        window_started_at = case when ${expired} then now() else t.window_started_at end,
        updated_at = now(),
        blocked_until = ${blockAfter(hits, policy)}
      where t.blocked_until is null or t.blocked_until <= now()
      returning 1
    )
    select exists (select 1 from attempt) as reserved,
           (select ceil(extract(epoch from blocked_until - now()) * 1000)::float8
              from throttle_counters where key = ${key}) as wait_ms`);
  const row = rows[0];
  if (row?.reserved) return { allowed: true };
  return { allowed: false, retryAfterMs: Math.max(1000, Number(row?.wait_ms ?? 1000)) };
}

/**
 * Reserves an attempt on each key in turn; refused at the first blocked key,
 * and later keys are then not counted (so a blocked address hammering an
 * account does not also use up that account's attempts).
 */
export async function reserveAttempts(
  db: Executor,
  keys: readonly { key: string; policy: ThrottlePolicy }[],
): Promise<Reservation> {
  for (const { key, policy } of keys) {
    const reservation = await reserveAttempt(db, key, policy);
    if (!reservation.allowed) return reservation;
  }
  return { allowed: true };
}

/**
 * A successful attempt's slot back: one hit fewer, and the block lifted (its
 * own reservation may have set it). The failures stay counted, so the next
 * attempt past the free ones is checked and blocks again: each success gives
 * at most one more attempt, never a fresh set of free ones.
 */
export async function releaseAttempt(db: Executor, key: string): Promise<void> {
  await db.execute(sql`
    update throttle_counters set hits = greatest(hits - 1, 0), blocked_until = null
    where key = ${key}`);
}
