import type { SqlClient } from "@inkwell/db";
import type { RateStore, RateWindow } from "./rate-store.ts";

/** Far above any limit (at most 1,000,000 a minute), far below the `integer` column's maximum. */
const HITS_CEILING = 1_000_000_000;

/**
 * Fixed-window hit counters in the `throttle_counters` table, so every server
 * process counts the same hits. One statement per hit: a window older than
 * `windowMs` starts over.
 */
export class PostgresRateStore implements RateStore {
  constructor(
    private readonly sql: SqlClient,
    readonly windowMs = 60_000,
  ) {}

  async hit(key: string, weight: number): Promise<RateWindow> {
    const [row] = await this.sql<{ hits: number; window_started_at: string }[]>`
      insert into throttle_counters as t (key, hits, window_started_at, updated_at)
      values (${key}, ${weight}, now(), now())
      on conflict (key) do update set
        hits = case when t.window_started_at <= now() - ${this.windowMs} * interval '1 millisecond' then ${weight}
                    else least(t.hits::bigint + ${weight}, ${HITS_CEILING})::integer end,
        window_started_at = case when t.window_started_at <= now() - ${this.windowMs} * interval '1 millisecond'
                                 then now() else t.window_started_at end,
        updated_at = now()
      returning hits, window_started_at::text`;
    const started = new Date(row?.window_started_at ?? Date.now());
    return { hits: row?.hits ?? weight, resetAt: new Date(started.getTime() + this.windowMs) };
  }
}
