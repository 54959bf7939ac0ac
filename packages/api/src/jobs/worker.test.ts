import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "@inkwell/db";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startLaggingProxy } from "../testing/lagging-proxy.ts";
import {
  type JobObserver,
  type JobOutcome,
  type JobRun,
  type JobWorker,
  type JobWorkerOptions,
  startJobWorker,
  type TaskHandler,
} from "./worker.ts";

let database: TestDatabase;
const running: JobWorker[] = [];
const logged: { level: string; message: string; details: object }[] = [];
const logger = {
  error: (details: object, message: string) => logged.push({ level: "error", message, details }),
  warn: (details: object, message: string) => logged.push({ level: "warn", message, details }),
  info: (details: object, message: string) => logged.push({ level: "info", message, details }),
  debug: () => {},
};

beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 10 });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((worker) => worker.stop()));
  await database.sql`delete from graphile_worker._private_jobs`;
  await database.sql`delete from job_worker_heartbeats`;
  logged.length = 0;
});
afterAll(() => database.drop());

function recordingObserver() {
  const events: { name: string; event: "started" | JobOutcome; attempt?: number }[] = [];
  const observer: JobObserver = {
    started: (name, attempt) => events.push({ name, event: "started", attempt }),
    finished: (name, outcome) => events.push({ name, event: outcome }),
  };
  return { events, observer };
}

async function start(tasks: Record<string, TaskHandler>, options: Partial<JobWorkerOptions> = {}) {
  const worker = await startJobWorker({
    connectionString: database.url,
    db: database.db,
    concurrency: 2,
    tasks,
    logger,
    heartbeatTimeoutMs: 30_000,
    drainMs: 2_000,
    // Long: a job that starts at once came by NOTIFY, not by polling.
    pollIntervalMs: 60_000,
    ...options,
  });
  running.push(worker);
  return worker;
}

/** Adds a job as graphile-worker's SQL API does (what `enqueueJob` calls), outside any typed job list. */
async function addJob(task: string, payload: object, options: { maxAttempts?: number } = {}) {
  const [row] = await database.db.execute<{ id: string }>(sql`
    select (graphile_worker.add_job(${task}::text, ${JSON.stringify(payload)}::text::json,
      max_attempts => ${options.maxAttempts ?? 25}::int)).id::text as id`);
  return row?.id ?? "";
}

const jobRow = async (id: string) => {
  const [row] = await database.sql<{ attempts: number; last_error: string | null; locked_by: string | null }[]>`
    select attempts, last_error, locked_by from graphile_worker.jobs where id = ${id}`;
  return row ?? null;
};

describe("startJobWorker", () => {
  it("runs a job as soon as the transaction that added it commits, with its payload and attempt", async () => {
    const runs: { payload: unknown; job: JobRun; at: number }[] = [];
    await start({ "test.echo": async (payload, job) => void runs.push({ payload, job, at: Date.now() }) });
    const committed = Date.now();
    const id = await addJob("test.echo", { text: "héllo \"quoted\" \\ 'x'" });
    await expect.poll(() => runs.length, { timeout: 5_000, interval: 10 }).toBe(1);
    expect(runs[0]?.payload).toEqual({ text: "héllo \"quoted\" \\ 'x'" });
    expect(runs[0]?.job).toMatchObject({ id, name: "test.echo", attempt: 1, maxAttempts: 25, key: null });
    // The poll interval is a minute: only LISTEN/NOTIFY can start it this soon.
    expect((runs[0]?.at ?? Infinity) - committed).toBeLessThan(2_000);
    // A job that succeeded leaves the table.
    await expect.poll(() => jobRow(id), { timeout: 5_000, interval: 20 }).toBeNull();
  });

  it("resolves once it listens: a job added at once starts by NOTIFY even when its LISTEN is slow", async () => {
    // graphile-worker opens its listening connection as `run` returns; here its LISTEN takes 500 ms to arrive.
    const proxy = await startLaggingProxy(database.url, (bytes) => (bytes.includes("LISTEN") ? 500 : 0));
    try {
      const runs: string[] = [];
      await start(
        { "test.echo": async (_payload, job) => void runs.push(job.id) },
        { connectionString: proxy.url, concurrency: 1 },
      );
      const id = await addJob("test.echo", {});
      // The poll interval is a minute: a worker that resolved before it listened misses this job for that long.
      await expect.poll(() => runs, { timeout: 3_000, interval: 10 }).toEqual([id]);
    } finally {
      await Promise.all(running.splice(0).map((worker) => worker.stop()));
      await proxy.close();
    }
  });

  it("retries a failing job after graphile-worker's backoff, then reports it exhausted and keeps it with its error", async () => {
    const { events, observer } = recordingObserver();
    await start(
      {
        "test.fail": async () => {
          throw new Error("receiver said no");
        },
      },
      { observer, pollIntervalMs: 200 },
    );
    const id = await addJob("test.fail", {}, { maxAttempts: 2 });
    // exp(1) ≈ 2.7 s between the two attempts.
    await expect.poll(() => events.filter((e) => e.event !== "started").length, { timeout: 10_000 }).toBe(2);
    expect(events).toEqual([
      { name: "test.fail", event: "started", attempt: 1 },
      { name: "test.fail", event: "failed" },
      { name: "test.fail", event: "started", attempt: 2 },
      { name: "test.fail", event: "exhausted" },
    ]);
    await expect
      .poll(() => jobRow(id))
      .toEqual({ attempts: 2, last_error: expect.stringContaining("receiver said no"), locked_by: null });
    expect(logged.map(({ level, message }) => ({ level, message }))).toEqual([
      { level: "warn", message: "job test.fail failed; it will be retried" },
      { level: "error", message: "job test.fail failed on its last attempt" },
    ]);
  });

  it("on stop, lets a running job finish, then takes no more", async () => {
    const finished: string[] = [];
    const worker = await start({
      "test.slow": async (_payload, job) => {
        await sleep(500);
        finished.push(job.id);
      },
    });
    const id = await addJob("test.slow", {});
    await expect.poll(async () => (await jobRow(id))?.locked_by, { timeout: 5_000, interval: 10 }).toBeTruthy();
    const stopped = performance.now();
    await worker.stop();
    expect(finished).toEqual([id]);
    expect(performance.now() - stopped).toBeLessThan(2_000);
    expect(await jobRow(id)).toBeNull();

    const later = await addJob("test.slow", {});
    await sleep(700);
    expect(finished).toEqual([id]);
    expect(await jobRow(later)).toMatchObject({ attempts: 0, locked_by: null });
    // A clean stop takes its heartbeat with it, and is no error.
    expect(await database.sql`select 1 from job_worker_heartbeats`).toHaveLength(0);
    expect(logged).toEqual([]);
  });

  it("on stop, aborts the signal of a job still running after the drain window and releases it to run again", async () => {
    let aborted = false;
    const worker = await start(
      {
        "test.stuck": async (_payload, job) => {
          job.signal.addEventListener("abort", () => {
            aborted = true;
          });
          // Ignores the signal: the worker must release the job anyway.
          await sleep(60_000, undefined, { ref: false });
        },
      },
      { drainMs: 500 },
    );
    const id = await addJob("test.stuck", {});
    await expect.poll(async () => (await jobRow(id))?.locked_by, { timeout: 5_000, interval: 10 }).toBeTruthy();
    const stopped = performance.now();
    await worker.stop();
    expect(performance.now() - stopped).toBeLessThan(3_000);
    expect(aborted).toBe(true);
    // Released as a failed attempt: unlocked, to be run again after the backoff.
    expect(await jobRow(id)).toEqual({
      attempts: 1,
      last_error: "Inkwell shut down before this job finished",
      locked_by: null,
    });
  });

  it("runs again the job of a pool whose heartbeat stopped, and of a pool that never beat", async () => {
    const runs: string[] = [];
    await start({ "test.echo": async (_payload, job) => void runs.push(job.id) }, { heartbeatTimeoutMs: 1_000 });
    // Two jobs locked by pools that died mid-job: one had beaten (long ago), one never had.
    const dead = await addJob("test.echo", {});
    const orphan = await addJob("test.echo", {});
    await database.sql`update graphile_worker._private_jobs set locked_by = 'pool-dead', locked_at = now() - interval '5 seconds', attempts = 1 where id = ${dead}`;
    await database.sql`update graphile_worker._private_jobs set locked_by = 'pool-orphan', locked_at = now() - interval '5 seconds', attempts = 1 where id = ${orphan}`;
    await database.sql`insert into job_worker_heartbeats (pool_id, process, seen_at) values ('pool-dead', 'gone:1', now() - interval '5 seconds')`;
    // A pool that beats is left alone even though its job is old. It keeps beating, as a live process does,
    // so that a test slowed down by a busy machine does not see it fall silent.
    const beat = () => database.sql`
      insert into job_worker_heartbeats (pool_id, process) values ('pool-alive', 'elsewhere:2')
      on conflict (pool_id) do update set seen_at = now()`;
    await beat();
    // (`catch` also sends the query: postgres.js runs a query once it is awaited.)
    const beating = setInterval(() => void beat().catch(() => {}), 200);
    try {
      // Added and locked in one transaction: the running worker, woken when it commits, cannot take it first.
      const held = await database.sql.begin(async (tx) => {
        const [row] = await tx<
          { id: string }[]
        >`select (graphile_worker.add_job('test.echo', '{}'::json)).id::text as id`;
        await tx`update graphile_worker._private_jobs set locked_by = 'pool-alive', locked_at = now() - interval '1 hour', attempts = 1 where id = ${row?.id ?? ""}`;
        return row?.id ?? "";
      });

      await expect.poll(() => runs.sort(), { timeout: 5_000, interval: 50 }).toEqual([dead, orphan].sort());
      // Logged once the release has answered: the released jobs, woken by its NOTIFY, may have run before that.
      await expect
        .poll(() => logged, { timeout: 2_000, interval: 20 })
        .toContainEqual(
          expect.objectContaining({
            level: "warn",
            message: "released the jobs of job workers that stopped answering",
          }),
        );
      expect(await jobRow(held)).toMatchObject({ locked_by: "pool-alive" });
    } finally {
      clearInterval(beating);
    }
    const pools = await database.sql<{ pool_id: string }[]>`select pool_id from job_worker_heartbeats order by pool_id`;
    expect(pools.map((p) => p.pool_id)).not.toContain("pool-dead");
    expect(pools.map((p) => p.pool_id)).toContain("pool-alive");
  });

  it("never runs one job twice with two pools taking jobs from the same queue", async () => {
    const runs = new Map<string, number>();
    const task: TaskHandler = async (_payload, job) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      await sleep(Math.random() * 5);
    };
    await start({ "test.count": task }, { concurrency: 4 });
    await start({ "test.count": task }, { concurrency: 4 });
    await database.db.execute(sql`
      select graphile_worker.add_jobs(array(
        select row('test.count', '{}'::json, null, null, null, null, null, null)::graphile_worker.job_spec
        from generate_series(1, 300)))`);
    await expect.poll(() => runs.size, { timeout: 15_000, interval: 50 }).toBe(300);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    await expect.poll(async () => (await database.sql`select 1 from graphile_worker.jobs`).length).toBe(0);
  });
});
