import { type AuthSettings, counterWindows, type MaintenanceResult, runMaintenance } from "@inkwell/api";
import { connect } from "@inkwell/db";
import type { Logger } from "./logger.ts";

// Any constant shared by every Inkwell process (migrations use 7_402_117, the first admin 7_402_118).
export const MAINTENANCE_LOCK_ID = 7_402_119;

/** The window of the `rate:` counters, as counted in `middleware/rate-limit.ts`. */
const RATE_LIMIT_WINDOW_MS = 60_000;

export const DEFAULT_MAINTENANCE_INTERVAL_MS = 10 * 60_000;

export type MaintenanceRun =
  | { status: "done"; deleted: MaintenanceResult }
  /** Another process held the lock (it is doing the work), or this one is stopping. */
  | { status: "skipped" }
  /** Logged; the next run tries again. */
  | { status: "failed" };

export interface MaintenanceOptions {
  /**
   * PostgreSQL itself, not a transaction-mode pooler: the lock belongs to one
   * database session, which a pooler does not keep (`DATABASE_DIRECT_URL ?? DATABASE_URL`).
   */
  url: string;
  applicationName?: string;
  authSettings: AuthSettings;
  logger: Logger;
  intervalMs?: number;
  /** The clock the deletes compare with; tests move it forward. */
  now?: () => Date;
  limits?: { batchSize?: number; maxBatches?: number };
}

export interface Maintenance {
  /** One pass now (joining the pass in progress, if any). Never rejects: failures are logged. */
  runOnce(): Promise<MaintenanceRun>;
  /** Stops the timer, lets a pass in progress end after its current batch, closes the connection. */
  stop(): Promise<void>;
}

/**
 * Deletes expired sessions and stale throttle counters every `intervalMs` (the
 * first time one interval after start) in each server process. A session-level
 * advisory lock on a one-connection pool of its own lets one process at a time
 * do it; the others skip that round. The timer never keeps the process alive.
 */
export function startMaintenance(options: MaintenanceOptions): Maintenance {
  const { logger } = options;
  const intervalMs = options.intervalMs ?? DEFAULT_MAINTENANCE_INTERVAL_MS;
  const now = options.now ?? (() => new Date());
  // One connection: lock, deletes and unlock all run in the same database session.
  const connection = connect({ url: options.url, maxConnections: 1, applicationName: options.applicationName });
  const stopping = new AbortController();
  let inProgress: Promise<MaintenanceRun> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function pass(): Promise<MaintenanceRun> {
    if (stopping.signal.aborted) return { status: "skipped" };
    const [lock] = await connection.sql<{ acquired: boolean }[]>`
      select pg_try_advisory_lock(${MAINTENANCE_LOCK_ID}) as acquired`;
    if (!lock?.acquired) {
      logger.debug("maintenance: another process is running it");
      return { status: "skipped" };
    }
    try {
      const deleted = await runMaintenance(connection.db, {
        settings: options.authSettings,
        counterWindows: counterWindows(options.authSettings, RATE_LIMIT_WINDOW_MS),
        now: now(),
        limits: { ...options.limits, signal: stopping.signal },
      });
      logger[deleted.sessions + deleted.throttleCounters > 0 ? "info" : "debug"]({ deleted }, "maintenance: done");
      return { status: "done", deleted };
    } finally {
      await connection.sql`select pg_advisory_unlock(${MAINTENANCE_LOCK_ID})`;
    }
  }

  function runOnce(): Promise<MaintenanceRun> {
    inProgress ??= pass()
      .catch((error: unknown): MaintenanceRun => {
        logger.error({ err: error }, "maintenance: failed; retrying at the next interval");
        return { status: "failed" };
      })
      .finally(() => {
        inProgress = undefined;
      });
    return inProgress;
  }

  function scheduleNext(): void {
    if (stopping.signal.aborted) return;
    // The next pass is timed from the end of this one, so passes never overlap.
    timer = setTimeout(() => void runOnce().then(scheduleNext), intervalMs);
    timer.unref();
  }
  scheduleNext();

  return {
    runOnce,
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      await inProgress;
      await connection.close();
    },
  };
}
