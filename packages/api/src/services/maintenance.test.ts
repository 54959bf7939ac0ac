import { connect, schema } from "@inkwell/db";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { defaultAuthSettings } from "../auth/settings.ts";
import {
  counterWindows,
  deleteDeliveredEmails,
  deleteExpiredChallenges,
  deleteExpiredSessions,
  deleteFinishedWebhookDeliveries,
  deleteOldAuditEvents,
  deleteStaleThrottleCounters,
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

/** Delete statements sent for `table`, its name quoted or not. */
const deleteStatements = (table: string) =>
  statements.filter((s) => s.includes(`delete from ${table} `) || s.includes(`delete from "${table}" `)).length;

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
    await insertCounter("reset:account:gone@example.com", ago(60 * MINUTE + 1)); // asked-for emails: an hour
    await insertCounter("reset:ip:203.0.113.5", ago(30 * MINUTE));
    await insertCounter("verify:account:42", ago(59 * MINUTE));
    await insertCounter("export:user:7", ago(30 * MINUTE)); // unknown family: the longest window (an hour)
    await insertCounter("export:user:8", ago(61 * MINUTE));

    expect(await deleteStaleThrottleCounters(database.db, windows, now)).toBe(6);
    expect(await counterKeys()).toEqual([
      "2fa:ip:203.0.113.4",
      "export:user:7",
      "rate:credential:ab12",
      "rate:ip:203.0.113.2",
      "reset:ip:203.0.113.5",
      "signin:ip:203.0.113.3",
      "verify:account:42",
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

  it("deletes expired identity-provider flows and passkey prompts too, and keeps live ones", async () => {
    await database.db.delete(schema.twoFactorChallenges);
    const flow = (state: number, expiresAt: Date) => ({
      stateHash: new Uint8Array(32).fill(state),
      provider: "corp",
      codeVerifier: "v",
      redirectUri: "http://localhost/sign-in/callback/corp",
      returnTo: "/",
      expiresAt,
    });
    await database.db
      .insert(schema.oauthFlows)
      .values([flow(1, ago(SECOND)), flow(2, new Date(now.getTime() + MINUTE))]);
    await database.db.insert(schema.webauthnChallenges).values([
      { challenge: "old", purpose: "authentication", expiresAt: ago(SECOND) },
      { challenge: "new", purpose: "authentication", expiresAt: new Date(now.getTime() + MINUTE) },
    ]);
    expect(await deleteExpiredChallenges(database.db, now)).toBe(2);
    const left = await database.db
      .select({ challenge: schema.webauthnChallenges.challenge })
      .from(schema.webauthnChallenges);
    expect(left).toEqual([{ challenge: "new" }]);
    expect(await database.db.select({ provider: schema.oauthFlows.provider }).from(schema.oauthFlows)).toHaveLength(1);
  });

  it("deletes emailed account tokens past their expiry, used or not, and keeps live ones, used or not", async () => {
    const token = (fill: number, expiresAt: Date, usedAt: Date | null) => ({
      purpose: "reset_password" as const,
      userId,
      tokenHash: new Uint8Array(32).fill(fill),
      expiresAt,
      usedAt,
    });
    const later = new Date(now.getTime() + MINUTE);
    await database.db
      .insert(schema.accountTokens)
      .values([
        token(1, ago(SECOND), null),
        token(2, ago(SECOND), ago(MINUTE)),
        token(3, later, null),
        token(4, later, ago(SECOND)),
      ]);
    expect(await deleteExpiredChallenges(database.db, now)).toBe(2);
    const left = await database.db.select({ hash: schema.accountTokens.tokenHash }).from(schema.accountTokens);
    expect(left.map((row) => row.hash[0]).sort()).toEqual([3, 4]);
  });
});

describe("deleteDeliveredEmails", () => {
  async function insertEmail(
    id: string,
    status: "pending" | "sent" | "kept" | "failed",
    deliveredAt: Date | null,
    updatedAt: Date,
  ) {
    await database.sql`
      insert into email_messages (recipient, subject, text_body, html_body, template, status, delivered_at, updated_at)
      values ('a@example.com', ${id}, 't', 'h', 'test', ${status}, ${deliveredAt?.toISOString() ?? null}, ${updatedAt.toISOString()})`;
  }
  const subjects = async () =>
    (await database.sql<{ subject: string }[]>`select subject from email_messages order by subject`).map(
      (r) => r.subject,
    );
  afterEach(() => database.sql`delete from email_messages`);

  it("deletes sent and kept messages delivered before the retention, and failed ones last touched before it", async () => {
    await insertEmail("sent-old", "sent", ago(31 * DAY), ago(31 * DAY));
    await insertEmail("kept-old", "kept", ago(30 * DAY + 1), ago(30 * DAY + 1));
    await insertEmail("kept-exactly", "kept", ago(30 * DAY), ago(30 * DAY)); // retention ends after, not at, 30 days
    await insertEmail("sent-recent", "sent", ago(DAY), ago(DAY));
    await insertEmail("failed-old", "failed", null, ago(40 * DAY));
    await insertEmail("failed-recent", "failed", null, ago(DAY));
    // Never delivered: whatever its age, a pending message is still to be sent.
    await insertEmail("pending-old", "pending", null, ago(400 * DAY));

    expect(await deleteDeliveredEmails(database.db, 30 * DAY, now, { batchSize: 2 })).toBe(3);
    expect(await subjects()).toEqual(["failed-recent", "kept-exactly", "pending-old", "sent-recent"]);
    // 2 + 1: the short second batch shows nothing is left.
    expect(deleteStatements("email_messages")).toBe(2);
  });
});

describe("deleteFinishedWebhookDeliveries", () => {
  afterEach(() => database.sql`delete from webhook_endpoints`);

  it("deletes succeeded and dead deliveries finished before the retention, with their attempts; never pending ones", async () => {
    const [endpoint] = await database.sql<{ id: number }[]>`
      insert into webhook_endpoints (url, events, sealed_secret) values ('https://example.com/', '{user.created}', '\\x00')
      returning id`;
    const delivery = async (webhookId: string, status: string, finishedAt: Date | null) => {
      const [row] = await database.sql<{ id: string }[]>`
        insert into webhook_deliveries (endpoint_id, webhook_id, event_type, payload, status, finished_at)
        values (${endpoint?.id as number}, ${webhookId}, 'user.created', '{}', ${status}, ${finishedAt?.toISOString() ?? null})
        returning id`;
      await database.sql`insert into webhook_attempts (delivery_id, number, url) values (${row?.id as string}, 1, 'https://example.com/')`;
    };
    await delivery("succeeded-old", "succeeded", ago(31 * DAY));
    await delivery("dead-old", "dead", ago(30 * DAY + 1));
    await delivery("dead-exactly", "dead", ago(30 * DAY));
    await delivery("succeeded-recent", "succeeded", ago(DAY));
    await delivery("pending-old", "pending", null);
    await database.sql`update webhook_deliveries set created_at = ${ago(400 * DAY).toISOString()}`;

    expect(await deleteFinishedWebhookDeliveries(database.db, 30 * DAY, now, { batchSize: 2 })).toBe(2);
    const left = await database.sql<
      { webhook_id: string }[]
    >`select webhook_id from webhook_deliveries order by webhook_id`;
    expect(left.map((row) => row.webhook_id)).toEqual(["dead-exactly", "pending-old", "succeeded-recent"]);
    const [attempts] = await database.sql<{ n: number }[]>`select count(*)::int as n from webhook_attempts`;
    expect(attempts?.n).toBe(3);
  });
});

describe("deleteOldAuditEvents", () => {
  afterEach(() => database.sql`delete from audit_events`);

  it("deletes events older than the retention, oldest first in bounded batches, and keeps the rest", async () => {
    await database.sql`
      insert into audit_events (action, created_at)
      select 'old.' || g, ${ago(91 * DAY).toISOString()}::timestamptz - g * interval '1 second' from generate_series(1, 25) g`;
    await database.sql`insert into audit_events (action, created_at) values
      ('edge', ${ago(90 * DAY).toISOString()}), ('recent', ${ago(DAY).toISOString()})`;

    expect(await deleteOldAuditEvents(database.db, 90 * DAY, now, { batchSize: 10 })).toBe(25);
    expect(deleteStatements("audit_events")).toBe(3);
    const left = await database.sql<{ action: string }[]>`select action from audit_events order by action`;
    expect(left.map((row) => row.action)).toEqual(["edge", "recent"]);
  });

  it("stops between batches once aborted", async () => {
    await database.sql`insert into audit_events (action, created_at) values ('old', ${ago(400 * DAY).toISOString()})`;
    expect(await deleteOldAuditEvents(database.db, DAY, now, { signal: AbortSignal.abort() })).toBe(0);
    expect(await database.sql`select 1 from audit_events`).toHaveLength(1);
  });
});
