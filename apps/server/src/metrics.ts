import type { JobObserver, TaskDepth } from "@inkwell/api";
import type { Env } from "@inkwell/config";
import type { SqlClient } from "@inkwell/db";
import type { Context, MiddlewareHandler } from "hono";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Logger } from "./logger.ts";
import { trpcRouteLabel } from "./trpc-request.ts";

export interface Metrics {
  registry: Registry;
  middleware: MiddlewareHandler;
  /** Told about every job attempt this process runs. */
  jobs: JobObserver;
}

/**
 * A route's label: the tRPC procedure (from the router's own names), or the
 * matched route pattern. Never a raw path, whose ids or junk would add a
 * series per distinct value.
 */
function routeLabel(c: Context): string {
  if (c.req.path.startsWith("/trpc/")) return trpcRouteLabel(c);
  return c.req.routePath;
}

/**
 * Prometheus metrics: request durations by route or procedure and status,
 * database queries and pool size, the job queue (depth, durations, failures,
 * retries), and the process defaults (event-loop lag, memory, CPU). One registry per app, so tests and several apps in one
 * process do not collide.
 */
export function createMetrics(options: {
  poolMax: number;
  sql: SqlClient;
  applicationName: string;
  /** How many live streams (tRPC subscriptions) this process serves now. */
  liveStreams?: () => number;
  /** Jobs by task and state, read from the queue at each scrape. */
  queueDepth?: () => Promise<TaskDepth[]>;
}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const duration = new Histogram({
    name: "inkwell_http_request_duration_seconds",
    help: "HTTP request duration by route or tRPC procedure, method and status",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: "inkwell_http_requests_in_flight",
    help: "Requests being served",
    registers: [registry],
  });
  new Gauge({
    name: "inkwell_db_pool_max_connections",
    help: "Largest number of connections the database pool may open",
    registers: [registry],
  }).set(options.poolMax);
  // postgres.js does not expose its pool, so the server asks PostgreSQL about its own connections,
  // which carry a per-process application_name. The scrape's own query counts as one active connection.
  new Gauge({
    name: "inkwell_db_pool_connections",
    help: "This process's database connections, by state (active or idle)",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      try {
        const [row] = await options.sql<{ open: number; active: number }[]>`
          select count(*)::int as open, (count(*) filter (where state = 'active'))::int as active
          from pg_stat_activity where application_name = ${options.applicationName}`;
        this.set({ state: "active" }, row?.active ?? 0);
        this.set({ state: "idle" }, (row?.open ?? 0) - (row?.active ?? 0));
      } catch {
        // The database being away is what /readyz reports; metrics still answer.
      }
    },
  });

  const { liveStreams } = options;
  if (liveStreams) {
    new Gauge({
      name: "inkwell_live_streams",
      help: "Live streams (subscriptions over server-sent events) open on this process",
      registers: [registry],
      collect() {
        this.set(liveStreams());
      },
    });
  }

  const { queueDepth } = options;
  if (queueDepth) {
    // The whole queue, whichever process runs its jobs: every process reports the same numbers.
    new Gauge({
      name: "inkwell_job_queue_depth",
      help: "Jobs in the queue by task and state (ready, scheduled, running, failed)",
      labelNames: ["task", "state"] as const,
      registers: [registry],
      async collect() {
        try {
          this.reset();
          for (const task of await queueDepth()) {
            for (const state of ["ready", "scheduled", "running", "failed"] as const) {
              this.set({ task: task.name, state }, task[state]);
            }
          }
        } catch {
          // The database away is what /readyz reports.
        }
      },
    });
  }
  const jobDuration = new Histogram({
    name: "inkwell_job_duration_seconds",
    help: "Job attempts run by this process, by task and outcome (succeeded, failed, exhausted)",
    labelNames: ["task", "outcome"] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: "inkwell_job_failures_total",
    help: "Failed job attempts by task; final=true when it was the job's last attempt",
    labelNames: ["task", "final"] as const,
    registers: [registry],
  });
  const jobRetries = new Counter({
    name: "inkwell_job_retries_total",
    help: "Job attempts after the first (retries, and reruns of jobs a dead process held), by task",
    labelNames: ["task"] as const,
    registers: [registry],
  });
  const jobs: JobObserver = {
    started(task, attempt) {
      if (attempt > 1) jobRetries.inc({ task });
    },
    finished(task, outcome, seconds) {
      jobDuration.observe({ task, outcome }, seconds);
      if (outcome !== "succeeded") jobFailures.inc({ task, final: String(outcome === "exhausted") });
    },
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    const stop = duration.startTimer();
    inFlight.inc();
    try {
      await next();
    } finally {
      inFlight.dec();
      stop({ route: routeLabel(c), method: c.req.method, status: String(c.res.status) });
    }
  };
  return { registry, middleware, jobs };
}

/**
 * `/metrics` names the Node version and every procedure's traffic. In
 * production it is served only behind METRICS_TOKEN (else it is off, said
 * once at start); in development and tests it is open unless a token is set.
 */
export function metricsIfServed<T>(
  env: Pick<Env, "NODE_ENV" | "METRICS_TOKEN">,
  logger: Logger,
  build: () => T,
): T | undefined {
  if (env.NODE_ENV === "production" && env.METRICS_TOKEN === undefined) {
    logger.info("metrics are off: /metrics answers 404 in production until METRICS_TOKEN is set");
    return undefined;
  }
  return build();
}
