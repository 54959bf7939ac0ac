import { pgTable, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";

/**
 * One row per running job worker pool (graphile-worker's pool id, the value it
 * writes into a locked job's `locked_by`), refreshed every few seconds. A pool
 * that stops beating is presumed dead (its process was killed) and its jobs are
 * unlocked so another process runs them: graphile-worker alone would leave them
 * locked for four hours.
 */
export const jobWorkerHeartbeats = pgTable("job_worker_heartbeats", {
  poolId: text("pool_id").primaryKey(),
  /** `host:pid`, for operators reading the table. */
  process: text("process").notNull(),
  startedAt: timestamptz("started_at").notNull().defaultNow(),
  seenAt: timestamptz("seen_at").notNull().defaultNow(),
});
