import type { PostgresRateStore } from "./postgres-rate-store.ts";
import type { RateStore, RateWindow } from "./rate-store.ts";

/**
 * The share of a key's limit one process may count without telling the others. With N processes a client can
 * get at most limit × (1 + N × LOCAL_SHARE) through in one window: 10 % over with two (decision 012).
 * Limits below 20 get no local share: every hit is counted in PostgreSQL at once, exactly as before.
 */
export const LOCAL_SHARE = 0.05;

/** How often the hits counted here are reported to PostgreSQL, in one statement for all keys. */
export const DEFAULT_SYNC_INTERVAL_MS = 1000;

/** Keys remembered at once; past this, new keys are counted in PostgreSQL on every hit (memory stays bounded). */
const MAX_KEYS = 100_000;

/** This process's view of one key's window. */
interface LocalWindow {
  /** The key's total as PostgreSQL last reported it (every process's reported hits). */
  reported: number;
  /** Hits counted here and not yet sent. */
  pending: number;
  /** Hits sent and not yet confirmed. */
  sending: number;
  /** When the window ends, in epoch milliseconds. */
  resetAt: number;
}

export interface BatchedRateStoreOptions {
  syncIntervalMs?: number;
  /** Called when a background report fails; its hits stay pending and are sent with the next one. */
  onSyncError?: (error: unknown) => void;
}

/**
 * Counts rate-limit hits in this process and reports them to PostgreSQL in one batched statement a second, so a
 * request far from its limit costs no database round trip. A key whose hits not yet reported would pass its local
 * share (5 % of its limit) is reported at once, in the request, and the answer brings back every other process's
 * reported hits: near a limit, and for small limits, counting is exact up to the other processes' unreported
 * hits (at most their share each).
 */
export class BatchedRateStore implements RateStore {
  readonly windowMs: number;
  private readonly windows = new Map<string, LocalWindow>();
  private readonly timer: NodeJS.Timeout;
  private syncing: Promise<void> | null = null;

  constructor(
    private readonly database: PostgresRateStore,
    private readonly options: BatchedRateStoreOptions = {},
  ) {
    this.windowMs = database.windowMs;
    this.timer = setInterval(() => void this.sync(), options.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS);
    // Reporting never keeps a process alive; close() reports what is left.
    this.timer.unref();
  }

  async hit(key: string, weight: number, limit: number): Promise<RateWindow> {
    const window = this.current(key);
    if (!window) return this.database.add(key, weight);
    const share = Math.floor(limit * LOCAL_SHARE);
    if (window.pending + window.sending + weight <= share) {
      window.pending += weight;
      return { hits: window.reported + window.sending + window.pending, resetAt: new Date(window.resetAt) };
    }
    // Report now: this hit and the ones still pending here, in one statement.
    const amount = window.pending + weight;
    window.pending = 0;
    window.sending += amount;
    let reported: RateWindow;
    try {
      reported = await this.database.add(key, amount);
    } catch (error) {
      window.sending -= amount;
      // This request fails (503); the earlier hits stay counted.
      window.pending += amount - weight;
      throw error;
    }
    window.sending -= amount;
    this.learn(key, window, reported);
    return reported;
  }

  /** Reports every pending hit in one statement (per thousand keys); forgets windows that have ended. */
  sync(): Promise<void> {
    this.syncing ??= this.report().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  /** Stops the timer and reports what is still pending. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.syncing;
    await this.sync();
  }

  private current(key: string): LocalWindow | null {
    const now = Date.now();
    const known = this.windows.get(key);
    if (known && known.resetAt > now) return known;
    if (!known && this.windows.size >= MAX_KEYS) return null;
    // A new window (hits of the old one still being sent are confirmed into the old object and dropped).
    const fresh = { reported: 0, pending: 0, sending: 0, resetAt: now + this.windowMs };
    this.windows.set(key, fresh);
    return fresh;
  }

  /**
   * Takes PostgreSQL's total for a window this process still holds (not one that ended meanwhile). Reports run
   * side by side and can answer out of order: within one database window a total only grows, so an older, lower
   * answer must not replace a newer one.
   */
  private learn(key: string, window: LocalWindow, reported: RateWindow): void {
    if (this.windows.get(key) !== window) return;
    const resetAt = reported.resetAt.getTime();
    window.reported = resetAt === window.resetAt ? Math.max(window.reported, reported.hits) : reported.hits;
    window.resetAt = resetAt;
  }

  private async report(): Promise<void> {
    const now = Date.now();
    const batch: { key: string; weight: number; window: LocalWindow }[] = [];
    for (const [key, window] of this.windows) {
      if (window.resetAt <= now) {
        // Ended: its unsent hits would land in the next window, so they are dropped with it.
        if (window.sending === 0) this.windows.delete(key);
      } else if (window.pending > 0) {
        batch.push({ key, weight: window.pending, window });
        window.sending += window.pending;
        window.pending = 0;
      }
    }
    if (batch.length === 0) return;
    try {
      const reported = await this.database.addMany(batch);
      for (const { key, weight, window } of batch) {
        window.sending -= weight;
        const total = reported.get(key);
        if (total) this.learn(key, window, total);
      }
    } catch (error) {
      for (const { weight, window } of batch) {
        window.sending -= weight;
        window.pending += weight;
      }
      this.options.onSyncError?.(error);
    }
  }
}
