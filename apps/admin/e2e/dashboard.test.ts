import { schema } from "@inkwell/db";
import { SEED_PASSWORD, seed } from "@inkwell/db/seed";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSearch, signIn, trpcMutation } from "./support/admin.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const HOUR_MS = 3_600_000;
/** How long to wait for the page: the chart code is the biggest chunk, and the two cores are shared. */
const PATIENCE_MS = 60_000;
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: PATIENCE_MS, interval: 200 });
const DAY_MS = 24 * HOUR_MS;
const iso = (time: number) => new Date(time).toISOString();
const utcDay = (time: number) => iso(time).slice(0, 10);

/**
 * The dashboard as an operator uses it, in UTC (the browser's zone is what
 * the server counts days in; other zones are covered by the API tests):
 * the range picker, the charts' counts and axes, the layout at 1,440 px, and
 * the live feed with failures marked and identical events grouped.
 */
describe("the dashboard", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const now = Date.now();

  const sql = () => server.database.sql;
  const text = (testId: string) => page.getByTestId(testId).textContent();
  /** Audit events written as the audit middleware writes them, `ago` ms before now. */
  async function auditEvents(count: number, action: string, ago: number, details: Record<string, unknown>) {
    const createdAt = new Date(Date.now() - ago);
    await server.database.db
      .insert(schema.auditEvents)
      .values(Array.from({ length: count }, () => ({ action, ip: "198.51.100.9", details, createdAt })));
  }
  const failure = (code: string) => ({ outcome: "failure", error: { code, message: "refused" } });

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await seed(server.database.db, {
      users: 12,
      articles: 10,
      comments: 0,
      favorites: 0,
      follows: 0,
      tags: 5,
      tagsPerArticle: 2,
      seed: 5,
      reset: true,
    });
    await sql()`delete from audit_events`;
    // Failed sign-ins: 3 forty days ago (in 90 days only), 2 two days ago (in every range but today alone).
    await auditEvents(3, "auth.signIn", 40 * DAY_MS, failure("UNAUTHORIZED"));
    await auditEvents(2, "auth.signIn", 2 * DAY_MS, failure("UNAUTHORIZED"));
    await auditEvents(1, "auth.requestPasswordReset", 2 * DAY_MS, failure("TOO_MANY_REQUESTS"));
    // Moderation twenty days ago: in 30 and 90 days, not in 7.
    await auditEvents(4, "moderation.articles.hide", 20 * DAY_MS, { outcome: "success" });
    // Sign-ups: two forty days ago, one two days ago; articles with tags written recently.
    await sql()`update users set created_at = ${iso(now - 40 * DAY_MS)}::timestamptz where id in (
      select id from users where role = 'user' order by id limit 2)`;
    await sql()`update users set created_at = ${iso(now - 2 * DAY_MS)}::timestamptz where id in (
      select id from users where role = 'user' order by id offset 2 limit 1)`;
    await sql()`update articles set created_at = ${iso(now - 3 * DAY_MS)}::timestamptz`;
    context = await newContext(browser, { viewport: { width: 1440, height: 900 }, timezoneId: "UTC" });
    context.setDefaultTimeout(PATIENCE_MS);
    page = await context.newPage();
    await signIn(page, server.url, "admin@example.com", SEED_PASSWORD);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  }, 300_000);

  async function signUpsSince(days: number): Promise<number> {
    const start = `${utcDay(now - (days - 1) * DAY_MS)}T00:00:00Z`;
    const [row] = await sql()<
      { n: number }[]
    >`select count(*)::int as n from users where created_at >= ${start}::timestamptz`;
    return row?.n ?? -1;
  }

  it("changes every chart with the range picker, keeping the range in the URL", async () => {
    await page.goto(`${server.url}/`);
    // 30 days by default: the two failed sign-ins and the throttled call of two days ago, the four hides.
    await poll(() => text("security-total")).toBe("2 failed sign-ins · 1 throttled");
    expect(await text("moderation-total")).toBe("4 hidden · 0 restored · 0 deleted");
    expect(await text("sign-ups-total")).toContain(`${await signUpsSince(30)} sign-up`);
    expect(await text("dashboard-range")).toBe(
      `Totals now; per day from ${format(now - 29 * DAY_MS)} to ${format(now)} (UTC).`,
    );
    expect(await page.getByRole("radio", { name: "30 days" }).isChecked()).toBe(true);

    await page.getByText("7 days", { exact: true }).click();
    await expectSearch(page, { days: "7" });
    await poll(() => text("moderation-total")).toBe("0 hidden · 0 restored · 0 deleted");
    expect(await text("security-total")).toBe("2 failed sign-ins · 1 throttled");
    expect(await text("sign-ups-total")).toContain(`${await signUpsSince(7)} sign-up`);
    expect(await text("dashboard-range")).toContain(`from ${format(now - 6 * DAY_MS)} to ${format(now)}`);
    // The x axis shows the 7 days' bars: one per day in the sign-ups chart.
    await poll(() => page.getByTestId("chart-sign-ups").locator(".recharts-bar-rectangle").count()).toBe(7);

    await page.getByText("90 days", { exact: true }).click();
    await expectSearch(page, { days: "90" });
    await poll(() => text("security-total")).toBe("5 failed sign-ins · 1 throttled");
    expect(await text("moderation-total")).toBe("4 hidden · 0 restored · 0 deleted");
    expect(await text("sign-ups-total")).toContain(`${await signUpsSince(90)} sign-up`);
    await poll(() => page.getByTestId("chart-sign-ups").locator(".recharts-bar-rectangle").count()).toBe(90);

    // A reload, or a shared link, shows the same range.
    await page.reload();
    await poll(() => text("security-total")).toBe("5 failed sign-ins · 1 throttled");
    expect(await page.getByRole("radio", { name: "90 days" }).isChecked()).toBe(true);

    // A custom range: today alone, picked on the calendar.
    await page.getByText("Custom", { exact: true }).click();
    await page.getByRole("button", { name: "Custom range" }).click();
    const today = new Date(now);
    const todayLabel = `${today.getUTCDate()} ${today.toLocaleString("en-GB", { month: "long", timeZone: "UTC" })} ${today.getUTCFullYear()}`;
    await page.getByRole("button", { name: todayLabel, exact: true }).click();
    await page.getByRole("button", { name: todayLabel, exact: true }).click();
    await expectSearch(page, { from: utcDay(now), to: utcDay(now) });
    expect(new URL(page.url()).searchParams.has("days")).toBe(false);
    await poll(() => text("security-total")).toBe("0 failed sign-ins · 0 throttled");
    expect(await text("dashboard-range")).toContain(`from ${format(now)} to ${format(now)}`);

    // A custom range from a link: the day of the three failed sign-ins forty days ago.
    const fortyDaysAgo = utcDay(now - 40 * DAY_MS);
    await page.goto(`${server.url}/?from=${fortyDaysAgo}&to=${fortyDaysAgo}`);
    await poll(() => text("security-total")).toBe("3 failed sign-ins · 0 throttled");
    const dayStart = Date.parse(`${fortyDaysAgo}T00:00:00Z`);
    const [signUps] = await sql()<{ n: number }[]>`select count(*)::int as n from users
      where created_at >= ${iso(dayStart)}::timestamptz and created_at < ${iso(dayStart + DAY_MS)}::timestamptz`;
    expect(signUps?.n).toBeGreaterThanOrEqual(2);
    expect(await text("sign-ups-total")).toBe(`${signUps?.n} sign-ups`);
    expect(await page.getByRole("radio", { name: "Custom" }).isChecked()).toBe(true);
    await screenshot(page, "dashboard-custom-range");

    // A range the server refuses (it ends in the future): its reason, and the picker to choose another.
    const tomorrow = utcDay(now + DAY_MS);
    await page.goto(`${server.url}/?from=${utcDay(now)}&to=${tomorrow}`);
    await poll(() => page.getByRole("alert").first().textContent()).toContain(
      `to: The range ends in the future: ${tomorrow} is after today (${utcDay(now)} in UTC).`,
    );
    await page.getByText("7 days", { exact: true }).click();
    await poll(() => text("security-total")).toBe("2 failed sign-ins · 1 throttled");
    expect(await page.getByRole("alert").count()).toBe(0);
  }, 300_000);

  it("labels count axes with whole numbers only", async () => {
    await page.goto(`${server.url}/?days=90`);
    await poll(() => text("security-total")).toBe("5 failed sign-ins · 1 throttled");
    for (const chart of ["chart-security", "chart-moderation", "chart-sign-ups", "chart-activity"]) {
      const ticks = page.getByTestId(chart).locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value");
      await poll(() => ticks.count()).toBeGreaterThan(1);
      const labels = await ticks.allTextContents();
      expect(labels, chart).toEqual(labels.map((label) => label.match(/^\d[\d,]*$/)?.[0]));
    }
    const tagTicks = page
      .getByTestId("chart-tags")
      .locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value");
    await poll(() => tagTicks.count()).toBeGreaterThan(1);
    for (const label of await tagTicks.allTextContents()) expect(label).toMatch(/^\d[\d,]*$/);
  }, 300_000);

  it("fills the width at 1,440 px: two columns of cards, no card much taller than its neighbour", async () => {
    await page.goto(`${server.url}/`);
    await poll(() => text("security-total")).toBe("2 failed sign-ins · 1 throttled");
    await page.locator(".recharts-surface").first().waitFor();
    await poll(() => page.getByTestId("live-status").textContent()).toBe("Live");
    // Each card: where it is, and the empty space under its content (the grid stretches a row to its tallest card).
    const cards = await page.getByTestId("dashboard-grid").evaluate((grid) =>
      [...grid.children].map((card) => {
        const box = card.getBoundingClientRect();
        const contentBottom = Math.max(...[...card.children].map((child) => child.getBoundingClientRect().bottom));
        return { x: Math.round(box.x), y: Math.round(box.y), width: box.width, blank: box.bottom - contentBottom };
      }),
    );
    expect(cards).toHaveLength(6);
    expect(new Set(cards.map((card) => card.x)).size).toBe(2);
    for (const [index, card] of cards.entries()) {
      expect(card.width, `card ${index + 1}`).toBeGreaterThan(450);
      // The card's padding is 16 px; more than 64 px below it would be a gap an operator notices.
      expect(card.blank, `card ${index + 1}`).toBeLessThan(16 + 64);
      if (index % 2 === 1) expect(card.y).toBe(cards[index - 1]?.y);
    }
    await screenshot(page, "dashboard-1440");

    // On a phone: one column, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "dashboard-phone");
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 300_000);

  it("marks failures in the live feed and groups 60 identical sign-ins into one row", async () => {
    await page.goto(`${server.url}/`);
    await poll(() => page.getByTestId("live-status").textContent()).toBe("Live");
    const [user] = await sql()<{ id: number; username: string; email: string }[]>`
      select id, username, email from users where role = 'user' order by id desc limit 1`;
    if (!user) throw new Error("the seed has no user");

    // 60 identical sign-ins, as a script signing in over and over writes them, arriving live.
    const signIn = {
      actorId: user.id,
      actorUsername: user.username,
      action: "auth.signIn",
      targetType: "user",
      targetId: String(user.id),
      ip: "203.0.113.5",
      details: { outcome: "success", input: { email: user.email } },
    };
    await server.database.db.insert(schema.auditEvents).values(Array.from({ length: 60 }, () => signIn));
    const feedRows = page.getByLabel("Recent activity").getByTestId("activity-row");
    await poll(() => feedRows.first().textContent()).toContain(`auth.signInuser ${user.id}×60`);
    expect(await feedRows.first().textContent()).toContain("60 identical since");
    const sixtySignIns = new RegExp(`^auth\\.signInuser ${user.id}(?!\\d)`);
    expect(await feedRows.filter({ hasText: sixtySignIns }).count()).toBe(1);

    // A real failed sign-in, and a throttled and a refused call, each marked.
    const failed = await trpcMutation(server.url, "auth.signIn", { email: user.email, password: "not the password" });
    expect(failed.status).toBe(401);
    await auditEvents(1, "auth.requestPasswordReset", 0, failure("TOO_MANY_REQUESTS"));
    await auditEvents(1, "users.suspend", 0, failure("FORBIDDEN"));
    await poll(() => feedRows.nth(2).getAttribute("data-failure")).toBe("failedSignIn");
    expect(await feedRows.nth(0).getAttribute("data-failure")).toBe("refused");
    expect(await feedRows.nth(1).getAttribute("data-failure")).toBe("throttled");
    expect(await feedRows.nth(3).getAttribute("data-failure")).toBeNull();
    expect(await feedRows.nth(0).getByTestId("activity-failure").textContent()).toBe("refused");
    expect(await feedRows.nth(1).getByTestId("activity-failure").textContent()).toBe("throttled");
    expect(await feedRows.nth(2).getByTestId("activity-failure").textContent()).toBe("failed sign-in");
    expect(await feedRows.nth(3).textContent()).toContain("×60");
    await screenshot(page, "dashboard-feed");

    // Loaded afresh, the feed groups them the same way.
    await page.reload();
    await poll(() => feedRows.nth(3).textContent()).toContain("×60");
    expect(await feedRows.filter({ hasText: "×60" }).count()).toBe(1);
  }, 300_000);
});

/** How the page writes a day: "Nov 30, 2026". */
function format(time: number): string {
  return new Date(time).toLocaleDateString("en-US", {
    month: "short",
    day: "numeric",
    year: "numeric",
    timeZone: "UTC",
  });
}
