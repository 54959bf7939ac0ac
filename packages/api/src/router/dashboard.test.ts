import { schema } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { days } from "../auth/settings.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const DAY_MS = days(1);
const utcDate = (time: number) => new Date(time).toISOString().slice(0, 10);

/** Noon UTC `ago` days before today: inside that UTC day whatever the time now. */
function noonDaysAgo(ago: number): Date {
  const today = new Date();
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - ago, 12));
}

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
    expect(statements.length).toBeLessThanOrEqual(2);

    expect(summary.totals).toEqual({ users: 2, articles: 3, comments: 3, activeSessions: 1 });
    expect(summary.days).toHaveLength(30);
    const now = Date.now();
    expect(summary.days.map((day) => day.date)).toEqual(
      Array.from({ length: 30 }, (_, i) => utcDate(now - (29 - i) * DAY_MS)),
    );
    const byDate = new Map(summary.days.map(({ date, ...counts }) => [date, counts]));
    expect(byDate.get(utcDate(now))).toEqual({ signUps: 1, articles: 1, comments: 2, signIns: 1 });
    expect(byDate.get(utcDate(now - 3 * DAY_MS))).toEqual({ signUps: 0, articles: 1, comments: 0, signIns: 0 });
    expect(byDate.get(utcDate(now - 5 * DAY_MS))).toEqual({ signUps: 1, articles: 0, comments: 0, signIns: 0 });
    expect(byDate.get(utcDate(now - 29 * DAY_MS))).toEqual({ signUps: 0, articles: 0, comments: 1, signIns: 0 });
    const activeDays = summary.days.filter((day) => day.signUps + day.articles + day.comments + day.signIns > 0);
    expect(activeDays).toHaveLength(4);
  });
});
