import { type Executor, sql } from "@inkwell/db";
import { Conflict, NotFound, PreconditionFailed } from "../errors.ts";
import { jobNames } from "../jobs/definitions.ts";
import { type Cursor, encodeCursor } from "./cursor.ts";

/**
 * What operators see of the job queue (graphile-worker's `jobs` view and our
 * heartbeats). A job leaves the table when it succeeds, so what is there is
 * waiting, running, or carrying the error of its last failed attempt.
 */

/** Failed attempts' errors can be long (stacks, SMTP transcripts): the console shows the start. */
const ERROR_CHARACTERS = 2_000;

export interface TaskDepth {
  name: string;
  /** Due now, waiting for a free worker. */
  ready: number;
  /** Due later: delayed jobs and retries waiting out their backoff. */
  scheduled: number;
  running: number;
  /** Every attempt failed; stays until retried. */
  failed: number;
}

/** Jobs by task and state, as one aggregate over the jobs table (`depthOf` for metrics uses it too). */
export async function queueDepth(db: Executor): Promise<TaskDepth[]> {
  const rows = await db.execute<{
    name: string;
    ready: number;
    scheduled: number;
    running: number;
    failed: number;
  }>(sql`
    select task_identifier as name,
      (count(*) filter (where locked_at is null and attempts < max_attempts and run_at <= now()))::int as ready,
      (count(*) filter (where locked_at is null and attempts < max_attempts and run_at > now()))::int as scheduled,
      (count(*) filter (where locked_at is not null))::int as running,
      (count(*) filter (where locked_at is null and attempts >= max_attempts))::int as failed
    from graphile_worker.jobs group by task_identifier`);
  const byName = new Map(rows.map((row) => [row.name, row]));
  // Every job Inkwell defines, idle ones too; then any other task found in the table (from an older release).
  const names = [...jobNames, ...[...byName.keys()].filter((name) => !(jobNames as string[]).includes(name)).sort()];
  return names.map((name) => byName.get(name) ?? { name, ready: 0, scheduled: 0, running: 0, failed: 0 });
}

/** The queue by task, and the worker pools alive now (by their heartbeats). */
export async function jobQueueSummary(db: Executor) {
  const tasks = await queueDepth(db);
  const workers = await db.execute<{ poolId: string; process: string; startedAt: string; seenAt: string }>(sql`
    select pool_id as "poolId", process, started_at as "startedAt", seen_at as "seenAt"
    from job_worker_heartbeats order by started_at, pool_id`);
  return {
    tasks,
    workers: workers.map((worker) => ({
      ...worker,
      startedAt: new Date(worker.startedAt),
      seenAt: new Date(worker.seenAt),
    })),
  };
}

export type FailureState = "failed" | "retrying";

/**
 * Jobs whose last attempt failed, most recently failed first, one keyset page
 * at a time: `failed` ones used every attempt, `retrying` ones will run again.
 */
export async function listJobFailures(db: Executor, query: { state?: FailureState; limit: number; cursor?: Cursor }) {
  const { cursor } = query;
  const rows = await db.execute<{
    id: string;
    name: string;
    attempts: number;
    maxAttempts: number;
    lastError: string;
    runAt: string;
    createdAt: string;
    updatedAt: string;
    running: boolean;
    key: string | null;
  }>(sql`
    select id::text, task_identifier as name, attempts, max_attempts as "maxAttempts",
      left(last_error, ${ERROR_CHARACTERS}) as "lastError", run_at as "runAt", created_at as "createdAt",
      updated_at as "updatedAt", locked_at is not null as running, key
    from graphile_worker.jobs
    where last_error is not null
      ${query.state === "failed" ? sql`and attempts >= max_attempts and locked_at is null` : sql``}
      ${query.state === "retrying" ? sql`and (attempts < max_attempts or locked_at is not null)` : sql``}
      ${cursor ? sql`and (updated_at, id) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id})` : sql``}
    order by updated_at desc, id desc
    limit ${query.limit}`);
  const failures = rows.map((row) => ({
    id: Number(row.id),
    name: row.name,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    lastError: row.lastError,
    key: row.key,
    state: (row.running ? "running" : row.attempts >= row.maxAttempts ? "failed" : "retrying") as
      | FailureState
      | "running",
    runAt: new Date(row.runAt),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  }));
  const last = failures.at(-1);
  const nextCursor =
    last && failures.length === query.limit ? encodeCursor({ createdAt: last.updatedAt, id: last.id }) : null;
  return { failures, nextCursor };
}

/** Wakes idle workers at once, as graphile-worker's own `add_job` does, instead of at their next poll. */
export const nudgeWorkers = (count: number) =>
  sql`pg_notify('jobs:insert', json_build_object('r', random(), 'count', ${count}::int)::text)`;

/**
 * Runs a failed job again now, with its attempts counted from zero. Refused
 * for a job that is running or has not failed (it runs by itself).
 */
export async function retryJob(db: Executor, id: number): Promise<{ id: number; name: string }> {
  const [job] = await db.execute<{ name: string; running: boolean; failed: boolean }>(sql`
    select task_identifier as name, locked_at is not null as running, last_error is not null as failed
    from graphile_worker.jobs where id = ${id}`);
  if (!job) throw new NotFound("job", `No job ${id}: it succeeded, or never existed.`);
  if (job.running) throw new Conflict(`Job ${id} is running now; retry it if this attempt fails too.`);
  if (!job.failed) throw new PreconditionFailed(`Job ${id} has not failed; it runs by itself when it is due.`);
  const [rescheduled] = await db.execute<{ id: string }>(sql`
    select id::text from graphile_worker.reschedule_jobs(array[${id}]::bigint[], run_at => now(), attempts => 0)`);
  if (!rescheduled) throw new Conflict(`Job ${id} started running meanwhile; retry it if this attempt fails too.`);
  await db.execute(sql`select ${nudgeWorkers(1)}`);
  return { id, name: job.name };
}
