import { connect, type DatabaseConnection } from "@inkwell/db";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AuditEventView } from "../services/audit-event-view.ts";
import { recordAuditEvent } from "../services/audit-writer.ts";
import { streamReader } from "../testing/stream-reader.ts";
import { type LiveEvents, startLiveEvents } from "./live-events.ts";

const LISTENER = "audit-feed-test";

let database: TestDatabase;
let listener: DatabaseConnection;
let live: LiveEvents;
const errors: string[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
  listener = connect({ url: database.url, maxConnections: 1, applicationName: LISTENER });
  live = await startLiveEvents({
    listenSql: listener.sql,
    db: listener.db,
    onError: (_error, what) => errors.push(what),
  });
});
afterAll(async () => {
  await live?.close();
  await listener?.close();
  await database?.drop();
});

/** An audit event written as another server process would: its own connection, no knowledge of the hub. */
const write = (action: string) =>
  recordAuditEvent(database.db, { action, actorId: null, ip: null, userAgent: null, requestId: null });

function events() {
  const subscription = live.hub.subscribe();
  const reader = streamReader(subscription, (message) =>
    message.kind === "event" ? (message.event as AuditEventView).action : message.kind,
  );
  return { ...reader, stop: () => subscription.end() };
}

describe("the audit event listener", () => {
  it("publishes every audit event the database announces, in order, once", async () => {
    const received = events();
    await write("feed.one");
    await Promise.all([write("feed.two"), write("feed.three")]);
    const actions = await received.take(3);
    expect(actions[0]).toBe("feed.one");
    expect(actions.slice(1).sort()).toEqual(["feed.three", "feed.two"]);
    expect(await received.quietFor(200)).toBe(true);
    received.stop();
  });

  it("does not announce an event whose transaction rolled back", async () => {
    const received = events();
    await database.db
      .transaction(async (tx) => {
        await recordAuditEvent(tx, {
          action: "feed.undone",
          actorId: null,
          ip: null,
          userAgent: null,
          requestId: null,
        });
        throw new Error("roll back");
      })
      .catch(() => {});
    await write("feed.after");
    expect(await received.next()).toBe("feed.after");
    received.stop();
  });

  it("survives a dropped LISTEN connection: what was written meanwhile arrives, once", async () => {
    const received = events();
    const [terminated] = await database.sql<{ n: number }[]>`
      select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where application_name = ${LISTENER} and query ilike 'listen%'`;
    expect(terminated?.n).toBe(1);
    await write("feed.during");
    await write("feed.later");
    expect(await received.take(2, 10_000)).toEqual(["feed.during", "feed.later"]);
    expect(await received.quietFor(300)).toBe(true);
    received.stop();
  });

  it("gives a stream opened in the middle of a burst every event written after it opened", async () => {
    // No stream is open when the burst starts, so the listener skips its first announcements.
    const before = Array.from({ length: 30 }, (_, i) => write(`burst.before-${i}`));
    await Promise.all(before.slice(0, 5));
    const received = events();
    const after = Array.from({ length: 20 }, (_, i) => `burst.after-${i}`);
    await Promise.all([...before, ...after.map(write)]);
    await write("burst.end");
    const seen: string[] = [];
    while (seen.at(-1) !== "burst.end") seen.push(await received.next());
    expect(after.filter((action) => !seen.includes(action))).toEqual([]);
    expect(new Set(seen).size).toBe(seen.length);
    received.stop();
  });

  it("reads no event while no stream in this process waits for one", async () => {
    const name = `${LISTENER}-idle`;
    const own = connect({ url: database.url, maxConnections: 1, applicationName: name });
    const watched = await startLiveEvents({ listenSql: own.sql, db: own.db, onError: () => {} });
    // When the listener's query connection (not the LISTEN one) last started a statement.
    const lastLoad = async () => {
      const [row] = await database.sql<{ at: number }[]>`
        select extract(epoch from query_start)::float8 as at from pg_stat_activity
        where application_name = ${name} and query not ilike 'listen%'`;
      return row?.at;
    };
    const readEvents = () => {
      const subscription = watched.hub.subscribe();
      const reader = streamReader(subscription, (message) =>
        message.kind === "event" ? (message.event as AuditEventView).action : message.kind,
      );
      return { ...reader, stop: () => subscription.end() };
    };
    try {
      const first = readEvents();
      await write("idle.warm-up");
      expect(await first.next()).toBe("idle.warm-up");
      first.stop();
      const before = await lastLoad();
      expect(before).toBeDefined();

      await Promise.all([write("idle.one"), write("idle.two")]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await lastLoad()).toBe(before);

      // The probe can tell: with a stream open, the next event is read on that connection.
      const second = readEvents();
      await write("idle.watched");
      expect(await second.next()).toBe("idle.watched");
      second.stop();
      expect(await lastLoad()).toBeGreaterThan(before as number);
    } finally {
      await watched.close();
      await own.close();
    }
  });

  it("catches up on what was written while the database refused it a connection", async () => {
    const name = `${LISTENER}-outage`;
    const own = connect({ url: database.url, maxConnections: 1, applicationName: name });
    const watched = await startLiveEvents({ listenSql: own.sql, db: own.db, onError: () => {} });
    const subscription = watched.hub.subscribe();
    const received = streamReader(subscription, (message) =>
      message.kind === "event" ? (message.event as AuditEventView).action : message.kind,
    );
    // A database's connections can only be switched off from another one.
    const admin = connect({ url: inject("postgresAdminUrl"), maxConnections: 1 });
    const allowConnections = (allow: boolean) =>
      admin.sql.unsafe(`alter database ${database.name} allow_connections ${allow}`);
    try {
      await write("feed.warm-up");
      expect(await received.next()).toBe("feed.warm-up");
      // No new connections: nobody in this process hears the next event's notification.
      await allowConnections(false);
      await database.sql`select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = ${name} and query ilike 'listen%'`;
      await write("feed.unheard");
      await new Promise((resolve) => setTimeout(resolve, 300));
      await allowConnections(true);
      expect(await received.next(10_000)).toBe("feed.unheard");
      await write("feed.heard-again");
      expect(await received.next()).toBe("feed.heard-again");
    } finally {
      await allowConnections(true);
      await admin.close();
      subscription.end();
      await watched.close();
      await own.close();
    }
  });
});
