import { setTimeout as sleep } from "node:timers/promises";
import { hashPassword } from "@inkwell/auth";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { comment, publish, signInToken, type Writer } from "./testing/conduit.ts";
import { type ServerPair, type ServerProcess, spawnServer, spawnServerPair } from "./testing/server-process.ts";
import { never, type SmtpReceiver, startSmtpReceiver } from "./testing/smtp-receiver.ts";

/**
 * Background jobs across real server processes (the production entry point,
 * `main.ts`), delivering email to a real SMTP receiver: what happens when a
 * process is killed mid-job, when it is stopped mid-job, and when two share the queue.
 */

const ADMIN = { INKWELL_ADMIN_EMAIL: "ops@example.com", INKWELL_ADMIN_PASSWORD: "operator password 1" };

interface EmailRow {
  id: number;
  status: string;
  attempts: number;
  last_error: string | null;
}

const emailRows = (database: TestDatabase) =>
  database.sql<EmailRow[]>`select id::int, status::text, attempts, last_error from email_messages order by id`;

const sendJobs = (database: TestDatabase) =>
  database.sql<{ attempts: number; last_error: string | null; locked_by: string | null }[]>`
    select attempts, last_error, locked_by from graphile_worker.jobs where task_identifier = 'email.send'`;

const WRITER_PASSWORD = "a long enough password";

/**
 * An account made in the database and signed in over HTTP: registering through
 * the API would email a verification link too, and these tests follow exactly one email.
 */
async function writer(url: string, database: TestDatabase, username: string): Promise<Writer> {
  const email = `${username}@example.com`;
  await database.sql`insert into users (username, email, password_hash, email_verified_at)
    values (${username}, ${email}, ${await hashPassword(WRITER_PASSWORD)}, now())`;
  return { username, email, token: await signInToken(url, email, WRITER_PASSWORD) };
}

/** A reader's comment on an author's article, through one process's REST API: one notification email. */
async function causeOneEmail(url: string, database: TestDatabase, prefix: string) {
  const author = await writer(url, database, `${prefix}author`);
  const reader = await writer(url, database, `${prefix}reader`);
  await comment(url, reader, await publish(url, author, `${prefix} article`), "Nice one");
}

/** The pid of the process whose worker holds the running `email.send` job (from its heartbeat). */
async function pidRunningTheJob(database: TestDatabase): Promise<number> {
  const [row] = await database.sql<{ process: string }[]>`
    select heartbeats.process from graphile_worker.jobs
    join job_worker_heartbeats heartbeats on heartbeats.pool_id = jobs.locked_by
    where jobs.task_identifier = 'email.send'`;
  return Number(row?.process.split(":").at(-1));
}

describe("two server processes sharing the queue", () => {
  let receiver: SmtpReceiver;
  let pair: ServerPair;
  beforeAll(async () => {
    receiver = await startSmtpReceiver();
    pair = await spawnServerPair({
      ...ADMIN,
      SMTP_URL: receiver.url,
      WORKER_CONCURRENCY: "4",
      WORKER_HEARTBEAT_TIMEOUT_SECONDS: "3",
    });
  }, 90_000);
  afterAll(async () => {
    await pair?.stop();
    await receiver?.close();
  });

  it("never run the same job attempt twice: 200 emails, each sent once", async () => {
    const { database } = pair;
    // Added in one transaction, so both processes are woken for the same batch at once.
    await database.sql`
      with messages as (
        insert into email_messages (recipient, subject, text_body, html_body, template)
        select 'someone' || g || '@example.com', 'Batch ' || g, 'text', '<p>html</p>', 'test'
        from generate_series(1, 200) g
        returning id
      )
      select graphile_worker.add_jobs(array(
        select row('email.send', json_build_object('messageId', id), null, null, 10, null, null, null)::graphile_worker.job_spec
        from messages))`;
    await expect.poll(() => receiver.accepted.length, { timeout: 30_000, interval: 100 }).toBe(200);
    await sleep(500);
    expect(receiver.arrivals).toHaveLength(200);
    expect(new Set(receiver.arrivals).size).toBe(200);
    const rows = await emailRows(database);
    expect(rows.every((row) => row.status === "sent" && row.attempts === 1)).toBe(true);
    await expect.poll(() => sendJobs(database)).toEqual([]);
    // The poll above allows 30 s for 200 SMTP deliveries: more than the default 20 s per test.
  }, 60_000);

  it("run a job again on the other process when the one running it is killed (SIGKILL), with the same Message-ID", async () => {
    const { database } = pair;
    receiver.accepted.length = 0;
    receiver.arrivals.length = 0;
    await database.sql`delete from email_messages`;
    // The first delivery hangs in the SMTP conversation: the job is running when its process dies.
    receiver.beforeAccept = (_mail, arrival) => (arrival === 1 ? never() : Promise.resolve());
    await causeOneEmail(pair.a.url, database, "killed");
    await expect.poll(() => receiver.arrivals.length, { timeout: 10_000 }).toBe(1);

    const pid = await pidRunningTheJob(database);
    const [victim, survivor] = pid === pair.a.child.pid ? [pair.a, pair.b] : [pair.b, pair.a];
    expect(victim.child.pid).toBe(pid);
    victim.child.kill("SIGKILL");
    const killedAt = performance.now();
    expect(await victim.exited).toBe(null);

    await expect.poll(() => receiver.accepted.length, { timeout: 20_000, interval: 100 }).toBe(1);
    const rerunAfterMs = performance.now() - killedAt;
    // Not before the heartbeat timeout (3 s): a live process is never second-guessed sooner.
    expect(rerunAfterMs).toBeGreaterThan(2_500);
    expect(receiver.arrivals).toHaveLength(2);
    expect(receiver.arrivals[1]).toBe(receiver.arrivals[0]);
    await expect.poll(async () => (await emailRows(database))[0]).toMatchObject({ status: "sent", attempts: 2 });
    // The worker removes a job after its task returns, in a statement of its own.
    await expect.poll(() => sendJobs(database)).toEqual([]);
    expect(survivor.child.exitCode).toBe(null);
  });
});

describe("SIGTERM with a job running", () => {
  let database: TestDatabase;
  let receiver: SmtpReceiver;
  const processes: ServerProcess[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    for (const process of processes.splice(0)) {
      process.child.kill("SIGKILL");
      await process.exited;
    }
    await receiver?.close();
    await database.sql`delete from email_messages`;
  });
  afterAll(() => database.drop());

  async function start() {
    const server = await spawnServer({ ...ADMIN, DATABASE_URL: database.url, SMTP_URL: receiver.url });
    processes.push(server);
    return server;
  }

  // A process start, a job held 1.5 s and the drain: on a loaded two-core machine, more than the default 20 s.
  it("lets the job finish, then exits 0", { timeout: 60_000 }, async () => {
    receiver = await startSmtpReceiver();
    receiver.beforeAccept = () => sleep(1_500);
    const server = await start();
    await causeOneEmail(server.url, database, "drained");
    await expect.poll(() => receiver.arrivals.length, { timeout: 10_000 }).toBe(1);

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(receiver.accepted).toHaveLength(1);
    expect((await emailRows(database))[0]).toMatchObject({ status: "sent", attempts: 1 });
    expect(await sendJobs(database)).toEqual([]);
    expect(server.output()).not.toMatch(/"level":(50|60)/);
  });

  // Two process starts, a 7 s drain window and graphile-worker's backoff: more than the default 20 s.
  it("releases a job still running after the drain window, exits 0, and the next process runs it again", {
    timeout: 60_000,
  }, async () => {
    receiver = await startSmtpReceiver();
    receiver.beforeAccept = (_mail, arrival) => (arrival === 1 ? never() : Promise.resolve());
    const first = await start();
    await causeOneEmail(first.url, database, "released");
    await expect.poll(() => receiver.arrivals.length, { timeout: 10_000 }).toBe(1);

    const stopping = performance.now();
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    // The drain window is 7 s; main.ts would kill the process at 10 s.
    expect(performance.now() - stopping).toBeLessThan(9_500);
    expect(await sendJobs(database)).toEqual([
      { attempts: 1, last_error: "Inkwell shut down before this job finished", locked_by: null },
    ]);
    expect((await emailRows(database))[0]).toMatchObject({ status: "pending", attempts: 1 });

    // Due again after graphile-worker's backoff (exp(1) ≈ 2.7 s): another process sends it.
    await start();
    await expect.poll(() => receiver.accepted.length, { timeout: 20_000, interval: 100 }).toBe(1);
    expect(receiver.arrivals[1]).toBe(receiver.arrivals[0]);
    await expect.poll(async () => (await emailRows(database))[0]).toMatchObject({ status: "sent", attempts: 2 });
  });
});
