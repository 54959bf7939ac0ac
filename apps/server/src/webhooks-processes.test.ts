import { setTimeout as sleep } from "node:timers/promises";
import { encodeEncryptionKey, generateEncryptionKey } from "@inkwell/auth";
import { createTestDatabase } from "@inkwell/db/testing";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { register, signInToken, trpc } from "./testing/conduit.ts";
import { type ServerPair, spawnServer, spawnServerPair, spawnWorker } from "./testing/server-process.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver.ts";

/**
 * Webhook deliveries across two real server processes (the production entry
 * point) sharing one queue: no attempt is made twice, and a delivery whose
 * process is killed mid-request is made again by the other, with the same webhook-id.
 */

const ADMIN = { INKWELL_ADMIN_EMAIL: "ops@example.com", INKWELL_ADMIN_PASSWORD: "operator password 1" };

interface DeliveryRow {
  id: number;
  webhook_id: string;
  status: string;
  attempts: number;
}

describe("two server processes delivering webhooks", () => {
  let receiver: WebhookReceiver;
  let pair: ServerPair;
  let token: string;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    pair = await spawnServerPair({
      ...ADMIN,
      // Both processes open the same sealed secrets.
      ENCRYPTION_KEY: encodeEncryptionKey(generateEncryptionKey()),
      WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
      WEBHOOK_TIMEOUT_MS: "30000",
      WORKER_CONCURRENCY: "4",
      WORKER_HEARTBEAT_TIMEOUT_SECONDS: "3",
    });
    token = await signInToken(pair.a.url, ADMIN.INKWELL_ADMIN_EMAIL, ADMIN.INKWELL_ADMIN_PASSWORD);
  }, 90_000);
  afterAll(async () => {
    await pair?.stop();
    await receiver?.close();
  });

  async function createEndpoint(path: string, events: string[]) {
    const created = await trpc(pair.a.url, "webhooks.create", {
      token,
      mutation: true,
      input: { url: `${receiver.url}${path}`, events },
    });
    expect(created.status, created.error).toBe(200);
    return created.data as { id: number; secret: string };
  }

  const deliveries = () =>
    pair.database.sql<DeliveryRow[]>`
      select id::int, webhook_id, status::text, attempts from webhook_deliveries order by id`;

  it("never make the same attempt twice: 200 deliveries, each received once, each verified", async () => {
    const { id, secret } = await createEndpoint("/batch", ["user.created"]);
    // Recorded and announced in one transaction, as emitWebhookEvent does: both processes hear of the batch at once.
    await pair.database.sql`
      with rows as (
        insert into webhook_deliveries (endpoint_id, webhook_id, event_type, payload)
        select ${id}, 'msg_batch_' || g, 'user.created',
          json_build_object('type', 'user.created', 'timestamp', now(), 'data',
            json_build_object('user', json_build_object('id', g, 'username', 'u' || g, 'email', 'u' || g || '@example.com',
              'createdAt', now())))
        from generate_series(1, 200) g
        returning id
      )
      select pg_notify('inkwell_webhook_deliveries', ${String(id)}) from rows limit 1`;
    await expect.poll(() => receiver.arrivals.length, { timeout: 100_000, interval: 200 }).toBe(200);
    await sleep(500);
    expect(receiver.arrivals).toHaveLength(200);
    const ids = receiver.arrivals.map((arrival) => String(arrival.headers["webhook-id"]));
    expect(new Set(ids).size).toBe(200);
    const webhook = new Webhook(secret);
    for (const arrival of receiver.arrivals) {
      expect(() => webhook.verify(arrival.body, arrival.headers as Record<string, string>)).not.toThrow();
    }
    await expect
      .poll(async () => (await deliveries()).filter((row) => row.status === "succeeded" && row.attempts === 1).length, {
        timeout: 10_000,
      })
      .toBe(200);
    const [attempts] = await pair.database.sql<{ n: number }[]>`select count(*)::int as n from webhook_attempts`;
    expect(attempts?.n).toBe(200);
    await trpc(pair.a.url, "webhooks.delete", { token, mutation: true, input: { id } });
  }, 120_000);

  it("deliver again from the other process when the one delivering is killed (SIGKILL), with the same webhook-id", async () => {
    receiver.arrivals.length = 0;
    // The first request is never answered: the delivery is in flight when its process dies.
    receiver.answer = (arrival) => (arrival.number === 1 ? "never" : { status: 200, body: "ok" });
    const { id } = await createEndpoint("/killed", ["user.created"]);
    await register(pair.b.url, "killeduser");
    await expect.poll(() => receiver.arrivals.length, { timeout: 10_000 }).toBe(1);

    // The process making the unanswered attempt, by the worker pool the attempt records. (Not the holder of a
    // `webhooks.dispatch` job: both processes may ask for a dispatch when they hear of the delivery, and the second
    // job, which finds nothing to claim, can still be held when this looks; a CI run once killed that process.)
    const holders = await pair.database.sql<{ process: string }[]>`
      select heartbeats.process from webhook_attempts attempts
      join job_worker_heartbeats heartbeats on heartbeats.pool_id = attempts.pool_id
      where attempts.finished_at is null`;
    expect(holders).toHaveLength(1);
    const pid = Number(holders[0]?.process.split(":").at(-1));
    const [victim, survivor] = pid === pair.a.child.pid ? [pair.a, pair.b] : [pair.b, pair.a];
    expect(victim.child.pid).toBe(pid);
    victim.child.kill("SIGKILL");
    const killedAt = performance.now();
    expect(await victim.exited).toBe(null);

    await expect.poll(() => receiver.arrivals.length, { timeout: 30_000, interval: 100 }).toBe(2);
    // Not before the heartbeat timeout (3 s).
    expect(performance.now() - killedAt).toBeGreaterThan(2_500);
    const [first, second] = receiver.arrivals;
    expect(second?.headers["webhook-id"]).toBe(first?.headers["webhook-id"]);
    expect(second?.body).toBe(first?.body);

    await expect
      .poll(async () => (await deliveries()).find((row) => row.webhook_id === first?.headers["webhook-id"])?.status, {
        timeout: 10_000,
      })
      .toBe("succeeded");
    const attempts = await pair.database.sql<{ number: number; error: string | null; status_code: number | null }[]>`
      select number, error, status_code from webhook_attempts
      where delivery_id = (select id from webhook_deliveries where endpoint_id = ${id}) order by number`;
    expect(attempts).toEqual([
      {
        number: 1,
        error: "interrupted: the process making this attempt stopped before it finished",
        status_code: null,
      },
      { number: 2, error: null, status_code: 200 },
    ]);
    expect(survivor.child.exitCode).toBe(null);
  }, 60_000);
});

describe("a server that runs no jobs, and `pnpm worker` beside it", () => {
  it("delivers a committed change's webhook from the worker process (the server runs no jobs)", async () => {
    const receiver = await startWebhookReceiver();
    const database = await createTestDatabase();
    const env = {
      ...ADMIN,
      DATABASE_URL: database.url,
      ENCRYPTION_KEY: encodeEncryptionKey(generateEncryptionKey()),
      WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
    };
    const server = await spawnServer({ ...env, WORKER_CONCURRENCY: "0" });
    const worker = await spawnWorker({ ...env, WORKER_CONCURRENCY: "2" });
    try {
      const token = await signInToken(server.url, ADMIN.INKWELL_ADMIN_EMAIL, ADMIN.INKWELL_ADMIN_PASSWORD);
      const created = await trpc(server.url, "webhooks.create", {
        token,
        mutation: true,
        input: { url: `${receiver.url}/apart`, events: ["user.created"] },
      });
      expect(created.status, created.error).toBe(200);
      const { secret } = created.data as { secret: string };
      await register(server.url, "apartuser");
      await expect.poll(() => receiver.arrivals.length, { timeout: 10_000, interval: 50 }).toBe(1);
      const [arrival] = receiver.arrivals;
      const event = new Webhook(secret).verify(arrival?.body ?? "", arrival?.headers as Record<string, string>) as {
        type: string;
        data: { user: { username: string } };
      };
      expect(event).toMatchObject({ type: "user.created", data: { user: { username: "apartuser" } } });
      // Sent by the worker, a dispatch's first attempt: the server has no worker pool. The receiver has the request
      // before the worker has its answer, so the attempt is recorded a moment after the arrival.
      const attemptRow = async () =>
        (
          await database.sql<{ number: number; pool_id: string | null; succeeded: boolean }[]>`
            select number, pool_id, succeeded from webhook_attempts`
        )[0];
      await expect.poll(attemptRow, { timeout: 10_000, interval: 50 }).toMatchObject({ number: 1, succeeded: true });
      const attempt = await attemptRow();
      expect(await database.sql`select 1 from webhook_attempts`).toHaveLength(1);
      const [beat] = await database.sql<{ process: string }[]>`
        select process from job_worker_heartbeats where pool_id = ${attempt?.pool_id ?? ""}`;
      expect(Number(beat?.process.split(":").at(-1))).toBe(worker.child.pid);
    } finally {
      for (const child of [server, worker]) {
        child.child.kill("SIGTERM");
        await child.exited;
      }
      await receiver.close();
      await database.drop();
    }
  }, 90_000);
});
