import { schema } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { days } from "../auth/settings.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";
import { addDays, todayIn } from "./dashboard-range-input.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const DAY_MS = days(1);
const utcDate = (time: number) => new Date(time).toISOString().slice(0, 10);
const zeros = { failedSignIns: 0, throttled: 0, hidden: 0, restored: 0, deleted: 0 };

/** Noon UTC `ago` days before today: inside that UTC day whatever the time now. */
function noonDaysAgo(ago: number): Date {
  const today = new Date();
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - ago, 12));
}

async function admin() {
  const { token } = await h.signedIn("admin");
  return h.as({ bearer: token });
}

/** One audit event as the audit middleware writes it, at `createdAt`. */
function event(createdAt: string, action: string, details: Record<string, unknown>) {
  return { action, actorId: null, ip: "198.51.100.7", details, createdAt: new Date(createdAt) };
}
const success = { outcome: "success" };
const failure = (code: string) => ({ outcome: "failure", error: { code, message: "refused" } });

describe("dashboard.summary", () => {
  it("totals everything and counts activity per UTC day over 30 days, zeros included", async () => {
    const { user: moderator, token } = await h.signedIn("moderator");
    await expectTRPCError(
      (await h.as()).auth.signIn({ email: moderator.email, password: "wrong password" }),
      "UNAUTHORIZED",
    );
    const db = h.database.db;
    const [old] = await db
      .insert(schema.users)
      .values({ username: "old", email: "old@example.com", passwordHash: "x", createdAt: noonDaysAgo(5) })
      .returning();
    if (!old) throw new Error("no user");
    const [article] = await db
      .insert(schema.articles)
      .values([
        { slug: "today", title: "t", description: "d", body: "b", authorId: old.id },
        { slug: "three", title: "t", description: "d", body: "b", authorId: old.id, createdAt: noonDaysAgo(3) },
        { slug: "before", title: "t", description: "d", body: "b", authorId: old.id, createdAt: noonDaysAgo(30) },
      ])
      .returning();
    if (!article) throw new Error("no article");
    await db.insert(schema.comments).values([
      { articleId: article.id, authorId: moderator.id, body: "1" },
      { articleId: article.id, authorId: old.id, body: "2" },
      { articleId: article.id, authorId: old.id, body: "3", createdAt: noonDaysAgo(29) },
    ]);
    await db.insert(schema.sessions).values({
      id: "idle-session",
      secretHash: new Uint8Array(32),
      userId: old.id,
      lastVerifiedAt: new Date(Date.now() - days(11)),
    });

    const caller = await h.as({ bearer: token });
    const { result: summary, statements } = await h.recordQueries(() => caller.dashboard.summary());
    expect(statements.length).toBeLessThanOrEqual(3);

    expect(summary.totals).toEqual({ users: 2, articles: 3, comments: 3, activeSessions: 1, blockedNow: 0 });
    expect(summary.range).toEqual({
      from: utcDate(Date.now() - 29 * DAY_MS),
      to: utcDate(Date.now()),
      timeZone: "UTC",
    });
    expect(summary.days).toHaveLength(30);
    const now = Date.now();
    expect(summary.days.map((day) => day.date)).toEqual(
      Array.from({ length: 30 }, (_, i) => utcDate(now - (29 - i) * DAY_MS)),
    );
    const byDate = new Map(summary.days.map(({ date, ...counts }) => [date, counts]));
    expect(byDate.get(utcDate(now))).toEqual({
      ...zeros,
      signUps: 1,
      articles: 1,
      comments: 2,
      signIns: 1,
      failedSignIns: 1,
    });
    expect(byDate.get(utcDate(now - 3 * DAY_MS))).toEqual({
      ...zeros,
      signUps: 0,
      articles: 1,
      comments: 0,
      signIns: 0,
    });
    expect(byDate.get(utcDate(now - 5 * DAY_MS))).toEqual({
      ...zeros,
      signUps: 1,
      articles: 0,
      comments: 0,
      signIns: 0,
    });
    expect(byDate.get(utcDate(now - 29 * DAY_MS))).toEqual({
      ...zeros,
      signUps: 0,
      articles: 0,
      comments: 1,
      signIns: 0,
    });
    const activeDays = summary.days.filter((day) =>
      Object.entries(day).some(([key, value]) => key !== "date" && value !== 0),
    );
    expect(activeDays).toHaveLength(4);
    expect(summary.tags).toEqual([]);
  });

  it("shows the last 7, 30 or 90 days ending today in the caller's time zone", async () => {
    const caller = await admin();
    for (const length of [7, 30, 90]) {
      const summary = await caller.dashboard.summary({ days: length });
      expect(summary.days).toHaveLength(length);
      expect(summary.range).toEqual({
        from: utcDate(Date.now() - (length - 1) * DAY_MS),
        to: utcDate(Date.now()),
        timeZone: "UTC",
      });
      expect(summary.days.at(-1)?.date).toBe(utcDate(Date.now()));
    }
    // UTC+14: often already tomorrow there. The zone's name is taken in any case and given back canonical.
    const kiribati = await caller.dashboard.summary({ days: 7, timeZone: "pacific/kiritimati" });
    const today = todayIn("Pacific/Kiritimati");
    expect(kiribati.range).toEqual({ from: addDays(today, -6), to: today, timeZone: "Pacific/Kiritimati" });
    expect(kiribati.days.map((day) => day.date)).toEqual(Array.from({ length: 7 }, (_, i) => addDays(today, i - 6)));
  });

  it("counts the throttle counters blocked right now, not those whose block ended", async () => {
    const caller = await admin();
    const before = (await caller.dashboard.summary({ days: 7 })).totals.blockedNow;
    await h.database.db.insert(schema.throttleCounters).values([
      { key: "signin:ip:203.0.113.1", hits: 9, blockedUntil: new Date(Date.now() + 60_000) },
      { key: "signin:account:someone@example.com", hits: 9, blockedUntil: new Date(Date.now() + 3_600_000) },
      { key: "signin:ip:203.0.113.2", hits: 9, blockedUntil: new Date(Date.now() - 1_000) },
      { key: "signin:ip:203.0.113.3", hits: 1, blockedUntil: null },
    ]);
    expect((await caller.dashboard.summary({ days: 7 })).totals.blockedNow).toBe(before + 2);
  });

  describe("counts a seeded set of events exactly, in the time zone asked for", () => {
    // New York, around the start of daylight saving time (2026-03-08, a 23-hour day).
    // Days run from midnight (included) to the next midnight (excluded): 2026-03-07 starts at 05:00Z,
    // 2026-03-09 at 04:00Z, and the range ends at 2026-03-10 04:00Z.
    const range = { from: "2026-03-07", to: "2026-03-09", timeZone: "America/New_York" };

    beforeAll(async () => {
      const db = h.database.db;
      await db.insert(schema.auditEvents).values([
        // Just before the range: not counted.
        event("2026-03-07T04:59:59.999Z", "auth.signIn", failure("UNAUTHORIZED")),
        // 2026-03-07, from its first millisecond.
        event("2026-03-07T05:00:00.000Z", "auth.signIn", failure("UNAUTHORIZED")),
        event("2026-03-07T06:00:00.000Z", "auth.signIn", failure("FORBIDDEN")),
        event("2026-03-07T07:00:00.000Z", "auth.signIn", failure("TOO_MANY_REQUESTS")),
        event("2026-03-07T08:00:00.000Z", "auth.requestPasswordReset", failure("TOO_MANY_REQUESTS")),
        event("2026-03-07T09:00:00.000Z", "auth.signIn", success),
        event("2026-03-07T09:00:01.000Z", "auth.signIn", { ...success, twoFactorRequired: true }),
        event("2026-03-07T09:00:02.000Z", "auth.signIn2fa", success),
        event("2026-03-07T09:00:03.000Z", "auth.passkeys.signIn", success),
        event("2026-03-07T09:00:04.000Z", "auth.signUp", success),
        // 2026-03-08, up to its last millisecond (23:59:59.999 EDT is 03:59:59.999Z the next day).
        event("2026-03-08T12:00:00.000Z", "moderation.articles.hide", success),
        event("2026-03-08T12:00:01.000Z", "moderation.comments.hide", success),
        event("2026-03-08T12:00:02.000Z", "moderation.articles.hide", failure("NOT_FOUND")),
        event("2026-03-08T12:00:03.000Z", "moderation.articles.restore", success),
        event("2026-03-08T12:00:04.000Z", "users.suspend", success),
        event("2026-03-09T03:59:59.999Z", "moderation.comments.delete", success),
        // 2026-03-09, up to the range's end (excluded).
        event("2026-03-09T04:00:00.000Z", "moderation.articles.delete", success),
        event("2026-03-10T03:59:59.999Z", "auth.signIn2fa", failure("UNAUTHORIZED")),
        event("2026-03-10T04:00:00.000Z", "auth.signIn", failure("UNAUTHORIZED")),
      ]);
      const [author] = await db
        .insert(schema.users)
        .values([
          {
            username: "dst-early",
            email: "dst-early@example.com",
            passwordHash: "x",
            createdAt: new Date("2026-03-07T04:59:59.999Z"),
          },
          {
            username: "dst-first",
            email: "dst-first@example.com",
            passwordHash: "x",
            createdAt: new Date("2026-03-07T05:00:00.000Z"),
          },
          {
            username: "dst-last",
            email: "dst-last@example.com",
            passwordHash: "x",
            createdAt: new Date("2026-03-10T03:59:59.999Z"),
          },
          {
            username: "dst-after",
            email: "dst-after@example.com",
            passwordHash: "x",
            createdAt: new Date("2026-03-10T04:00:00.000Z"),
          },
        ])
        .returning();
      if (!author) throw new Error("no user");
      const at = (time: string) => ({ description: "d", body: "b", authorId: author.id, createdAt: new Date(time) });
      const written = await db
        .insert(schema.articles)
        .values([
          { slug: "dst-before", title: "t", ...at("2026-03-07T04:59:59.999Z") },
          { slug: "dst-1", title: "t", ...at("2026-03-07T05:00:00.000Z") },
          { slug: "dst-2", title: "t", ...at("2026-03-08T20:00:00.000Z") },
          { slug: "dst-3", title: "t", ...at("2026-03-10T03:59:59.999Z") },
          { slug: "dst-after", title: "t", ...at("2026-03-10T04:00:00.000Z") },
        ])
        .returning();
      const tagRows = await db
        .insert(schema.tags)
        .values([{ name: "spring" }, { name: "clocks" }, { name: "autumn" }])
        .returning();
      const tagId = (name: string) => tagRows.find((tag) => tag.name === name)?.id ?? 0;
      const articleId = (slug: string) => written.find((article) => article.slug === slug)?.id ?? 0;
      await db.insert(schema.articleTags).values([
        // Out of the range: only "autumn" and one more "spring" there.
        { articleId: articleId("dst-before"), tagId: tagId("autumn") },
        { articleId: articleId("dst-before"), tagId: tagId("spring") },
        { articleId: articleId("dst-after"), tagId: tagId("autumn") },
        { articleId: articleId("dst-1"), tagId: tagId("spring") },
        { articleId: articleId("dst-1"), tagId: tagId("clocks") },
        { articleId: articleId("dst-2"), tagId: tagId("spring") },
        { articleId: articleId("dst-3"), tagId: tagId("clocks") },
        { articleId: articleId("dst-3"), tagId: tagId("spring") },
      ]);
    });

    it("buckets by the zone's days: first millisecond included, the next midnight excluded", async () => {
      const caller = await admin();
      const summary = await caller.dashboard.summary(range);
      expect(summary.range).toEqual(range);
      expect(summary.days).toEqual([
        {
          date: "2026-03-07",
          signUps: 1,
          articles: 1,
          comments: 0,
          // signIn, signIn2fa and passkeys.signIn; the password step of a two-factor sign-in opens no session.
          signIns: 3,
          // Wrong password and a suspended account; the throttled one is counted as throttled only.
          failedSignIns: 2,
          // Any procedure refused as too many: the sign-in and the password reset.
          throttled: 2,
          hidden: 0,
          restored: 0,
          deleted: 0,
        },
        {
          date: "2026-03-08",
          signUps: 0,
          articles: 1,
          comments: 0,
          signIns: 0,
          failedSignIns: 0,
          throttled: 0,
          // Successful moderation only: the failed hide does not count, users.suspend is not content moderation.
          hidden: 2,
          restored: 1,
          deleted: 1,
        },
        {
          date: "2026-03-09",
          signUps: 1,
          articles: 1,
          comments: 0,
          signIns: 0,
          failedSignIns: 1,
          throttled: 0,
          hidden: 0,
          restored: 0,
          deleted: 1,
        },
      ]);
      expect(summary.tags).toEqual([
        { name: "spring", articles: 3 },
        { name: "clocks", articles: 2 },
      ]);
    });

    it("gives the same events other days in UTC", async () => {
      const caller = await admin();
      const summary = await caller.dashboard.summary({ from: "2026-03-07", to: "2026-03-09" });
      expect(summary.range).toEqual({ from: "2026-03-07", to: "2026-03-09", timeZone: "UTC" });
      const totals = (key: "failedSignIns" | "deleted" | "signUps" | "articles") => summary.days.map((day) => day[key]);
      // 04:59:59.999Z is still 2026-03-07 in UTC; 2026-03-10 events fall out.
      expect(totals("failedSignIns")).toEqual([3, 0, 0]);
      expect(totals("deleted")).toEqual([0, 0, 2]);
      expect(totals("signUps")).toEqual([2, 0, 0]);
      expect(totals("articles")).toEqual([2, 1, 0]);
      expect(summary.tags).toEqual([
        { name: "spring", articles: 3 },
        { name: "autumn", articles: 1 },
        { name: "clocks", articles: 1 },
      ]);
    });

    it("counts a one-day range, and shows days without events as zeros", async () => {
      const caller = await admin();
      const summary = await caller.dashboard.summary({
        from: "2026-03-08",
        to: "2026-03-08",
        timeZone: "America/New_York",
      });
      expect(summary.days.map((day) => [day.date, day.hidden])).toEqual([["2026-03-08", 2]]);
      const quiet = await caller.dashboard.summary({ from: "2025-01-01", to: "2025-01-03" });
      expect(quiet.days).toEqual(
        ["2025-01-01", "2025-01-02", "2025-01-03"].map((date) => ({
          date,
          signUps: 0,
          articles: 0,
          comments: 0,
          signIns: 0,
          ...zeros,
        })),
      );
      expect(quiet.tags).toEqual([]);
    });
  });

  describe("refuses hostile ranges with a message naming the field", () => {
    const tomorrowUtc = () => addDays(todayIn("UTC"), 1);
    const cases: [string, () => Record<string, unknown>, string, string][] = [
      [
        "a range that starts after it ends",
        () => ({ from: "2026-03-09", to: "2026-03-07" }),
        "from",
        "The range starts (2026-03-09) after it ends (2026-03-07): swap the two days.",
      ],
      ["a range without its end", () => ({ from: "2026-03-09" }), "to", "A custom range needs its last day too (to)."],
      [
        "a range without its start",
        () => ({ to: "2026-03-09" }),
        "from",
        "A custom range needs its first day too (from).",
      ],
      [
        "a preset and a custom range at once",
        () => ({ days: 7, from: "2026-03-01", to: "2026-03-02" }),
        "days",
        "Choose the last N days or a custom range (from and to), not both.",
      ],
      [
        "a range ending tomorrow",
        () => ({ from: todayIn("UTC"), to: tomorrowUtc() }),
        "to",
        `The range ends in the future: ${tomorrowUtc()} is after today (${todayIn("UTC")} in UTC).`,
      ],
      [
        "a range far in the future",
        () => ({ from: "9999-12-30", to: "9999-12-31" }),
        "to",
        `The range ends in the future: 9999-12-31 is after today (${todayIn("UTC")} in UTC).`,
      ],
      [
        "a range of 367 days",
        () => ({ from: "2024-01-01", to: "2025-01-01" }),
        "from",
        "A range spans at most 366 days; 2024-01-01 to 2025-01-01 spans 367.",
      ],
      [
        "a range before 2000",
        () => ({ from: "1999-12-31", to: "2000-01-01" }),
        "from",
        "Ranges start on 2000-01-01 or later.",
      ],
      [
        "a day that does not exist",
        () => ({ from: "2026-02-29", to: "2026-03-01" }),
        "from",
        "Use a calendar day written YYYY-MM-DD, e.g. 2026-11-30.",
      ],
      [
        "a day in another format",
        () => ({ from: "03/01/2026", to: "2026-03-02" }),
        "from",
        "Use a calendar day written YYYY-MM-DD, e.g. 2026-11-30.",
      ],
      [
        "a time of day",
        () => ({ from: "2026-03-01T00:00:00Z", to: "2026-03-02" }),
        "from",
        "Use a calendar day written YYYY-MM-DD, e.g. 2026-11-30.",
      ],
      ["no days", () => ({ days: 0 }), "days", "Show at least 1 day."],
      ["negative days", () => ({ days: -30 }), "days", "Show at least 1 day."],
      ["too many days", () => ({ days: 367 }), "days", "Show at most 366 days."],
      ["a huge number of days", () => ({ days: 1e308 }), "days", "Show at most 366 days."],
      ["half a day", () => ({ days: 1.5 }), "days", "Count whole days."],
      [
        "an unknown time zone",
        () => ({ timeZone: "Mars/Olympus_Mons" }),
        "timeZone",
        'Unknown time zone "Mars/Olympus_Mons": use an IANA name, e.g. Europe/Berlin or UTC.',
      ],
      [
        "a custom range in an unknown time zone",
        () => ({ from: "2026-03-01", to: "2026-03-02", timeZone: "Mars/Olympus_Mons" }),
        "timeZone",
        'Unknown time zone "Mars/Olympus_Mons": use an IANA name, e.g. Europe/Berlin or UTC.',
      ],
      [
        "a path as the time zone",
        () => ({ timeZone: "../../etc/passwd" }),
        "timeZone",
        "Use an IANA time zone name, e.g. Europe/Berlin or UTC.",
      ],
      [
        "SQL as the time zone",
        () => ({ timeZone: "UTC'; drop table users; --" }),
        "timeZone",
        "Use an IANA time zone name, e.g. Europe/Berlin or UTC.",
      ],
      [
        "an empty time zone",
        () => ({ timeZone: " " }),
        "timeZone",
        "Name a time zone, e.g. Europe/Berlin, or leave it out for UTC.",
      ],
      ["a long time zone", () => ({ timeZone: `Europe/${"a".repeat(60)}` }), "timeZone", "Use at most 64 characters."],
    ];

    it.each(cases)("refuses %s", async (_, input, field, message) => {
      const caller = await admin();
      const error = await expectTRPCError(caller.dashboard.summary(input() as never), "BAD_REQUEST");
      expect(error.cause).toBeInstanceOf(ZodError);
      const issues = (error.cause as ZodError).issues;
      expect(issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([[field, message]]);
    });

    it("refuses text PostgreSQL cannot store, and wrong types", async () => {
      const caller = await admin();
      await expectTRPCError(caller.dashboard.summary({ timeZone: "UTC\u0000" }), "BAD_REQUEST");
      await expectTRPCError(caller.dashboard.summary({ days: "30" } as never), "BAD_REQUEST");
      await expectTRPCError(caller.dashboard.summary({ from: 20260301, to: 20260302 } as never), "BAD_REQUEST");
      await expectTRPCError(caller.dashboard.summary("last week" as never), "BAD_REQUEST");
    });

    it("lets only callers with dashboard:read in", async () => {
      await expectTRPCError((await h.as()).dashboard.summary(), "UNAUTHORIZED");
      const { token } = await h.signedIn("user");
      await expectTRPCError((await h.as({ bearer: token })).dashboard.summary({ days: 7 }), "FORBIDDEN");
    });
  });
});
