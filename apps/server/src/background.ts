import {
  type AuthSettings,
  addressPolicy,
  askForDispatch,
  type CounterWindows,
  closeWebhookConnections,
  counterWindows,
  createJobHandlers,
  cronItems,
  days,
  type JobDeps,
  type JobObserver,
  type JobWorker,
  jobTasks,
  type LinkBuilder,
  maintenanceSchedule,
  type ScheduledJob,
  smtpTransport,
  startDispatchListener,
  startJobWorker,
  WebhookDispatches,
} from "@inkwell/api";
import type { Env } from "@inkwell/config";
import { connect, type Database } from "@inkwell/db";
import type { Logger } from "./logger.ts";

/** The window of the `rate:` counters, as counted in `middleware/rate-limit.ts`. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/** How long SIGTERM lets running jobs finish before releasing them (main.ts exits after 10 s in any case). */
export const DEFAULT_JOB_DRAIN_MS = 7_000;

export interface BackgroundWorkOptions {
  env: Env;
  /** PostgreSQL itself (the worker LISTENs): `DATABASE_DIRECT_URL ?? DATABASE_URL`. */
  directUrl: string;
  /**
   * The database jobs read and write (`DATABASE_URL`, PgBouncer allowed), on connections of their own
   * (`WORKER_CONCURRENCY` + 1): a burst of requests does not starve the jobs, nor the jobs the requests.
   */
  databaseUrl: string;
  logger: Logger;
  authSettings: AuthSettings;
  links: LinkBuilder;
  /** Opens webhook endpoints' signing secrets (`ENCRYPTION_KEY`, or the one beside the embedded database). */
  encryptionKey: Uint8Array | null;
  /** Where the `pg_stat_activity` of the worker's own connections points (`<name>-jobs`). */
  applicationName: string;
  observer?: JobObserver;
  /** Tests: a shorter drain, a faster poll, another schedule, a moved clock. */
  overrides?: {
    drainMs?: number;
    pollIntervalMs?: number;
    schedule?: ScheduledJob[];
    now?: () => Date;
    counterWindows?: CounterWindows;
  };
}

export interface BackgroundWork {
  /** Null when `WORKER_CONCURRENCY=0`: jobs are only enqueued here. */
  worker: JobWorker | null;
  /** Drains the worker (see `JobWorker.stop`) and closes the SMTP connection. */
  stop(): Promise<void>;
}

/** What job handlers need, from the environment. */
export function jobDeps(
  db: Database,
  options: Omit<BackgroundWorkOptions, "directUrl" | "databaseUrl" | "applicationName" | "observer">,
): JobDeps {
  const { env, overrides = {} } = options;
  return {
    db,
    logger: options.logger,
    email: {
      transport: env.SMTP_URL ? smtpTransport(env.SMTP_URL, env.SMTP_FROM) : null,
      messageIdDomain: new URL(options.links.to("/")).hostname,
    },
    links: options.links,
    maintenance: {
      sessions: options.authSettings,
      counterWindows: overrides.counterWindows ?? counterWindows(options.authSettings, RATE_LIMIT_WINDOW_MS),
      emailRetentionMs: days(env.EMAIL_RETENTION_DAYS),
      webhookRetentionMs: days(env.WEBHOOK_RETENTION_DAYS),
      auditRetentionMs: env.AUDIT_RETENTION_DAYS === undefined ? null : days(env.AUDIT_RETENTION_DAYS),
      now: overrides.now,
    },
    webhooks: {
      encryptionKey: options.encryptionKey,
      policy: addressPolicy(env.WEBHOOK_ALLOWED_HOSTS),
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      retryDelaysMs: env.WEBHOOK_RETRY_DELAYS,
      disableAfterDead: env.WEBHOOK_DISABLE_AFTER_DEAD,
    },
    webhookDispatches: new WebhookDispatches((endpointId) =>
      askForDispatch(db, endpointId).catch((error: unknown) => {
        // The sweep asks again within seconds.
        options.logger.warn({ err: error, endpointId }, "webhook dispatch: asking for one failed");
      }),
    ),
  };
}

/**
 * Runs background jobs in this process (`WORKER_CONCURRENCY` at once) with the
 * maintenance schedule; with `WORKER_CONCURRENCY=0` it runs none, and another
 * process (`pnpm worker`) must.
 */
export async function startBackgroundWork(options: BackgroundWorkOptions): Promise<BackgroundWork> {
  const { env, logger, overrides = {} } = options;
  if (env.WORKER_CONCURRENCY === 0) {
    logger.info("background jobs are not run in this process (WORKER_CONCURRENCY=0)");
    return { worker: null, stop: async () => {} };
  }
  const connection = connect({
    url: options.databaseUrl,
    maxConnections: env.WORKER_CONCURRENCY + 1,
    applicationName: `${options.applicationName}-jobs`,
    prepare: env.DATABASE_PREPARED_STATEMENTS,
  });
  const deps = jobDeps(connection.db, options);
  const worker = await startJobWorker({
    connectionString: options.directUrl,
    db: connection.db,
    concurrency: env.WORKER_CONCURRENCY,
    tasks: jobTasks(createJobHandlers(deps)),
    schedule: cronItems(overrides.schedule ?? maintenanceSchedule),
    logger,
    observer: options.observer,
    heartbeatTimeoutMs: env.WORKER_HEARTBEAT_TIMEOUT_SECONDS * 1000,
    drainMs: overrides.drainMs ?? DEFAULT_JOB_DRAIN_MS,
    pollIntervalMs: overrides.pollIntervalMs,
    applicationName: `${options.applicationName}-jobs`,
  }).catch(async (error: unknown) => {
    await connection.close();
    throw error;
  });
  // LISTEN needs a session of its own on PostgreSQL itself (the direct URL).
  const listenConnection = connect({
    url: options.directUrl,
    maxConnections: 1,
    applicationName: `${options.applicationName}-jobs`,
  });
  const dispatchListener = await startDispatchListener({
    listenSql: listenConnection.sql,
    db: connection.db,
    dispatches: deps.webhookDispatches,
    logger,
    requestTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
  }).catch(async (error: unknown) => {
    await worker.stop();
    await listenConnection.close();
    await connection.close();
    throw error;
  });
  logger.info(
    { concurrency: env.WORKER_CONCURRENCY, email: env.SMTP_URL ? "smtp" : "outbox" },
    "background jobs are running in this process",
  );
  return {
    worker,
    async stop() {
      await dispatchListener.stop();
      await listenConnection.close();
      await worker.stop();
      await closeWebhookConnections();
      deps.email.transport?.close();
      await connection.close();
    },
  };
}
