/** One key's fixed window, after a hit. */
export interface RateWindow {
  /** Hits counted in the window so far, this one included. */
  hits: number;
  /** When the window ends and the count starts over. */
  resetAt: Date;
}

/**
 * Where rate-limit hits are counted. Kept this small so the store can change
 * (in-process counters synced in batches, see `batched-rate-store.ts`) without touching the middleware.
 */
export interface RateStore {
  /** Length of a window, in milliseconds. */
  readonly windowMs: number;
  /**
   * Adds `weight` hits to `key`'s current window (a window that has ended starts over) and returns it.
   * `limit` is the limit the caller applies to the key: a store may count with less precision far from it.
   */
  hit(key: string, weight: number, limit: number): Promise<RateWindow>;
}
