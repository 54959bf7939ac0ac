import { type Executor, inArray, schema, sql } from "@inkwell/db";
import type { ThrottlePolicy } from "../auth/settings.ts";

/**
 * Failure counters shared by every server process (they live in PostgreSQL).
 * From the `freeFailures`th failure on, each failure blocks the key for a delay
 * that doubles up to `maxDelayMs`; a quiet `windowMs` since the last failure starts over.
 */

/** Milliseconds until every one of `keys` is unblocked (0 when none is blocked). */
export async function blockedForMs(db: Executor, keys: string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const rows = await db
    .select({ blockedUntil: schema.throttleCounters.blockedUntil })
    .from(schema.throttleCounters)
    .where(inArray(schema.throttleCounters.key, keys));
  const now = Date.now();
  return Math.max(0, ...rows.map((row) => (row.blockedUntil ? row.blockedUntil.getTime() - now : 0)));
}

export async function recordFailure(db: Executor, key: string, policy: ThrottlePolicy): Promise<void> {
  const windowMs = policy.windowMs;
  const t = schema.throttleCounters;
  const [row] = await db
    .insert(t)
    .values({ key, hits: 1 })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        hits: sql`case when ${t.updatedAt} < now() - ${windowMs} * interval '1 millisecond'
                       then 1 else ${t.hits} + 1 end`,
        windowStartedAt: sql`case when ${t.updatedAt} < now() - ${windowMs} * interval '1 millisecond'
                                  then now() else ${t.windowStartedAt} end`,
        updatedAt: sql`now()`,
      },
    })
    .returning({ hits: t.hits });
  const hits = row?.hits ?? 1;
  if (hits < policy.freeFailures) return;
  const delayMs = Math.min(policy.baseDelayMs * 2 ** (hits - policy.freeFailures), policy.maxDelayMs);
  await db
    .update(t)
    .set({ blockedUntil: sql`now() + ${delayMs} * interval '1 millisecond'` })
    .where(sql`${t.key} = ${key}`);
}

export async function resetCounter(db: Executor, key: string): Promise<void> {
  await db.delete(schema.throttleCounters).where(sql`${schema.throttleCounters.key} = ${key}`);
}
