import { setTimeout as sleep } from "node:timers/promises";
import { schema } from "@inkwell/db";
import { createTestDatabase } from "@inkwell/db/testing";
import { describe, expect, it } from "vitest";
import { startDispatchListener, WebhookDispatches } from "./webhook-dispatches.ts";

function dispatches() {
  const asked: number[] = [];
  const coordination = new WebhookDispatches(async (endpointId) => {
    asked.push(endpointId);
  });
  return { asked, coordination };
}

describe("asking for webhook dispatches", () => {
  it("asks once per endpoint for a burst of announcements", async () => {
    const { asked, coordination } = dispatches();
    for (let i = 0; i < 50; i++) coordination.announce(i % 2 === 0 ? 1 : 2);
    await sleep(60);
    expect(asked.sort()).toEqual([1, 2]);
    coordination.announce(1);
    await sleep(60);
    expect(asked).toHaveLength(3);
  });

  it("asks nothing while this process dispatches the endpoint: the dispatch claims again instead", async () => {
    const { asked, coordination } = dispatches();
    coordination.started(7);
    coordination.claiming(7);
    expect(coordination.wasAnnounced(7)).toBe(false);
    coordination.announce(7);
    expect(coordination.wasAnnounced(7)).toBe(true);
    coordination.claiming(7);
    expect(coordination.wasAnnounced(7)).toBe(false);
    coordination.finished(7);
    await sleep(60);
    expect(asked).toEqual([]);
  });

  it("asks again for an announcement the ending dispatch did not claim", async () => {
    const { asked, coordination } = dispatches();
    coordination.started(7);
    coordination.claiming(7);
    coordination.announce(7);
    coordination.finished(7);
    await sleep(60);
    expect(asked).toEqual([7]);
  });

  it("leaves an announcement to a dispatch of the endpoint still running here when another ends", async () => {
    const { asked, coordination } = dispatches();
    coordination.started(7);
    coordination.started(7);
    coordination.claiming(7);
    coordination.announce(7);
    coordination.finished(7);
    expect(coordination.wasAnnounced(7)).toBe(true);
    coordination.finished(7);
    await sleep(60);
    expect(asked).toEqual([7]);
  });

  it("stops asking when stopped", async () => {
    const { asked, coordination } = dispatches();
    coordination.announce(3);
    coordination.stop();
    await sleep(60);
    expect(asked).toEqual([]);
  });
});

describe("the listener of new deliveries", () => {
  const quiet = { error() {}, warn() {}, info() {}, debug() {} };

  it("asks for an endpoint announced by a committed transaction; ignores rollbacks and whatever else is sent", async () => {
    const database = await createTestDatabase({ maxConnections: 3 });
    const { asked, coordination } = dispatches();
    const listener = await startDispatchListener({
      listenSql: database.sql,
      db: database.db,
      dispatches: coordination,
      logger: quiet,
      requestTimeoutMs: 10_000,
    });
    try {
      const channel = schema.WEBHOOK_DELIVERIES_CHANNEL;
      for (const payload of [
        "",
        " ",
        "abc",
        "0",
        "-3",
        "07",
        "1.5",
        "1e3",
        " 9",
        "2147483648",
        "9".repeat(400),
        "\uFF15", // a full-width 5
        "5;drop",
        // (A NUL cannot be sent: PostgreSQL refuses it in a NOTIFY payload.)
      ]) {
        await database.sql`select pg_notify(${channel}, ${payload})`;
      }
      await database.sql
        .begin(async (tx) => {
          await tx`select pg_notify(${channel}, '11')`;
          throw new Error("roll back");
        })
        .catch(() => {});
      await database.sql`select pg_notify(${channel}, '42')`;
      await expect.poll(() => asked, { timeout: 2_000 }).toEqual([42]);
      await sleep(60);
      expect(asked).toEqual([42]);
    } finally {
      await listener.stop();
      await database.drop();
    }
  });

  it("on LISTEN, asks for the endpoints whose deliveries no notification announced", async () => {
    const database = await createTestDatabase({ maxConnections: 3 });
    const [endpoint] = await database.db
      .insert(schema.webhookEndpoints)
      .values({ url: "https://receiver.test/", events: ["user.created"], sealedSecret: new Uint8Array([1]) })
      .returning({ id: schema.webhookEndpoints.id });
    await database.sql`
      insert into webhook_deliveries (endpoint_id, webhook_id, event_type, payload, created_at)
      values (${endpoint?.id ?? 0}, 'msg_missed', 'user.created', '{}', now() - interval '3 seconds')`;
    const { asked, coordination } = dispatches();
    const listener = await startDispatchListener({
      listenSql: database.sql,
      db: database.db,
      dispatches: coordination,
      logger: quiet,
      requestTimeoutMs: 10_000,
    });
    try {
      await expect.poll(() => asked, { timeout: 2_000 }).toEqual([endpoint?.id]);
    } finally {
      await listener.stop();
      await database.drop();
    }
  });
});
