import { connect, schema, sql } from "@inkwell/db";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { defaultAuthSettings } from "../auth/settings.ts";
import {
  counterWindows,
  deleteExpiredChallenges,
  deleteExpiredSessions,
  deleteStaleThrottleCounters,
  runMaintenance,
} from "./maintenance.ts";
import { createSession, sessionExpiresAt, validateSessionToken } from "./sessions.ts";
import { reserveAttempt } from "./throttle.ts";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
const now = new Date("2026-06-01T12:00:00.000Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const windows = counterWindows(defaultAuthSettings, MINUTE);

let database: TestDatabase;
let statements: string[] = [];
let userId: number;
beforeAll(async () => {
  database = await createTestDatabase({ onQuery: (statement) => statements.push(statement) });
  const [user] = await database.db
    .insert(schema.users)
    .values({ email: "reader@example.com", username: "reader", passwordHash: "x" })
    .returning();
  userId = user?.id ?? 0;
});
afterEach(async () => {
  await database.sql`delete from sessions`;
  await database.sql`delete from throttle_counters`;
  await database.sql`delete from two_factor_challenges`;
  statements = [];
});
afterAll(() => database.drop());

async function insertSessions(rows: { id: string; createdAt: Date; lastVerifiedAt: Date }[]) {
  for (let i = 0; i < rows.length; i += 5_000) {
    await database.db
      .insert(schema.sessions)
      .values(rows.slice(i, i + 5_000).map((row) => ({ ...row, userId, secretHash: new Uint8Array(32) })));
  }
}

const sessionIds = async () =>
  (await database.sql<{ id: string }[]>`select id from sessions order by id`).map((row) => row.id);

async function insertCounter(key: string, updatedAt: Date, blockedUntil: Date | null = null) {
  await database.sql`insert into throttle_counters (key, hits, window_started_at, updated_at, blocked_until)
                     values (${key}, 3, ${updatedAt.toISOString()}, ${updatedAt.toISOString()},
                             ${blockedUntil?.toISOString() ?? null})`;
}

const counterKeys = async () =>
  (await database.sql<{ key: string }[]>`select key from throttle_counters order by key`).map((row) => row.key);

const deleteStatements = (table: string) => statements.filter((s) => s.includes(`delete from ${table}`)).length;

describe("deleteExpiredSessions", () => {
  it("deletes exactly the sessions past their idle timeout or absolute lifetime, to the millisecond", async () => {
    const rows = [
      { id: "live", createdAt: ago(DAY), lastVerifiedAt: ago(60 * MINUTE) },
      { id: "idle-exactly", createdAt: ago(11 * DAY), lastVerifiedAt: ago(10 * DAY) },
      { id: "idle-almost", createdAt: ago(11 * DAY), lastVerifiedAt: ago(10 * DAY - 1) },
      { id: "old-exactly", createdAt: ago(30 * DAY), lastVerifiedAt: ago(MINUTE) },
      { id: "old-almost", createdAt: ago(30 * DAY - 1), lastVerifiedAt: ago(MINUTE) },
      { id: "long-gone", createdAt: ago(400 * DAY), lastVerifiedAt: ago(390 * DAY) },
    ];
    await insertSessions(rows);

    expect(await deleteExpiredSessions(database.db, defaultAuthSettings, now)).toBe(3);
    expect(await sessionIds()).toEqual(["idle-almost", "live", "old-almost"]);
    // The same rule as the one sign-in applies: ended means sessionExpiresAt(row) <= now.
    const ended = rows.filter((row) => sessionExpiresAt(row, defaultAuthSettings) <= now).map((row) => row.id);
    expect(ended.sort()).toEqual(["idle-exactly", "long-gone", "old-exactly"]);
  });

  it("keeps a live session usable: its token still signs in after a sweep", async () => {
    const live = await createSession(database.db, defaultAuthSettings, userId, { ip: null, userAgent: null });
    const stale = await createSession(database.db, defaultAuthSettings, userId, { ip: null, userAgent: null });
    await database.sql`update sessions set last_verified_at = now() - interval '11 days' where id = ${stale.id}`;

    expect(await deleteExpiredSessions(database.db, defaultAuthSettings, new Date())).toBe(1);
    expect(await validateSessionToken(database.db, defaultAuthSettings, live.token)).toMatchObject({
      user: { id: userId },
    });
    expect(await sessionIds()).toEqual([live.id]);
  });

  it("deletes a backlog in bounded statements, and stops at maxBatches until the next call", async () => {
    const expired = Array.from({ length: 10 }, (_, i) => ({
      id: `expired-${String(i).padStart(2, "0")}`,
      createdAt: ago(40 * DAY),
      lastVerifiedAt: ago(40 * DAY),
    }));
    await insertSessions([...expired, { id: "live", createdAt: ago(DAY), lastVerifiedAt: ago(DAY) }]);

    expect(await deleteExpiredSessions(database.db, defaultAuthSettings, now, { batchSize: 3, maxBatches: 2 })).toBe(6);
    expect(deleteStatements("sessions")).toBe(2);
    expect(await sessionIds()).toHaveLength(5);

    statements = [];
    expect(await deleteExpiredSessions(database.db, defaultAuthSettings, now, { batchSize: 3 })).toBe(4);
    // 3 + 1: the short batch shows nothing is left, without another round trip.
    expect(deleteStatements("sessions")).toBe(2);
    expect(await sessionIds()).toEqual(["live"]);
  });

  it("stops between batches once its signal is aborted", async () => {
    await insertSessions([{ id: "expired", createdAt: ago(40 * DAY), lastVerifiedAt: ago(40 * DAY) }]);
    const signal = AbortSignal.abort();
    expect(await deleteExpiredSessions(database.db, defaultAuthSettings, now, { signal })).toBe(0);
    expect(deleteStatements("sessions")).toBe(0);
    expect(await sessionIds()).toEqual(["expired"]);
  });

  it("runs concurrently from two connections without errors, each row deleted once", async () => {
    const backlog = Array.from({ length: 3_000 }, (_, i) => ({
      id: `s-${i}`,
      createdAt: ago(40 * DAY),
      lastVerifiedAt: ago(40 * DAY),
    }));
    await insertSessions([...backlog, { id: "live", createdAt: ago(DAY), lastVerifiedAt: ago(DAY) }]);
    const other = connect({ url: database.url, maxConnections: 2 });
    try {
      const counts = await Promise.all([
        deleteExpiredSessions(database.db, defaultAuthSettings, now, { batchSize: 100 }),
        deleteExpiredSessions(other.db, defaultAuthSettings, now, { batchSize: 100 }),
      ]);
      expect(counts[0] + counts[1]).toBe(3_000);
    } finally {
      await other.close();
    }
    expect(await sessionIds()).toEqual(["live"]);
  });

  it("skips, without waiting, a session locked by a request in flight", async () => {
    await insertSessions([
      { id: "busy", createdAt: ago(40 * DAY), lastVerifiedAt: ago(40 * DAY) },
      { id: "idle", createdAt: ago(40 * DAY), lastVerifiedAt: ago(40 * DAY) },
    ]);
    const other = connect({ url: database.url, maxConnections: 1 });
    try {
      await other.sql.begin(async (tx) => {
        await tx`select 1 from sessions where id = 'busy' for update`;
        expect(await deleteExpiredSessions(database.db, defaultAuthSettings, now)).toBe(1);
      });
    } finally {
      await other.close();
    }
    expect(await sessionIds()).toEqual(["busy"]);
  });
});

describe("deleteStaleThrottleCounters", () => {
  it("deletes counters whose window is over, per key family, and keeps the rest", async () => {
    await insertCounter("rate:ip:203.0.113.1", ago(61 * SECOND));
    await insertCounter("rate:credential:ab12", ago(60 * SECOND)); // the window ends after, not at, 60 s
    await insertCounter("rate:ip:203.0.113.2", ago(30 * SECOND));
    await insertCounter("signin:account:gone@example.com", ago(15 * MINUTE + 1));
    await insertCounter("signin:ip:203.0.113.3", ago(10 * MINUTE)); // still counts towards a block
    await insertCounter("signin:account:served@example.com", ago(20 * MINUTE), ago(SECOND)); // block over
    await insertCounter("2fa:account:41", ago(15 * MINUTE + 1)); // second-factor guesses: the sign-in window
    await insertCounter("2fa:ip:203.0.113.4", ago(10 * MINUTE));
    await insertCounter("export:user:7", ago(10 * MINUTE)); // unknown family: the longest window
    await insertCounter("export:user:8", ago(16 * MINUTE));

    expect(await deleteStaleThrottleCounters(database.db, windows, now)).toBe(5);
    expect(await counterKeys()).toEqual([
      "2fa:ip:203.0.113.4",
      "export:user:7",
      "rate:credential:ab12",
      "rate:ip:203.0.113.2",
      "signin:ip:203.0.113.3",
    ]);
  });

  it("keeps a blocked account's counter while the block lasts, past its window, and deletes it after", async () => {
    const key = "signin:account:locked@example.com";
    const longBlock = { freeFailures: 1, baseDelayMs: 60 * MINUTE, maxDelayMs: 60 * MINUTE, windowMs: 15 * MINUTE };
    await reserveAttempt(database.db, key, longBlock);
    const [row] = await database.sql`select blocked_until from throttle_counters where key = ${key}`;
    expect(new Date(row?.blocked_until).getTime()).toBeGreaterThan(Date.now() + 59 * MINUTE);

    expect(await deleteStaleThrottleCounters(database.db, windows, new Date(Date.now() + 30 * MINUTE))).toBe(0);
    expect(await counterKeys()).toEqual([key]);
    expect(await deleteStaleThrottleCounters(database.db, windows, new Date(Date.now() + 61 * MINUTE))).toBe(1);
    expect(await counterKeys()).toEqual([]);
  });

  it("deletes a backlog in bounded statements", async () => {
    for (let i = 0; i < 25; i++) await insertCounter(`rate:ip:198.51.100.${i}`, ago(2 * MINUTE));
    await insertCounter("rate:ip:198.51.100.250", ago(SECOND));
    expect(await deleteStaleThrottleCounters(database.db, windows, now, { batchSize: 10 })).toBe(25);
    expect(deleteStatements("throttle_counters")).toBe(3);
    expect(await counterKeys()).toEqual(["rate:ip:198.51.100.250"]);
  });
});

describe("deleteExpiredChallenges", () => {
  const challengeIds = async () =>
    (await database.db.select({ id: schema.twoFactorChallenges.id }).from(schema.twoFactorChallenges)).map(
      (row) => row.id,
    );
  const insertChallenge = (id: string, expiresAt: Date) =>
    database.db.insert(schema.twoFactorChallenges).values({ id, secretHash: new Uint8Array(32), userId, expiresAt });

  it("deletes the challenges past their expiry, in bounded statements, and keeps live ones", async () => {
    for (let i = 0; i < 12; i++) await insertChallenge(`expired-${i}`, ago(SECOND + i));
    await insertChallenge("at-the-edge", now);
    await insertChallenge("live", new Date(now.getTime() + 4 * MINUTE));
    statements = [];
    expect(await deleteExpiredChallenges(database.db, now, { batchSize: 5 })).toBe(13);
    expect(deleteStatements("two_factor_challenges")).toBe(3);
    expect(await challengeIds()).toEqual(["live"]);
  });
});

describe("runMaintenance", () => {
  it("sweeps every table and says how many rows went", async () => {
    await insertSessions([{ id: "expired", createdAt: ago(40 * DAY), lastVerifiedAt: ago(40 * DAY) }]);
    await database.db
      .insert(schema.twoFactorChallenges)
      .values({ id: "stale", secretHash: new Uint8Array(32), userId, expiresAt: ago(MINUTE) });
    await insertCounter("rate:ip:203.0.113.9", ago(2 * MINUTE));
    await insertCounter("rate:ip:203.0.113.10", ago(2 * MINUTE));
    const result = await runMaintenance(database.db, {
      settings: defaultAuthSettings,
      counterWindows: windows,
      now,
    });
    expect(result).toEqual({ sessions: 1, challenges: 1, throttleCounters: 2 });
    const [left] = await database.db.execute<{ rows: number }>(
      sql`select (select count(*) from sessions) + (select count(*) from throttle_counters)
                 + (select count(*) from two_factor_challenges) as rows`,
    );
    expect(Number(left?.rows)).toBe(0);
  });
});
