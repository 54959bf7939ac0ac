import { type Executor, sql } from "@inkwell/db";
import { type JobName, type JobPayloadInput, jobDefinitions } from "../jobs/definitions.ts";

export interface EnqueueOptions {
  /** Not before this time (default: now). */
  runAt?: Date;
  /** Overrides the job's `maxAttempts` from `jobs/definitions.ts`. */
  maxAttempts?: number;
  /**
   * At most one waiting job per key: enqueueing again with the same key
   * changes the waiting job instead of adding one (see `jobKeyMode`). Use it
   * for work that only needs doing once, e.g. `webhooks.deliver:<deliveryId>`.
   */
  jobKey?: string;
  /**
   * With `jobKey`: `replace` (default) updates the waiting job's payload and
   * time; `preserve_run_at` updates the payload but keeps its time;
   * `unsafe_dedupe` leaves an existing job (even a running one) as it is.
   * A running job is never changed: `replace` then adds a new job.
   */
  jobKeyMode?: "replace" | "preserve_run_at" | "unsafe_dedupe";
  /** Lower runs first (default `JOB_PRIORITY.normal`). */
  priority?: number;
  /** Jobs sharing a queue name run one at a time, in order. Few, fixed names only. */
  queueName?: string;
}

/**
 * Who goes first when the queue is behind (graphile-worker runs lower numbers
 * first): a burst of comment notifications must not hold up a password reset
 * or another system's webhook. The bench's comment scenarios made exactly that
 * backlog (BENCHMARKS.md, finding 8).
 */
export const JOB_PRIORITY = {
  /** A person is waiting for it: account emails (verification, reset, email change). */
  interactive: -10,
  /** The default: webhook deliveries, maintenance. */
  normal: 0,
  /** Nobody waits on it: notifications about others' activity. */
  bulk: 10,
} as const;

export interface EnqueuedJob {
  /** graphile-worker's job id: the same across the job's attempts. */
  id: string;
}

/**
 * Adds a job, in the caller's transaction when `db` is one (`ctx.db` inside a
 * mutation): the job exists exactly when the change that causes it commits,
 * and a worker may start it as soon as it does. The payload is validated
 * against the job's schema; an invalid one is a bug, thrown as such.
 */
export async function enqueueJob<N extends JobName>(
  db: Executor,
  name: N,
  payload: JobPayloadInput<N>,
  options: EnqueueOptions = {},
): Promise<EnqueuedJob> {
  const definition = jobDefinitions[name];
  const checked = definition.payload.parse(payload);
  const [row] = await db.execute<{ id: string }>(sql`
    select (graphile_worker.add_job(
      identifier => ${name}::text,
      -- Sent as text: a parameter typed json would be encoded a second time by postgres.js.
      payload => ${JSON.stringify(checked)}::text::json,
      queue_name => ${options.queueName ?? null}::text,
      run_at => ${options.runAt?.toISOString() ?? null}::timestamptz,
      max_attempts => ${options.maxAttempts ?? definition.maxAttempts}::int,
      job_key => ${options.jobKey ?? null}::text,
      priority => ${options.priority ?? null}::int,
      job_key_mode => ${options.jobKeyMode ?? "replace"}::text
    )).id::text as id`);
  if (!row) throw new Error(`graphile_worker.add_job returned no job for ${name}`);
  return { id: row.id };
}
