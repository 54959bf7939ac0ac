/**
 * Experiment behind decision 009: graphile-worker 0.17 and pg-boss 10 measured on
 * this machine, the way Inkwell would use them (jobs added inside a postgres.js
 * transaction, workers in the server process).
 *
 *   node --import tsx apps/bench/src/experiments/job-queue.ts [--jobs 5000] [--samples 200]
 *
 * For each queue: transactions per second that each enqueue one job, jobs per
 * second a worker with concurrency 10 completes, latency from commit to the
 * handler's start (one job every 100 ms, workers otherwise idle), and what happens when a
 * worker process is killed with SIGKILL mid-job while a second one runs. The
 * kill test spawns this file again with `--role worker`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "@inkwell/db";
import { Logger, run, runMigrations, type WorkerEvents } from "graphile-worker";
import PgBoss from "pg-boss";
import postgres from "postgres";

type QueueName = "graphile-worker" | "pg-boss" | "graphile-worker + heartbeat";

const { values: flags } = parseArgs({
  options: {
    jobs: { type: "string", default: "5000" },
    samples: { type: "string", default: "200" },
    role: { type: "string", default: "main" },
    queue: { type: "string" },
    url: { type: "string" },
  },
});

const now = () => performance.timeOrigin + performance.now();
const CONCURRENCY = 10;
/** Between two latency samples: slow enough for either queue to keep up. */
const LATENCY_GAP_MS = 100;
const ENQUEUE_CONNECTIONS = 10;
/** How long the kill test waits for another process to pick the job up. */
const RECOVERY_WAIT_MS = 90_000;
/** pg-boss: a job active longer than this is failed (and retried) by the supervisor. */
const PGBOSS_EXPIRE_SECONDS = 30;
const PGBOSS_SUPERVISE_SECONDS = 10;
/** pg-boss: jobs each poller fetches at once. */
const PGBOSS_BATCH = 10;
/** graphile-worker + heartbeat: a pool silent this long is presumed dead and its jobs unlocked. */
const HEARTBEAT_TIMEOUT_MS = 10_000;

// Queue adapters ----------------------------------------------------------------

interface Adapter {
  /** Enqueue inside an open postgres.js transaction. */
  enqueue(tx: postgres.TransactionSql, task: string, payload: object): Promise<void>;
  /** Start workers in this process; `handler` runs for every job of `task`. */
  work(task: string, concurrency: number, handler: (payload: Record<string, number>) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

async function graphileAdapter(url: string): Promise<Adapter> {
  await runMigrations({ connectionString: url, logger: quietGraphileLogger });
  const runners: { stop(): Promise<void> }[] = [];
  return {
    async enqueue(tx, task, payload) {
      // As text, then cast: a parameter PostgreSQL types as json would be JSON-encoded a second time by postgres.js.
      await tx`select graphile_worker.add_job(${task}::text, ${JSON.stringify(payload)}::text::json)`;
    },
    async work(task, concurrency, handler) {
      const runner = await run({
        connectionString: url,
        concurrency,
        noHandleSignals: true,
        pollInterval: 2_000,
        logger: quietGraphileLogger,
        taskList: { [task]: async (payload) => handler(payload as Record<string, number>) },
      });
      runners.push(runner);
    },
    async stop() {
      await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    },
  };
}

async function pgBossAdapter(url: string): Promise<Adapter> {
  const boss = new PgBoss({ connectionString: url, maintenanceIntervalSeconds: PGBOSS_SUPERVISE_SECONDS });
  boss.on("error", (error) => console.error("pg-boss:", error.message));
  await boss.start();
  const created = new Set<string>();
  const ensureQueue = async (task: string) => {
    if (created.has(task)) return;
    await boss.createQueue(task, { name: task, expireInSeconds: PGBOSS_EXPIRE_SECONDS, retryLimit: 3 });
    created.add(task);
  };
  return {
    async enqueue(tx, task, payload) {
      await ensureQueue(task);
      // pg-boss runs its INSERT through any `{ executeSql }`: here the open transaction.
      const db = {
        executeSql: async (text: string, values: unknown[]) => ({
          rows: await tx.unsafe(text, values.map((value) => value ?? null) as never[]),
        }),
      };
      await boss.send(task, payload, { db });
    },
    async work(task, concurrency, handler) {
      await ensureQueue(task);
      // pg-boss 10 has no LISTEN: each poller fetches a batch, runs it, then waits out the polling interval
      // (0.5 s at the shortest) before fetching again, so a poller's rate is capped at batch / interval.
      for (let i = 0; i < concurrency; i++) {
        await boss.work<Record<string, number>>(
          task,
          { pollingIntervalSeconds: 0.5, batchSize: PGBOSS_BATCH },
          async (batch) => {
            await Promise.all(batch.map((job) => handler(job.data)));
          },
        );
      }
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
    },
  };
}

const quietGraphileLogger = new Logger(() => (level, message) => {
  if (level === "error" || level === "warning") console.error("graphile-worker:", level, message);
});

// Measurements -------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measureThroughput(adapter: Adapter, sql: postgres.Sql, jobs: number) {
  const enqueueStart = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: ENQUEUE_CONNECTIONS }, async () => {
      while (next < jobs) {
        const i = next++;
        await sql.begin((tx) => adapter.enqueue(tx, "noop", { i }));
      }
    }),
  );
  const enqueueSeconds = (now() - enqueueStart) / 1000;

  let done = 0;
  let finished: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const workStart = now();
  await adapter.work("noop", CONCURRENCY, async () => {
    if (++done === jobs) finished();
  });
  await allDone;
  const workSeconds = (now() - workStart) / 1000;
  return { enqueuePerSecond: jobs / enqueueSeconds, jobsPerSecond: jobs / workSeconds };
}

async function measureLatency(adapter: Adapter, sql: postgres.Sql, samples: number) {
  const committedAt = new Map<number, number>();
  // A job may start before `sql.begin` has even returned: start times are kept, latencies computed after.
  const startedAt = new Map<number, number>();
  await adapter.work("ping", 2, async ({ i }) => {
    startedAt.set(i ?? -1, now());
  });
  await sleep(1_000);
  for (let i = 0; i < samples; i++) {
    await sql.begin((tx) => adapter.enqueue(tx, "ping", { i }));
    committedAt.set(i, now());
    await sleep(LATENCY_GAP_MS);
  }
  const deadline = now() + 10_000;
  while (startedAt.size < samples && now() < deadline) await sleep(50);
  const latencies = [...committedAt].map(([i, at]) => (startedAt.get(i) ?? Number.POSITIVE_INFINITY) - at);
  const sorted = latencies.sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) };
}

interface WorkerChild {
  child: ChildProcess;
  starts: { jobId: string; at: number }[];
}

function spawnWorker(queue: QueueName, url: string): WorkerChild {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", import.meta.filename, "--role", "worker", "--queue", queue, "--url", url],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const starts: WorkerChild["starts"] = [];
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    for (const line of chunk.split("\n").filter(Boolean)) {
      const message = JSON.parse(line) as { started?: string };
      if (message.started !== undefined) starts.push({ jobId: message.started, at: now() });
    }
  });
  return { child, starts };
}

/** Two worker processes; the one that starts the job is killed; how long until the other runs it? */
async function measureKill(queue: QueueName, adapter: Adapter, sql: postgres.Sql, url: string) {
  const a = spawnWorker(queue, url);
  const b = spawnWorker(queue, url);
  // Give both time to connect and start polling or listening.
  await sleep(4_000);
  const sweeper = queue === "graphile-worker + heartbeat" ? startHeartbeatSweeper(sql) : undefined;
  await sql.begin((tx) => adapter.enqueue(tx, "long", { i: 1 }));
  const firstStart = async () => {
    while (a.starts.length + b.starts.length === 0) await sleep(10);
    return a.starts.length > 0 ? { victim: a, survivor: b } : { victim: b, survivor: a };
  };
  const { victim, survivor } = await firstStart();
  victim.child.kill("SIGKILL");
  const killedAt = now();
  const deadline = killedAt + RECOVERY_WAIT_MS;
  while (survivor.starts.length === 0 && now() < deadline) await sleep(50);
  const recovered = survivor.starts[0];
  sweeper?.stop();
  survivor.child.kill("SIGKILL");
  return recovered
    ? `ran again on the other process after ${((recovered.at - killedAt) / 1000).toFixed(1)} s`
    : `not run again within ${RECOVERY_WAIT_MS / 1000} s`;
}

/** What Inkwell adds to graphile-worker: pools that stop beating have their jobs unlocked. */
function startHeartbeatSweeper(sql: postgres.Sql) {
  const timer = setInterval(() => {
    void sql`
      select graphile_worker.force_unlock_workers(array(
        select pool_id from bench_heartbeats
        where seen_at < now() - make_interval(secs => ${HEARTBEAT_TIMEOUT_MS / 1000})))`.catch((error) =>
      console.error("sweep:", error.message),
    );
  }, 1_000);
  return { stop: () => clearInterval(timer) };
}

// Roles --------------------------------------------------------------------------

async function workerRole(queue: QueueName, url: string) {
  const long = async (jobId: string) => {
    console.log(JSON.stringify({ started: jobId }));
    await sleep(10 * 60_000);
  };
  if (queue === "pg-boss") {
    const boss = new PgBoss({ connectionString: url, supervise: false, schedule: false, migrate: false });
    await boss.start();
    await boss.work("long", { pollingIntervalSeconds: 0.5 }, async ([job]) => long(job?.id ?? ""));
    return;
  }
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  // The pool's id is what graphile-worker writes into `locked_by`; it is announced while `run` starts.
  const events = new EventEmitter() as WorkerEvents;
  const poolIds = new Set<string>();
  events.on("pool:create", ({ workerPool }) => poolIds.add(workerPool.id));
  await run({
    events,
    connectionString: url,
    concurrency: 1,
    noHandleSignals: true,
    pollInterval: 1_000,
    logger: quietGraphileLogger,
    taskList: { long: async (_payload, helpers) => long(helpers.job.id) },
  });
  if (queue === "graphile-worker + heartbeat") {
    const beat = async () => {
      for (const id of poolIds) {
        await sql`insert into bench_heartbeats (pool_id, seen_at) values (${id}, now())
                  on conflict (pool_id) do update set seen_at = now()`;
      }
    };
    setInterval(() => void beat(), 1_000);
  }
}

/** What a transaction that inserts one row costs here, without any queue: the yardstick for enqueue rates. */
async function measureBaseline(url: string, jobs: number) {
  const sql = postgres(url, { max: ENQUEUE_CONNECTIONS, onnotice: () => {} });
  await sql`create table baseline (id bigint generated always as identity primary key, payload json not null)`;
  const started = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: ENQUEUE_CONNECTIONS }, async () => {
      while (next < jobs) {
        const i = next++;
        await sql.begin((tx) => tx`insert into baseline (payload) values (${JSON.stringify({ i })}::text::json)`);
      }
    }),
  );
  await sql.end();
  return { queue: "none (insert one row)", enqueuePerSecond: jobs / ((now() - started) / 1000) };
}

async function mainRole() {
  const jobs = Number(flags.jobs);
  const samples = Number(flags.samples);
  const folder = await mkdtemp(join(tmpdir(), "inkwell-queue-bench-"));
  // The cluster runs as the `postgres` user, which must be able to reach its data directory.
  await chmod(folder, 0o755);
  const cluster = await startEmbeddedPostgres({ dataDir: join(folder, "pg"), persistent: false });
  const results: Record<string, unknown>[] = [];
  try {
    const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
    await admin.unsafe("create database bench_baseline");
    await admin.end();
    console.log(JSON.stringify(await measureBaseline(cluster.urlFor("bench_baseline"), jobs)));
    for (const queue of ["graphile-worker", "graphile-worker + heartbeat", "pg-boss"] as const) {
      const database = `bench_${results.length}`;
      const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${database}`);
      await admin.end();
      const url = cluster.urlFor(database);
      const sql = postgres(url, { max: ENQUEUE_CONNECTIONS, onnotice: () => {} });
      await sql`create table bench_heartbeats (pool_id text primary key, seen_at timestamptz not null)`;
      const adapter = queue === "pg-boss" ? await pgBossAdapter(url) : await graphileAdapter(url);
      const row: Record<string, unknown> = { queue };
      try {
        if (queue !== "graphile-worker + heartbeat") {
          Object.assign(row, await measureThroughput(adapter, sql, jobs));
          Object.assign(row, { latencyMs: await measureLatency(adapter, sql, samples) });
        }
        row.killedMidJob = await measureKill(queue, adapter, sql, url);
      } finally {
        await adapter.stop();
        await sql.end();
      }
      console.log(JSON.stringify(row));
      results.push(row);
    }
  } finally {
    await cluster.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

if (flags.role === "worker") await workerRole(flags.queue as QueueName, flags.url ?? "");
else await mainRole();
