/** One key's fixed window, after a hit. */
export interface RateWindow {
  /** Hits counted in the window so far, this one included. */
  hits: number;
  /** When the window ends and the count starts over. */
  resetAt: Date;
}

/**
 * Where rate-limit hits are counted. Kept this small so the store can change
 * (e.g. in-process counters synced in the background) without touching the
 * middleware.
 */
export interface RateStore {
  /** Length of a window, in milliseconds. */
  readonly windowMs: number;
  /** Adds `weight` hits to `key`'s current window (a window that has ended starts over) and returns it. */
  hit(key: string, weight: number): Promise<RateWindow>;
}
