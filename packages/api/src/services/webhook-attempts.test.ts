import { connect, eq, schema } from "@inkwell/db";
import { createTestDatabase, holdLock, type TestDatabase } from "@inkwell/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attemptsOf } from "../testing/webhooks.ts";
import {
  claimAttempt,
  delivered as deliveredAttempt,
  ENDPOINT_DISABLED,
  finishAttempt,
  INTERRUPTED,
  recordSuccesses,
} from "./webhook-attempts.ts";
import { deleteWebhookEndpoint } from "./webhook-endpoints.ts";
import { newWebhookId } from "./webhook-events.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 10 });
});
afterAll(() => database.drop());

const sealedSecret = new Uint8Array([0, 1, 2, 250, 255]);
const payload = { type: "comment.created", data: { comment: { id: 7, body: "héllo \u{1F600}" } } };
const delivered = {
  ok: true,
  statusCode: 204,
  responseBody: "",
  error: null,
  url: "https://receiver.test/hook",
  durationMs: 3,
};

async function pendingDelivery(options: { enabled?: boolean; consecutiveFailures?: number } = {}) {
  const [endpoint] = await database.db
    .insert(schema.webhookEndpoints)
    .values({
      url: "https://receiver.test/hook",
      events: ["comment.created"],
      sealedSecret,
      enabled: options.enabled ?? true,
      consecutiveFailures: options.consecutiveFailures ?? 0,
    })
    .returning({ id: schema.webhookEndpoints.id });
  if (!endpoint) throw new Error("no endpoint");
  const [delivery] = await database.db
    .insert(schema.webhookDeliveries)
    .values({ endpointId: endpoint.id, webhookId: newWebhookId(), eventType: "comment.created", payload })
    .returning({ id: schema.webhookDeliveries.id, webhookId: schema.webhookDeliveries.webhookId });
  if (!delivery) throw new Error("no delivery");
  return { endpointId: endpoint.id, deliveryId: delivery.id, webhookId: delivery.webhookId };
}

const deliveryRow = async (deliveryId: number) =>
  (await database.db.select().from(schema.webhookDeliveries).where(eq(schema.webhookDeliveries.id, deliveryId)))[0];

describe("claiming a webhook attempt", () => {
  it("claims attempt 1 of a pending delivery with its payload, id and the endpoint's secret as stored", async () => {
    const { endpointId, deliveryId, webhookId } = await pendingDelivery();
    const claim = await claimAttempt(database.db, deliveryId);
    expect(claim).toEqual({
      attemptId: expect.any(Number),
      number: 1,
      round: 1,
      delivery: { id: deliveryId, webhookId, payload },
      endpoint: { id: endpointId, url: "https://receiver.test/hook", sealedSecret },
    });
    expect(await attemptsOf(database.db, deliveryId)).toEqual([
      expect.objectContaining({ id: claim?.attemptId, number: 1, finishedAt: null, succeeded: false }),
    ]);
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "pending", attempts: 1 });
  });

  it("marks an attempt a crash left unfinished as interrupted and makes the next one", async () => {
    const { deliveryId } = await pendingDelivery();
    const first = await claimAttempt(database.db, deliveryId);
    const second = await claimAttempt(database.db, deliveryId);
    expect([first?.number, second?.number]).toEqual([1, 2]);
    expect(second?.round).toBe(2);
    const attempts = await attemptsOf(database.db, deliveryId);
    expect(attempts.map((attempt) => [attempt.number, attempt.error, attempt.finishedAt === null])).toEqual([
      [1, INTERRUPTED, false],
      [2, null, true],
    ]);
  });

  it("never gives one attempt number twice when twenty processes claim the same delivery at once", async () => {
    const { deliveryId } = await pendingDelivery();
    const claims = await Promise.all(Array.from({ length: 20 }, () => claimAttempt(database.db, deliveryId)));
    const numbers = claims.map((claim) => claim?.number).sort((a, b) => (a ?? 0) - (b ?? 0));
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await attemptsOf(database.db, deliveryId)).toHaveLength(20);
    expect(await deliveryRow(deliveryId)).toMatchObject({ attempts: 20 });
  });

  it("claims nothing for a delivery that is gone or no longer pending", async () => {
    expect(await claimAttempt(database.db, 2 ** 40)).toBeNull();
    const { deliveryId } = await pendingDelivery();
    const claim = await claimAttempt(database.db, deliveryId);
    if (!claim) throw new Error("not claimed");
    await finishAttempt(database.db, claim, delivered, { retryAfterMs: null, disableAfterDead: 0 });
    expect(await claimAttempt(database.db, deliveryId)).toBeNull();
    expect(await attemptsOf(database.db, deliveryId)).toHaveLength(1);
  });

  it("sends nothing to a disabled endpoint: the delivery is dead and the attempt says why", async () => {
    const { deliveryId } = await pendingDelivery({ enabled: false });
    expect(await claimAttempt(database.db, deliveryId)).toBeNull();
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "dead", attempts: 1 });
    expect(await attemptsOf(database.db, deliveryId)).toEqual([
      expect.objectContaining({ number: 1, error: ENDPOINT_DISABLED }),
    ]);
  });
});

describe("finishing a webhook attempt", () => {
  it("records a delivered attempt, the delivery succeeded and the endpoint's failures ended", async () => {
    const { endpointId, deliveryId } = await pendingDelivery({ consecutiveFailures: 2 });
    const claim = await claimAttempt(database.db, deliveryId);
    if (!claim) throw new Error("not claimed");
    const verdict = await finishAttempt(
      database.db,
      claim,
      { ...delivered, responseBody: "ok\0after NUL" },
      { retryAfterMs: 1000, disableAfterDead: 3 },
    );
    expect(verdict).toBe("succeeded");
    expect(await attemptsOf(database.db, deliveryId)).toEqual([
      expect.objectContaining({
        succeeded: true,
        statusCode: 204,
        durationMs: 3,
        responseBody: "ok\uFFFDafter NUL",
        finishedAt: expect.any(Date),
      }),
    ]);
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "succeeded", nextAttemptAt: null });
    const [endpoint] = await database.db
      .select({ failures: schema.webhookEndpoints.consecutiveFailures })
      .from(schema.webhookEndpoints)
      .where(eq(schema.webhookEndpoints.id, endpointId));
    expect(endpoint?.failures).toBe(0);
  });

  it("records a failed attempt with the next one scheduled", async () => {
    const { deliveryId } = await pendingDelivery();
    const claim = await claimAttempt(database.db, deliveryId);
    if (!claim) throw new Error("not claimed");
    const failed = { ...delivered, ok: false, statusCode: 500, responseBody: "boom", error: "answered 500" };
    const verdict = await finishAttempt(database.db, claim, failed, { retryAfterMs: 60_000, disableAfterDead: 3 });
    expect(verdict).toBe("retrying");
    expect(await attemptsOf(database.db, deliveryId)).toEqual([
      expect.objectContaining({ succeeded: false, statusCode: 500, error: "answered 500" }),
    ]);
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "pending", nextAttemptAt: expect.any(Date) });
  });
});

describe("an operator deleting an endpoint while its attempts finish", () => {
  it("never deadlocks: the deletion and every attempt's record go through, whatever the verdict", async () => {
    const failed = { ...delivered, ok: false, statusCode: null, responseBody: null, error: "no answer" };
    for (let round = 0; round < 8; round++) {
      const first = await pendingDelivery();
      const more = await Promise.all(
        Array.from({ length: 11 }, async () => {
          const [row] = await database.db
            .insert(schema.webhookDeliveries)
            .values({ endpointId: first.endpointId, webhookId: newWebhookId(), eventType: "comment.created", payload })
            .returning({ id: schema.webhookDeliveries.id });
          return row?.id as number;
        }),
      );
      const claims = await Promise.all([first.deliveryId, ...more].map((id) => claimAttempt(database.db, id)));
      const finishing = claims.map((claim, i) => {
        if (!claim) throw new Error("not claimed");
        // A third each: delivered, to be retried, dead (which counts on the endpoint and may disable it).
        const [outcome, retryAfterMs] = [
          [delivered, null],
          [failed, 60_000],
          [failed, null],
        ][i % 3] as [typeof delivered, number | null];
        return finishAttempt(database.db, claim, outcome, { retryAfterMs, disableAfterDead: 2 });
      });
      const deleting = database.db
        .delete(schema.webhookEndpoints)
        .where(eq(schema.webhookEndpoints.id, first.endpointId));
      const results = await Promise.allSettled([deleting, ...finishing]);
      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
      expect(await deliveryRow(first.deliveryId)).toBeUndefined();
    }
  });

  it("never deadlocks with a dispatch recording a batch of successes, whatever order the deletion takes", async () => {
    const { endpointId, deliveryId } = await pendingDelivery();
    const ids = [deliveryId];
    for (let i = 0; i < 3; i++) {
      const [row] = await database.db
        .insert(schema.webhookDeliveries)
        .values({ endpointId, webhookId: newWebhookId(), eventType: "comment.created", payload })
        .returning({ id: schema.webhookDeliveries.id });
      ids.push(row?.id as number);
    }
    const claims = await Promise.all(ids.map((id) => claimAttempt(database.db, id)));
    const successes = claims.map((claim) => {
      if (!claim) throw new Error("not claimed");
      return deliveredAttempt(claim, delivered);
    });
    // On a large table the cascade walks the endpoint's deliveries newest first (index on endpoint, id desc), the
    // opposite of the batch's order; here only a planner without sequential and bitmap scans takes that path.
    const deleter = connect({
      url: `${database.url}?enable_seqscan=off&enable_bitmapscan=off`,
      maxConnections: 1,
      applicationName: "deleter",
    });
    const recorder = connect({ url: database.url, maxConnections: 1, applicationName: "recorder" });
    const waitingForLock = (applicationName: string) =>
      expect
        .poll(
          async () => {
            const [row] = await database.sql<{ n: number }[]>`
            select count(*)::int as n from pg_stat_activity
            where datname = current_database() and application_name = ${applicationName} and wait_event_type = 'Lock'`;
            return row?.n;
          },
          { timeout: 5_000, interval: 10 },
        )
        .toBe(1);
    // Holds the delivery the deletion reaches first, so that the batch locks the others before the deletion can.
    const newest = await holdLock(
      database.url,
      (tx) => tx`select 1 from webhook_deliveries where id = ${Math.max(...ids)} for update`,
    );
    try {
      const deleting = deleteWebhookEndpoint(deleter.db, endpointId);
      await waitingForLock("deleter");
      const recording = recordSuccesses(recorder.db, endpointId, successes);
      await waitingForLock("recorder");
      const results = await Promise.allSettled([newest.release(), deleting, recording]);
      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
      expect(await deliveryRow(deliveryId)).toBeUndefined();
    } finally {
      await newest.release();
      await Promise.all([deleter.close(), recorder.close()]);
    }
  });
});
