import { sql } from "@inkwell/db";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { enqueueJob } from "../services/jobs.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

let h: Harness;
let admin: Awaited<ReturnType<Harness["as"]>>;
beforeAll(async () => {
  h = await createHarness();
  admin = await h.as({ bearer: (await h.signedIn("admin")).token });
});
afterEach(async () => {
  await h.database.sql`delete from graphile_worker._private_jobs`;
  await h.database.sql`delete from job_worker_heartbeats`;
});
afterAll(() => h.close());

/** A job that failed `attempts` of its `maxAttempts` times with `error`, last `minutesAgo` minutes ago. */
async function failedJob(options: { attempts: number; maxAttempts: number; error: string; minutesAgo?: number }) {
  const { id } = await enqueueJob(h.database.db, "email.send", { messageId: 1 }, { maxAttempts: options.maxAttempts });
  await h.database.sql`
    update graphile_worker._private_jobs set attempts = ${options.attempts}, last_error = ${options.error},
      updated_at = now() - ${options.minutesAgo ?? 0} * interval '1 minute', run_at = now() + interval '1 hour'
    where id = ${id}`;
  return Number(id);
}

describe("jobs.summary", () => {
  it("counts jobs by task and state, lists every defined task, and the workers alive", async () => {
    await enqueueJob(h.database.db, "email.send", { messageId: 1 });
    await enqueueJob(h.database.db, "email.send", { messageId: 2 }, { runAt: new Date(Date.now() + 60_000) });
    await failedJob({ attempts: 3, maxAttempts: 3, error: "gone" });
    const running = await enqueueJob(h.database.db, "maintenance.deleteExpiredSessions", {});
    await h.database
      .sql`update graphile_worker._private_jobs set locked_by = 'pool-a', locked_at = now() where id = ${running.id}`;
    await h.database.sql`insert into job_worker_heartbeats (pool_id, process) values ('pool-a', 'host:42')`;

    const summary = await admin.jobs.summary();
    expect(summary.tasks).toEqual([
      { name: "email.send", ready: 1, scheduled: 1, running: 0, failed: 1 },
      { name: "webhooks.dispatch", ready: 0, scheduled: 0, running: 0, failed: 0 },
      { name: "webhooks.deliver", ready: 0, scheduled: 0, running: 0, failed: 0 },
      { name: "accounts.sendPasswordReset", ready: 0, scheduled: 0, running: 0, failed: 0 },
      { name: "maintenance.deleteExpiredSessions", ready: 0, scheduled: 0, running: 1, failed: 0 },
      { name: "maintenance.deleteExpiredChallenges", ready: 0, scheduled: 0, running: 0, failed: 0 },
      { name: "maintenance.deleteStaleThrottleCounters", ready: 0, scheduled: 0, running: 0, failed: 0 },
      { name: "maintenance.deleteDeliveredEmails", ready: 0, scheduled: 0, running: 0, failed: 0 },
      { name: "maintenance.deleteFinishedWebhookDeliveries", ready: 0, scheduled: 0, running: 0, failed: 0 },
      { name: "maintenance.deleteOldAuditEvents", ready: 0, scheduled: 0, running: 0, failed: 0 },
      { name: "maintenance.endElapsedSuspensions", ready: 0, scheduled: 0, running: 0, failed: 0 },
    ]);
    expect(summary.workers).toEqual([
      { poolId: "pool-a", process: "host:42", startedAt: expect.any(Date), seenAt: expect.any(Date) },
    ]);
  });

  it("lists a task the table holds but this release does not define (left by an older one)", async () => {
    await h.database.db.execute(sql`select graphile_worker.add_job('legacy.task', '{}'::json)`);
    const summary = await admin.jobs.summary();
    expect(summary.tasks.at(-1)).toEqual({ name: "legacy.task", ready: 1, scheduled: 0, running: 0, failed: 0 });
  });
});

describe("jobs.failures", () => {
  it("lists jobs whose last attempt failed, most recent first, with the error and whether they will retry", async () => {
    const dead = await failedJob({ attempts: 10, maxAttempts: 10, error: "SMTP 550", minutesAgo: 5 });
    const retrying = await failedJob({ attempts: 2, maxAttempts: 10, error: "timeout", minutesAgo: 1 });
    await enqueueJob(h.database.db, "email.send", { messageId: 9 });

    const { failures, nextCursor } = await admin.jobs.failures({});
    expect(failures.map((f) => [f.id, f.state, f.attempts, f.maxAttempts, f.lastError])).toEqual([
      [retrying, "retrying", 2, 10, "timeout"],
      [dead, "failed", 10, 10, "SMTP 550"],
    ]);
    expect(nextCursor).toBeNull();
    expect((await admin.jobs.failures({ state: "failed" })).failures.map((f) => f.id)).toEqual([dead]);
    expect((await admin.jobs.failures({ state: "retrying" })).failures.map((f) => f.id)).toEqual([retrying]);
  });

  it("pages with a keyset cursor without skipping or repeating, and cuts long errors", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await failedJob({ attempts: 1, maxAttempts: 1, error: "x".repeat(5_000), minutesAgo: i }));
    }
    const first = await admin.jobs.failures({ limit: 2 });
    const second = await admin.jobs.failures({ limit: 2, cursor: first.nextCursor ?? undefined });
    const third = await admin.jobs.failures({ limit: 2, cursor: second.nextCursor ?? undefined });
    expect([...first.failures, ...second.failures, ...third.failures].map((f) => f.id)).toEqual(ids);
    expect(third.nextCursor).toBeNull();
    expect(first.failures[0]?.lastError).toHaveLength(2_000);
  });

  it("refuses crafted cursors and limits", async () => {
    await expectTRPCError(admin.jobs.failures({ cursor: "not-a-cursor" }), "BAD_REQUEST");
    await expectTRPCError(admin.jobs.failures({ limit: 0 }), "BAD_REQUEST");
    await expectTRPCError(admin.jobs.failures({ limit: 101 }), "BAD_REQUEST");
    await expectTRPCError(admin.jobs.failures({ state: "dead" as "failed" }), "BAD_REQUEST");
  });
});

describe("jobs.retry", () => {
  it("runs a failed job again now with its attempts from zero, and is audited", async () => {
    const id = await failedJob({ attempts: 3, maxAttempts: 3, error: "gone" });
    expect(await admin.jobs.retry({ id })).toEqual({ id, name: "email.send" });
    const [job] = await h.database.sql<{ attempts: number; due: boolean }[]>`
      select attempts, run_at <= now() as due from graphile_worker.jobs where id = ${id}`;
    expect(job).toEqual({ attempts: 0, due: true });
    const [event] = await h.database.sql`
      select target_type, target_id, details->>'task' as task, details->>'outcome' as outcome
      from audit_events where action = 'jobs.retry'`;
    expect(event).toEqual({ target_type: "job", target_id: String(id), task: "email.send", outcome: "success" });
  });

  it("refuses a job that does not exist, is running, or has not failed, saying why", async () => {
    const gone = await expectTRPCError(admin.jobs.retry({ id: 987_654 }), "NOT_FOUND");
    expect(gone.message).toBe("No job 987654: it succeeded, or never existed.");

    const running = await failedJob({ attempts: 1, maxAttempts: 5, error: "first try failed" });
    await h.database
      .sql`update graphile_worker._private_jobs set locked_by = 'pool-a', locked_at = now() where id = ${running}`;
    await expectTRPCError(admin.jobs.retry({ id: running }), "CONFLICT");

    const waiting = Number((await enqueueJob(h.database.db, "email.send", { messageId: 3 })).id);
    await expectTRPCError(admin.jobs.retry({ id: waiting }), "PRECONDITION_FAILED");
    // Refusals are audited as failures, and changed nothing.
    const failed = await h.database.sql`
      select count(*)::int as n from audit_events where action = 'jobs.retry' and details->>'outcome' = 'failure'`;
    expect(failed[0]?.n).toBe(3);
  });

  it("refuses ids that are not positive safe integers", async () => {
    for (const id of [0, -1, 1.5, 2 ** 53, Number.NaN]) {
      await expectTRPCError(admin.jobs.retry({ id }), "BAD_REQUEST");
    }
  });
});

describe("who may see and retry jobs", () => {
  it("admins only: moderators, plain users and keys without jobs:manage are refused", async () => {
    const id = await failedJob({ attempts: 1, maxAttempts: 1, error: "x" });
    const moderator = await h.as({ bearer: (await h.signedIn("moderator")).token });
    await expectTRPCError(moderator.jobs.summary(), "FORBIDDEN");
    await expectTRPCError(moderator.jobs.failures({}), "FORBIDDEN");
    await expectTRPCError(moderator.jobs.retry({ id }), "FORBIDDEN");
    const { key } = await admin.apiKeys.create({ name: "outbox only", scopes: ["outbox:read"] });
    await expectTRPCError((await h.as({ bearer: key })).jobs.retry({ id }), "FORBIDDEN");
    const [job] = await h.database.sql`select attempts from graphile_worker.jobs where id = ${id}`;
    expect(job?.attempts).toBe(1);
  });
});
