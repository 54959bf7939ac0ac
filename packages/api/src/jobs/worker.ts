import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { Executor } from "@inkwell/db";
import {
  type CronItem,
  Logger as GraphileLogger,
  parseCronItems,
  type Runner,
  run,
  type Task,
  type WorkerEvents,
  type WorkerPool,
} from "graphile-worker";
import { forgetHeartbeat, recordHeartbeat, releaseJobsOfSilentWorkers } from "./heartbeats.ts";

/** What a handler learns about the job it runs. */
export interface JobRun {
  /** The same across attempts of one job. */
  id: string;
  name: string;
  /** 1 on the first run; an interrupted run (process killed) counts too. */
  attempt: number;
  maxAttempts: number;
  /** The job's `jobKey`, if it was given one. */
  key: string | null;
  /** The worker pool running it (graphile-worker's `locked_by`, the heartbeat's `pool_id`). */
  poolId: string;
  /** Aborted when the process shuts down and the drain window ends: stop and throw, the job runs again later. */
  signal: AbortSignal;
}

/** A task as the worker runs it: the payload is whatever was stored; the handler validates it. */
export type TaskHandler = (payload: unknown, job: JobRun) => Promise<void>;

/** How a job attempt ended: `failed` will be retried, `exhausted` was the last attempt. */
export type JobOutcome = "succeeded" | "failed" | "exhausted";

/** Told about every attempt, for metrics. */
export interface JobObserver {
  started(name: string, attempt: number): void;
  finished(name: string, outcome: JobOutcome, seconds: number): void;
}

/** pino's method shape. */
export interface WorkerLogger {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
  debug(details: object, message: string): void;
}

export interface JobWorkerOptions {
  /** PostgreSQL itself (the worker LISTENs): `DATABASE_DIRECT_URL ?? DATABASE_URL`. */
  connectionString: string;
  /** Where heartbeats are written. */
  db: Executor;
  /** Jobs run at once in this process (at least 1). */
  concurrency: number;
  tasks: Record<string, TaskHandler>;
  /** Recurring jobs (graphile-worker's cron: several processes schedule each tick once). */
  schedule?: CronItem[];
  logger: WorkerLogger;
  observer?: JobObserver;
  /** A pool silent this long is presumed dead and its jobs run again elsewhere. */
  heartbeatTimeoutMs: number;
  /** How long `stop()` lets running jobs finish before releasing them. */
  drainMs: number;
  /** Between polls for jobs that became due (new jobs arrive by LISTEN/NOTIFY at once). Default 2 s. */
  pollIntervalMs?: number;
  /** Shown in `pg_stat_activity` for the worker's own connections. */
  applicationName?: string;
}

export interface JobWorker {
  /** graphile-worker's pool ids in this process (what `locked_by` holds while a job runs here). */
  readonly poolIds: readonly string[];
  /**
   * Takes no new jobs, lets running ones finish within the drain window, then
   * releases those still running (they fail this attempt and run again later),
   * and removes this process's heartbeat.
   */
  stop(): Promise<void>;
}

function withApplicationName(url: string, name: string | undefined): string {
  if (!name) return url;
  const parsed = new URL(url);
  parsed.searchParams.set("application_name", name);
  return parsed.toString();
}

/** graphile-worker's own lines: routine ones at debug; failures are logged by `toTask` with the job's details. */
function graphileLogger(logger: WorkerLogger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const details = { queue: scope.label ?? "graphile-worker" };
    if (level === "error" && !meta?.failure) logger.error(details, message);
    else if (level === "warning") logger.warn(details, message);
    else logger.debug(details, message);
  });
}

function toTask(name: string, handler: TaskHandler, options: JobWorkerOptions): Task {
  return async (payload, helpers) => {
    const { job } = helpers;
    const attempt = job.attempts;
    options.observer?.started(name, attempt);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      await handler(payload, {
        id: job.id,
        name,
        attempt,
        maxAttempts: job.max_attempts,
        key: job.key,
        poolId: job.locked_by ?? "",
        signal: helpers.abortSignal,
      });
      options.observer?.finished(name, "succeeded", seconds());
    } catch (error) {
      const exhausted = attempt >= job.max_attempts;
      options.observer?.finished(name, exhausted ? "exhausted" : "failed", seconds());
      const details = { err: error, job: { id: job.id, name, attempt, maxAttempts: job.max_attempts } };
      if (exhausted) options.logger.error(details, `job ${name} failed on its last attempt`);
      else options.logger.warn(details, `job ${name} failed; it will be retried`);
      throw error;
    }
  };
}

const listenWaitMs = 10_000;

/** Settles once the pool's LISTEN has been executed, not merely sent. */
function untilListening(events: WorkerEvents): Promise<void> {
  return new Promise((resolve) => {
    events.once("pool:listen:success", ({ client }) => {
      // graphile-worker sends its LISTEN on this client right after this event: queued behind it (hence the
      // microtask), this query answers only once the LISTEN has run.
      queueMicrotask(
        () =>
          void client.query("select 1").then(
            () => resolve(),
            () => resolve(),
          ),
      );
    });
  });
}

/**
 * Runs jobs in this process on graphile-worker: new jobs start as soon as the
 * transaction that added them commits (LISTEN/NOTIFY), due ones are polled
 * for, and no two processes run the same attempt (row locks with SKIP LOCKED).
 * Adds what graphile-worker leaves to its paid edition: jobs of a killed
 * process run again once its heartbeat is `heartbeatTimeoutMs` old.
 * Resolves once it listens, so that a job added after that starts at once.
 */
export async function startJobWorker(options: JobWorkerOptions): Promise<JobWorker> {
  const { logger } = options;
  const processLabel = `${hostname()}:${process.pid}`;
  const pools: WorkerPool[] = [];
  const poolIds: string[] = [];
  const events = new EventEmitter() as WorkerEvents;
  // Announced while `run` starts, before any job is taken.
  events.on("pool:create", ({ workerPool }) => {
    pools.push(workerPool);
    poolIds.push(workerPool.id);
  });

  const listening = untilListening(events);
  const runner: Runner = await run({
    connectionString: withApplicationName(options.connectionString, options.applicationName),
    concurrency: options.concurrency,
    maxPoolSize: options.concurrency + 3,
    noHandleSignals: true,
    pollInterval: options.pollIntervalMs ?? 2_000,
    gracefulShutdownAbortTimeout: options.drainMs,
    logger: graphileLogger(logger),
    events,
    taskList: Object.fromEntries(
      Object.entries(options.tasks).map(([name, handler]) => [name, toTask(name, handler, options)]),
    ),
    parsedCronItems: parseCronItems(options.schedule ?? []),
    // Batched (even with no delay), a job's completion or failure is written before `stop()` resolves;
    // unbatched (graphile-worker's default) it is fired and forgotten, and lost if the pool closes first.
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
  });

  // `run` returns before the pool listens for new jobs: a job added meanwhile would wait for the next poll.
  if ((await Promise.race([listening, sleep(listenWaitMs, "timeout" as const, { ref: false })])) === "timeout") {
    logger.warn(
      { waitedMs: listenWaitMs },
      "job worker not yet listening for new jobs; until then it finds them by polling",
    );
  }

  const heartbeatEveryMs = Math.max(250, Math.floor(options.heartbeatTimeoutMs / 6));
  async function heartbeat(): Promise<void> {
    try {
      await recordHeartbeat(options.db, poolIds, processLabel);
      const released = await releaseJobsOfSilentWorkers(options.db, options.heartbeatTimeoutMs);
      if (released.length > 0) {
        logger.warn({ pools: released }, "released the jobs of job workers that stopped answering");
      }
    } catch (error) {
      // The database away: the next beat tries again (and other processes keep releasing jobs).
      logger.warn({ err: error }, "job worker heartbeat failed");
    }
  }
  await heartbeat();
  const timer = setInterval(() => void heartbeat(), heartbeatEveryMs);
  timer.unref();

  let stopping: Promise<void> | undefined;
  // graphile-worker gives up on a pool it cannot keep consistent (e.g. completions it could not write for long):
  // this process then runs no jobs, and stops beating so that others release what it held.
  runner.promise.then(
    () => {
      clearInterval(timer);
      if (!stopping) logger.error({}, "job worker stopped by itself; this process runs no jobs until it restarts");
    },
    (error: unknown) => {
      clearInterval(timer);
      if (!stopping) logger.error({ err: error }, "job worker failed; this process runs no jobs until it restarts");
    },
  );

  async function drainAndStop(): Promise<void> {
    clearInterval(timer);
    const graceful = runner.stop().then(
      () => "drained" as const,
      (error: unknown) => {
        logger.error({ err: error }, "job worker: graceful stop failed");
        return "failed" as const;
      },
    );
    const outcome = await Promise.race([graceful, sleep(options.drainMs, "timeout" as const, { ref: false })]);
    if (outcome !== "drained") {
      logger.warn({ drainMs: options.drainMs }, "job worker: releasing jobs still running after the drain window");
      // Not `runner.kill()`: once a graceful stop has begun it skips the forceful one that releases the jobs.
      await Promise.all(
        pools.map((pool) =>
          Promise.resolve(pool.forcefulShutdown("Inkwell shut down before this job finished")).catch((error: unknown) =>
            logger.error({ err: error }, "job worker: releasing running jobs failed"),
          ),
        ),
      );
    }
    await forgetHeartbeat(options.db, poolIds).catch((error: unknown) => {
      logger.warn({ err: error }, "job worker: could not remove its heartbeat");
    });
  }

  return {
    poolIds,
    stop() {
      stopping ??= drainAndStop();
      return stopping;
    },
  };
}
