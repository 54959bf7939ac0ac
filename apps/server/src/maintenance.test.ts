import { Writable } from "node:stream";
import { enqueueJob, maintenanceSchedule, type ScheduledJob } from "@inkwell/api";
import { parseEnv } from "@inkwell/config";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";
import { type RunningServer, type StartOptions, startServer } from "./server.ts";

const MINUTE = 60_000;

interface LogLine {
  level: number;
  msg: string;
  deleted?: number;
  job?: { name: string };
  err?: { message: string };
}

/** A pino logger writing JSON lines into `lines`. */
function capturingLogger(level = "debug") {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ level, pretty: false, destination }) };
}

/** Every maintenance job once a minute, so that ticks the test marks as missed are run at start. */
const everyMinute: ScheduledJob[] = maintenanceSchedule.map(({ name }) => ({ name, match: "* * * * *" }));

let database: TestDatabase;
const servers: RunningServer[] = [];
beforeEach(async () => {
  database = await createTestDatabase();
  await database.sql`insert into users (email, username, password_hash) values ('reader@example.com', 'reader', 'x')`;
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await database.drop();
});

async function start(env: Record<string, string> = {}, options: StartOptions = {}) {
  const { lines, logger } = capturingLogger();
  const server = await startServer(
    parseEnv({
      DATABASE_URL: database.url,
      PORT: "0",
      NODE_ENV: "test",
      INKWELL_ADMIN_EMAIL: "root@example.com",
      INKWELL_ADMIN_PASSWORD: "correct horse battery",
      ...env,
    }),
    logger,
    { ...options, jobs: { pollIntervalMs: 200, ...options.jobs } },
  );
  servers.push(server);
  return { server, lines };
}

/**
 * Tells graphile-worker's scheduler that the maintenance jobs last ran five
 * minutes ago: the next worker to start catches up at once (backfill), which
 * is what happens after a deploy, instead of the test waiting for a minute to turn.
 */
async function missTicks() {
  await database.sql`
    insert into graphile_worker._private_known_crontabs (identifier, known_since, last_execution)
    select unnest(${everyMinute.map((job) => job.name)}::text[]), now() - interval '1 hour', now() - interval '5 minutes'`;
}

/** `count` sessions of the reader last used `daysAgo` days ago. */
async function addSessions(prefix: string, count: number, daysAgo: number) {
  await database.sql`
    insert into sessions (id, secret_hash, user_id, created_at, last_verified_at)
    select ${prefix} || g, '\\x00', (select min(id) from users), now() - ${daysAgo} * interval '1 day',
           now() - ${daysAgo} * interval '1 day'
    from generate_series(1, ${count}) g`;
}

const count = async (table: string, where = "true") =>
  Number((await database.sql.unsafe(`select count(*)::int as n from ${table} where ${where}`))[0]?.n);

/** Rows the runs of job `name` reported deleting. */
const deletedBy = (lines: LogLine[], name: string) =>
  lines
    .filter((line) => line.job?.name === name && line.msg.startsWith("maintenance: deleted"))
    .reduce((sum, line) => sum + (line.deleted ?? 0), 0);

async function seed() {
  await addSessions("expired-", 3, 11);
  await addSessions("live-", 2, 1);
  await database.sql`
    insert into throttle_counters (key, hits, window_started_at, updated_at, blocked_until) values
      ('rate:ip:203.0.113.1', 4, now() - interval '2 minutes', now() - interval '2 minutes', null),
      ('signin:account:locked@example.com', 9, now() - interval '20 minutes', now() - interval '20 minutes',
       now() + interval '10 minutes'),
      ('signin:ip:203.0.113.1', 2, now() - interval '1 minute', now() - interval '1 minute', null)`;
  await database.sql`
    insert into email_messages (recipient, subject, text_body, html_body, template, status, delivered_at) values
      ('a@example.com', 'old', 't', 'h', 'test', 'kept', now() - interval '31 days'),
      ('a@example.com', 'recent', 't', 'h', 'test', 'sent', now() - interval '1 day'),
      ('a@example.com', 'waiting', 't', 'h', 'test', 'pending', null)`;
  await database.sql`
    insert into audit_events (action, created_at) values
      ('old.event', now() - interval '91 days'), ('recent.event', now() - interval '1 day')`;
}

describe("maintenance on the job queue's schedule", () => {
  it("deletes expired sessions, stale counters, delivered emails and old audit events, and keeps the rest", async () => {
    await seed();
    await missTicks();
    const { lines } = await start(
      { AUDIT_RETENTION_DAYS: "90", EMAIL_RETENTION_DAYS: "30" },
      { jobs: { schedule: everyMinute } },
    );

    await expect.poll(() => count("sessions"), { timeout: 10_000, interval: 50 }).toBe(2);
    await expect.poll(() => count("audit_events", "action = 'old.event'"), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => count("email_messages"), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => count("throttle_counters"), { timeout: 10_000 }).toBe(2);

    expect(await count("sessions", "id like 'live-%'")).toBe(2);
    const keys = await database.sql`select key from throttle_counters order by key`;
    expect(keys.map((row) => row.key)).toEqual(["signin:account:locked@example.com", "signin:ip:203.0.113.1"]);
    const subjects = await database.sql`select subject from email_messages order by subject`;
    expect(subjects.map((row) => row.subject)).toEqual(["recent", "waiting"]);
    expect(await count("audit_events", "action = 'recent.event'")).toBe(1);

    // Each run says what it deleted; missed ticks may run more than once (the later runs find nothing).
    expect(deletedBy(lines, "maintenance.deleteExpiredSessions")).toBe(3);
    expect(deletedBy(lines, "maintenance.deleteOldAuditEvents")).toBe(1);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  });

  it("keeps every audit event without AUDIT_RETENTION_DAYS", async () => {
    await database.sql`insert into audit_events (action, created_at) values ('ancient', now() - interval '3650 days')`;
    await missTicks();
    const { lines } = await start({}, { jobs: { schedule: everyMinute } });
    await expect
      .poll(() => lines.filter((line) => line.msg === "maintenance: deleted 0 delivered emails").length, {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(1);
    // The audit job ran too, and did nothing.
    await expect
      .poll(async () => Number((await database.sql`select count(*)::int as n from graphile_worker.jobs`)[0]?.n))
      .toBe(0);
    expect(await count("audit_events", "action = 'ancient'")).toBe(1);
  });

  it("runs in two processes running workers at once: every row deleted once, nothing fails", async () => {
    await addSessions("expired-", 2_000, 40);
    await addSessions("live-", 10, 0);
    await missTicks();
    const [a, b] = await Promise.all([
      start({}, { jobs: { schedule: everyMinute } }),
      start({}, { jobs: { schedule: everyMinute } }),
    ]);
    const name = "maintenance.deleteExpiredSessions";
    // A run logs what it deleted after its last batch has committed, so wait for the log, not for the rows.
    await expect
      .poll(() => deletedBy(a.lines, name) + deletedBy(b.lines, name), { timeout: 15_000, interval: 50 })
      .toBe(2_000);
    expect(await count("sessions")).toBe(10);
    expect([...a.lines, ...b.lines].filter((line) => line.level >= 50)).toEqual([]);
  });

  it("uses the clock it is given, so rate-limit rows written by real requests go once their minute is over", async () => {
    const { server } = await start({ WORKER_CONCURRENCY: "0" });
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/api/tags`)).status).toBe(200);
    await server.syncRateLimits();
    expect(await count("throttle_counters", "key like 'rate:ip:%'")).toBe(1);
    await server.close();
    servers.length = 0;

    // What the schedule enqueues, enqueued by hand: the job runs on the worker of the next process.
    const now = { at: new Date() };
    await start({}, { jobs: { now: () => now.at } });
    await enqueueJob(database.db, "maintenance.deleteStaleThrottleCounters", {});
    await expect.poll(() => count("graphile_worker.jobs"), { timeout: 10_000 }).toBe(0);
    expect(await count("throttle_counters")).toBe(1);

    now.at = new Date(Date.now() + 2 * MINUTE);
    await enqueueJob(database.db, "maintenance.deleteStaleThrottleCounters", {});
    await expect.poll(() => count("throttle_counters"), { timeout: 10_000 }).toBe(0);
  });

  it("logs a failed run, retries it, and the retry does the work", async () => {
    await addSessions("expired-", 1, 40);
    // The sweep's statement fails while the table is away.
    await database.sql`alter table sessions rename to sessions_away`;
    const { lines } = await start();
    await enqueueJob(database.db, "maintenance.deleteExpiredSessions", {});
    await expect
      .poll(
        () => lines.find((line) => line.msg === "job maintenance.deleteExpiredSessions failed; it will be retried"),
        {
          timeout: 10_000,
        },
      )
      .toMatchObject({ level: 40, err: { message: expect.stringContaining("sessions") } });
    await database.sql`alter table sessions_away rename to sessions`;
    // graphile-worker's first backoff is exp(1) ≈ 2.7 s.
    await expect.poll(() => count("sessions"), { timeout: 15_000, interval: 100 }).toBe(0);
  });

  it("stops with the server: the worker's connections end and nothing fails", async () => {
    const { server, lines } = await start();
    const workerConnections = async () =>
      // This test's database only: test files running beside it start servers with workers on the same cluster.
      (
        await database.sql`
          select 1 from pg_stat_activity
          where application_name like 'inkwell-server-%-jobs' and datname = current_database()`
      ).length;
    // Generous waits: on two busy cores a pool may take seconds to connect, and the statistics to catch up.
    await expect.poll(workerConnections, { timeout: 15_000 }).toBeGreaterThan(0);
    await server.close();
    servers.length = 0;
    await expect.poll(workerConnections, { timeout: 15_000, interval: 25 }).toBe(0);
    expect(await count("job_worker_heartbeats")).toBe(0);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  });
});
