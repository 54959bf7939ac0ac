import type { SqlClient } from "@inkwell/db";
import type { RateWindow } from "./rate-store.ts";

/** Far above any limit (at most 1,000,000 a minute), far below the `integer` column's maximum. */
const HITS_CEILING = 1_000_000_000;

/** Keys per statement when many are reported at once (the arrays travel as two parameters). */
const BATCH_KEYS = 1000;

interface CounterRow {
  key: string;
  hits: number;
  window_started_at: string;
}

/**
 * Fixed-window hit counters in the `throttle_counters` table, so every server
 * process counts the same hits. A window older than `windowMs` starts over.
 * `add` reports one key in one statement; `addMany` reports many keys in one statement each thousand.
 */
export class PostgresRateStore {
  constructor(
    private readonly sql: SqlClient,
    readonly windowMs = 60_000,
  ) {}

  async add(key: string, weight: number): Promise<RateWindow> {
    const windows = await this.addMany([{ key, weight }]);
    return windows.get(key) ?? { hits: weight, resetAt: new Date(Date.now() + this.windowMs) };
  }

  /** Adds each key's weight to its current window; returns every key's window after the addition. */
  async addMany(hits: readonly { key: string; weight: number }[]): Promise<Map<string, RateWindow>> {
    const windows = new Map<string, RateWindow>();
    for (let start = 0; start < hits.length; start += BATCH_KEYS) {
      const chunk = hits.slice(start, start + BATCH_KEYS);
      const keys = chunk.map((hit) => hit.key);
      const weights = chunk.map((hit) => Math.min(hit.weight, HITS_CEILING));
      // Sorted by key, so two processes reporting overlapping keys lock the rows in the same order.
      const rows = await this.sql<CounterRow[]>`
        insert into throttle_counters as t (key, hits, window_started_at, updated_at)
        select key, weight, now(), now()
        from unnest(${keys}::text[], ${weights}::integer[]) as reported(key, weight)
        order by key
        on conflict (key) do update set
          hits = case when t.window_started_at <= now() - ${this.windowMs} * interval '1 millisecond'
                      then excluded.hits
                      else least(t.hits::bigint + excluded.hits, ${HITS_CEILING})::integer end,
          window_started_at = case when t.window_started_at <= now() - ${this.windowMs} * interval '1 millisecond'
                                   then now() else t.window_started_at end,
          updated_at = now()
        returning key, hits, window_started_at::text`;
      for (const row of rows) {
        const started = new Date(row.window_started_at).getTime();
        windows.set(row.key, { hits: row.hits, resetAt: new Date(started + this.windowMs) });
      }
    }
    return windows;
  }
}
