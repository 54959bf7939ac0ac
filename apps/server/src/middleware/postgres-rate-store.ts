import type { SqlClient } from "@inkwell/db";
import type { ClientRateLimitInfo, HonoConfigType, Store } from "hono-rate-limiter";

/**
 * A fixed-window hit counter for hono-rate-limiter, kept in the
 * `throttle_counters` table so every server process counts the same hits.
 * One statement per hit: a window older than `windowMs` starts over.
 */
export class PostgresRateStore implements Store {
  localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly sql: SqlClient,
    private readonly keyPrefix: string,
  ) {}

  init(options: HonoConfigType): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const [row] = await this.sql<{ hits: number; window_started_at: string }[]>`
      insert into throttle_counters as t (key, hits, window_started_at, updated_at)
      values (${this.keyPrefix + key}, 1, now(), now())
      on conflict (key) do update set
        hits = case when t.window_started_at <= now() - ${this.windowMs} * interval '1 millisecond' then 1 else t.hits + 1 end,
        window_started_at = case when t.window_started_at <= now() - ${this.windowMs} * interval '1 millisecond'
                                 then now() else t.window_started_at end,
        updated_at = now()
      returning hits, window_started_at::text`;
    const started = new Date(row?.window_started_at ?? Date.now());
    return { totalHits: row?.hits ?? 1, resetTime: new Date(started.getTime() + this.windowMs) };
  }

  async decrement(key: string): Promise<void> {
    await this.sql`update throttle_counters set hits = greatest(hits - 1, 0) where key = ${this.keyPrefix + key}`;
  }

  async resetKey(key: string): Promise<void> {
    await this.sql`delete from throttle_counters where key = ${this.keyPrefix + key}`;
  }
}
