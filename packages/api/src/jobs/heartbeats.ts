import { type Executor, sql } from "@inkwell/db";

/**
 * graphile-worker marks a running job with its pool's id (`locked_by`) and, if
 * that process dies, leaves the job locked for four hours. Each Inkwell worker
 * pool therefore records a heartbeat; any pool may release the jobs of a pool
 * that has been silent for longer than the timeout (its process was killed or
 * lost its database), so another process runs them again (at least once).
 */

/** Records that these pools are alive now. */
export async function recordHeartbeat(db: Executor, poolIds: readonly string[], processLabel: string): Promise<void> {
  if (poolIds.length === 0) return;
  await db.execute(sql`
    insert into job_worker_heartbeats (pool_id, process)
    select unnest(${sql.param(poolIds)}::text[]), ${processLabel}
    on conflict (pool_id) do update set seen_at = now()`);
}

/** A pool that stopped cleanly: its heartbeat goes with it. */
export async function forgetHeartbeat(db: Executor, poolIds: readonly string[]): Promise<void> {
  if (poolIds.length === 0) return;
  await db.execute(sql`delete from job_worker_heartbeats where pool_id = any(${sql.param(poolIds)}::text[])`);
}

/**
 * Unlocks the jobs of pools silent for `timeoutMs`, and of pools that locked a
 * job that long ago without ever recording a heartbeat (killed before their
 * first one). Returns the pools released. The released jobs keep their attempt
 * count: the interrupted run counts as an attempt.
 */
export async function releaseJobsOfSilentWorkers(db: Executor, timeoutMs: number): Promise<string[]> {
  const silentSince = sql`now() - make_interval(secs => ${timeoutMs / 1000}::float8)`;
  const [row] = await db.execute<{ released: string[] }>(sql`
    with silent as (
      delete from job_worker_heartbeats where seen_at < ${silentSince} returning pool_id
    ), orphaned as (
      select distinct jobs.locked_by as pool_id from graphile_worker.jobs
      where jobs.locked_by is not null and jobs.locked_at < ${silentSince}
        and not exists (select 1 from job_worker_heartbeats where pool_id = jobs.locked_by)
    ), released as (
      select coalesce(array_agg(pool_id), '{}') as ids from (select pool_id from silent union select pool_id from orphaned) p
    ), held as (
      select count(*)::int as jobs from graphile_worker.jobs, released where jobs.locked_by = any(released.ids)
    )
    select ids as released, graphile_worker.force_unlock_workers(ids),
      -- Wake idle workers now rather than at their next poll, as add_job does.
      case when jobs > 0 then pg_notify('jobs:insert', json_build_object('r', random(), 'count', jobs)::text) end
    from released, held`);
  return row?.released ?? [];
}
