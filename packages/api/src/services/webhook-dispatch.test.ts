import { connect, schema } from "@inkwell/db";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attemptsOf } from "../testing/webhooks.ts";
import { claimAttempt, INTERRUPTED, recordSuccesses } from "./webhook-attempts.ts";
import { claimDispatchAttempts, endpointsAwaitingDispatch } from "./webhook-dispatch.ts";
import { newWebhookId } from "./webhook-events.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 10 });
});
afterAll(() => database.drop());

/** An attempt unfinished 70 s after it started (the timeout and a minute) was lost. */
const TIMEOUT_MS = 10_000;
const payload = { type: "comment.created", data: { n: 1 } };

async function endpointWith(deliveries: number, options: { enabled?: boolean; failures?: number } = {}) {
  const [endpoint] = await database.db
    .insert(schema.webhookEndpoints)
    .values({
      url: "https://receiver.test/hook",
      events: ["comment.created"],
      sealedSecret: new Uint8Array([1, 2, 3]),
      enabled: options.enabled ?? true,
      consecutiveFailures: options.failures ?? 0,
    })
    .returning({ id: schema.webhookEndpoints.id });
  if (!endpoint) throw new Error("no endpoint");
  const rows = await database.db
    .insert(schema.webhookDeliveries)
    .values(
      Array.from({ length: deliveries }, () => ({
        endpointId: endpoint.id,
        webhookId: newWebhookId(),
        eventType: "comment.created",
        payload,
      })),
    )
    .returning({ id: schema.webhookDeliveries.id, webhookId: schema.webhookDeliveries.webhookId });
  return { endpointId: endpoint.id, deliveries: rows };
}

const claim = (endpointId: number, poolId: string, limit = 32) =>
  claimDispatchAttempts(database.db, endpointId, { poolId, limit, requestTimeoutMs: TIMEOUT_MS });

/** A node of PostgreSQL's `explain (format json)`. */
interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

const beat = (poolId: string) =>
  database.sql`insert into job_worker_heartbeats (pool_id, process) values (${poolId}, 'test:1')
    on conflict (pool_id) do update set seen_at = now()`;

describe("dispatch claims", () => {
  it("claims an endpoint's untried deliveries in order, up to the limit, each attempt 1 with its pool", async () => {
    const { endpointId, deliveries } = await endpointWith(5);
    await endpointWith(2); // another endpoint's are not taken
    const claims = await claim(endpointId, "pool-a", 3);
    expect(claims.map((c) => [c.delivery.id, c.delivery.webhookId, c.number, c.round])).toEqual(
      deliveries.slice(0, 3).map((d) => [d.id, d.webhookId, 1, 1]),
    );
    expect(claims[0]?.delivery.payload).toEqual(payload);
    expect(claims[0]?.endpoint).toEqual({
      id: endpointId,
      url: "https://receiver.test/hook",
      sealedSecret: new Uint8Array([1, 2, 3]),
    });
    expect(await attemptsOf(database.db, deliveries[0]?.id as number)).toEqual([
      expect.objectContaining({ number: 1, poolId: "pool-a", finishedAt: null }),
    ]);
    expect((await claim(endpointId, "pool-a")).map((c) => c.delivery.id)).toEqual(deliveries.slice(3).map((d) => d.id));
    expect(await claim(endpointId, "pool-a")).toEqual([]);
  });

  it("never claims one delivery twice when ten dispatches claim at once", async () => {
    const { endpointId, deliveries } = await endpointWith(100);
    const batches = await Promise.all(Array.from({ length: 10 }, (_, i) => claim(endpointId, `pool-${i}`, 15)));
    const ids = batches.flat().map((c) => c.delivery.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Skipped rows are left for the next claim, never lost.
    const rest = (await claim(endpointId, "pool-z", 100)).map((c) => c.delivery.id);
    expect([...ids, ...rest].sort((a, b) => a - b)).toEqual(deliveries.map((d) => d.id));
  });

  it("leaves retries and replays to their own job, and a disabled endpoint's deliveries alone", async () => {
    const { endpointId, deliveries } = await endpointWith(1);
    const retried = await claimAttempt(database.db, deliveries[0]?.id as number);
    expect(retried).not.toBeNull();
    // A replay resets the round: attempts 0 again, but its attempts are on record.
    await database.sql`update webhook_attempts set finished_at = now()`;
    await database.sql`update webhook_deliveries set attempts = 0 where endpoint_id = ${endpointId}`;
    expect(await claim(endpointId, "pool-a")).toEqual([]);
    const disabled = await endpointWith(2, { enabled: false });
    expect(await claim(disabled.endpointId, "pool-a")).toEqual([]);
  });

  it("takes up an attempt cut short on a pool that stopped beating, or one that outlived any request", async () => {
    const { endpointId, deliveries } = await endpointWith(3);
    const [alive, dead, stale] = deliveries.map((d) => d.id) as [number, number, number];
    await beat("pool-alive");
    await beat("pool-stale");
    await claim(endpointId, "pool-alive", 1);
    await claim(endpointId, "pool-dead", 1);
    await claim(endpointId, "pool-stale", 1);
    // Within the grace, nothing is taken up, whatever the pool.
    expect(await claim(endpointId, "pool-b")).toEqual([]);
    await database.sql`update webhook_attempts set started_at = now() - interval '6 seconds'`;
    await database.sql`
      update webhook_attempts set started_at = now() - interval '71 seconds' where delivery_id = ${stale}`;
    expect(await endpointsAwaitingDispatch(database.db, TIMEOUT_MS)).toContain(endpointId);

    const taken = await claim(endpointId, "pool-b");
    expect(taken.map((c) => [c.delivery.id, c.number, c.round])).toEqual([
      [dead, 2, 2],
      [stale, 2, 2],
    ]);
    expect(await attemptsOf(database.db, dead)).toEqual([
      expect.objectContaining({ number: 1, error: INTERRUPTED, finishedAt: expect.any(Date) }),
      expect.objectContaining({ number: 2, poolId: "pool-b", finishedAt: null }),
    ]);
    expect(await attemptsOf(database.db, alive)).toEqual([expect.objectContaining({ number: 1, finishedAt: null })]);
  });

  it("lists endpoints whose untried deliveries no notification announced, after two seconds", async () => {
    const { endpointId } = await endpointWith(1);
    expect(await endpointsAwaitingDispatch(database.db, TIMEOUT_MS)).not.toContain(endpointId);
    await database.sql`
      update webhook_deliveries set created_at = now() - interval '3 seconds' where endpoint_id = ${endpointId}`;
    expect(await endpointsAwaitingDispatch(database.db, TIMEOUT_MS)).toContain(endpointId);
  });

  it("records a batch of successes in one statement, and ends the endpoint's run of failures", async () => {
    const { endpointId } = await endpointWith(2, { failures: 3 });
    const claims = await claim(endpointId, "pool-a");
    await recordSuccesses(
      database.db,
      endpointId,
      claims.map((c, i) => ({
        attemptId: c.attemptId,
        deliveryId: c.delivery.id,
        url: `https://receiver.test/hook?${i}`,
        durationMs: 10 + i,
        statusCode: i === 0 ? 200 : 204,
        responseBody: i === 0 ? "ok\0NUL" : null,
      })),
    );
    const first = claims[0]?.delivery.id as number;
    expect(await attemptsOf(database.db, first)).toEqual([
      expect.objectContaining({
        succeeded: true,
        statusCode: 200,
        durationMs: 10,
        url: "https://receiver.test/hook?0",
        responseBody: "ok\uFFFDNUL",
        finishedAt: expect.any(Date),
      }),
    ]);
    const rows = await database.sql<{ status: string; next: Date | null }[]>`
      select status::text, next_attempt_at as next from webhook_deliveries where endpoint_id = ${endpointId}`;
    expect(rows).toEqual([
      { status: "succeeded", next: null },
      { status: "succeeded", next: null },
    ]);
    const [endpoint] = await database.sql`select consecutive_failures from webhook_endpoints where id = ${endpointId}`;
    expect(endpoint?.consecutive_failures).toBe(0);
  });
  it("reads indexes, not every delivery and attempt kept: no sequential scan in its plan at 3,000 kept deliveries", async () => {
    const { endpointId } = await endpointWith(3_000);
    // All but the last ten delivered long ago, each with its finished attempt.
    await database.sql`
      with done as (
        update webhook_deliveries set status = 'succeeded', attempts = 1
        where endpoint_id = ${endpointId}
          and id < (select min(id) from (select id from webhook_deliveries
                    where endpoint_id = ${endpointId} order by id desc limit 10) as newest)
        returning id)
      insert into webhook_attempts (delivery_id, number, url, pool_id, finished_at)
      select id, 1, 'https://receiver.test/hook', 'pool-old', now() from done`;
    await database.sql`analyze webhook_deliveries, webhook_attempts`;
    // The claim statement exactly as sent, from a connection that reports what it sends.
    const sent: { statement: string; parameters: unknown[] }[] = [];
    const watched = connect({
      url: database.url,
      maxConnections: 1,
      onQuery: (statement, parameters) => sent.push({ statement, parameters }),
    });
    try {
      const claims = await claimDispatchAttempts(watched.db, endpointId, {
        poolId: "pool-plan",
        limit: 32,
        requestTimeoutMs: TIMEOUT_MS,
      });
      expect(claims).toHaveLength(10);
    } finally {
      await watched.close();
    }
    const claimStatement = sent.find((query) => query.statement.includes("with target as"));
    expect(claimStatement).toBeDefined();
    const [row] = await database.sql.unsafe<{ "QUERY PLAN": { Plan: PlanNode }[] }[]>(
      `explain (format json) ${claimStatement?.statement}`,
      claimStatement?.parameters as never[],
    );
    const plan = row?.["QUERY PLAN"][0]?.Plan;
    expect(plan).toBeDefined();
    const scanned: string[] = [];
    const walk = (node: PlanNode) => {
      if (node["Node Type"] === "Seq Scan" && node["Relation Name"]) scanned.push(node["Relation Name"]);
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(plan as PlanNode);
    // webhook_endpoints is a handful of rows: a scan of it is the planner's right choice.
    expect(scanned.filter((relation) => relation !== "webhook_endpoints")).toEqual([]);
  });
});
