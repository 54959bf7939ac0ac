import { sql } from "@inkwell/db";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { enqueueJob } from "./jobs.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(() => database.sql`delete from graphile_worker._private_jobs`);
afterAll(() => database.drop());

interface JobRow {
  id: string;
  task_identifier: string;
  payload: unknown;
  max_attempts: number;
  key: string | null;
  run_at: string;
  priority: number;
}

/** Payloads are only in graphile-worker's private table (its public view leaves them out). */
const jobs = () =>
  database.sql<JobRow[]>`
    select jobs.id, tasks.identifier as task_identifier, payload, max_attempts, key, run_at, priority
    from graphile_worker._private_jobs jobs join graphile_worker._private_tasks tasks on tasks.id = jobs.task_id
    order by jobs.id`;

describe("enqueueJob", () => {
  it("adds the job with its payload as a JSON object (not a JSON string) and the defaults of its definition", async () => {
    const { id } = await enqueueJob(database.db, "email.send", { messageId: 42 });
    const [job] = await jobs();
    expect(job).toMatchObject({ id, task_identifier: "email.send", payload: { messageId: 42 }, max_attempts: 10 });
    expect(job?.key).toBeNull();
  });

  it("exists once the transaction that added it commits", async () => {
    await database.db.transaction(async (tx) => {
      await enqueueJob(tx, "email.send", { messageId: 1 });
      await tx.execute(sql`select 1`);
    });
    expect((await jobs()).map((job) => job.payload)).toEqual([{ messageId: 1 }]);
  });

  it("never exists when that transaction rolls back, however late", async () => {
    const failure = new Error("the change failed after the job was added");
    await expect(
      database.db.transaction(async (tx) => {
        await enqueueJob(tx, "email.send", { messageId: 2 });
        expect(await tx.execute(sql`select count(*)::int as n from graphile_worker.jobs`)).toEqual([{ n: 1 }]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await jobs()).toEqual([]);
  });

  it("is invisible to other connections until the commit", async () => {
    await database.db.transaction(async (tx) => {
      await enqueueJob(tx, "email.send", { messageId: 3 });
      // The pool's other connection: what a worker would see.
      expect(await database.sql`select 1 from graphile_worker.jobs`).toHaveLength(0);
    });
    expect(await jobs()).toHaveLength(1);
  });

  it("refuses a payload its job's schema refuses, adding nothing", async () => {
    // A wrong payload is a bug in the caller; the compiler catches most, the schema the rest.
    const wrong = { messageId: -1 } as { messageId: number };
    await expect(enqueueJob(database.db, "email.send", wrong)).rejects.toBeInstanceOf(ZodError);
    await expect(
      enqueueJob(database.db, "email.send", { messageId: "1" } as unknown as { messageId: number }),
    ).rejects.toBeInstanceOf(ZodError);
    expect(await jobs()).toEqual([]);
  });

  it("takes a time, a priority and a maximum of attempts", async () => {
    const runAt = new Date(Date.now() + 60 * 60_000);
    await enqueueJob(database.db, "email.send", { messageId: 5 }, { runAt, maxAttempts: 2, priority: -5 });
    const [job] = await jobs();
    expect(job).toMatchObject({ max_attempts: 2, priority: -5 });
    expect(new Date(String(job?.run_at)).getTime()).toBe(runAt.getTime());
  });

  it("keeps one waiting job per key: enqueueing again replaces its payload, under the same id", async () => {
    const first = await enqueueJob(database.db, "email.send", { messageId: 6 }, { jobKey: "email:6" });
    const second = await enqueueJob(database.db, "email.send", { messageId: 7 }, { jobKey: "email:6" });
    expect(second.id).toBe(first.id);
    expect((await jobs()).map((job) => [job.key, job.payload])).toEqual([["email:6", { messageId: 7 }]]);

    const kept = await enqueueJob(
      database.db,
      "email.send",
      { messageId: 8 },
      { jobKey: "email:6", jobKeyMode: "unsafe_dedupe" },
    );
    expect(kept.id).toBe(first.id);
    expect((await jobs()).map((job) => job.payload)).toEqual([{ messageId: 7 }]);
  });
});
