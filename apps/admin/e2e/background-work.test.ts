import { hashPassword } from "@inkwell/auth";
import { type SmtpReceiver, startSmtpReceiver } from "@inkwell/server/testing/smtp";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { poll, signIn } from "./support/admin.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const ADMIN = { email: "admin@example.com", password: "admin password 1" };

/** A REST call as a RealWorld client makes it. */
async function rest<T>(url: string, path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${url}/api${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Token ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as T;
}

/**
 * An account made in the database, signed in over REST: registering would email
 * a verification link too, and this test follows exactly one email.
 */
async function registerUser(server: TestServer, username: string): Promise<string> {
  const email = `${username}@example.com`;
  const password = "a long enough password";
  await server.database.sql`insert into users (username, email, password_hash, email_verified_at)
    values (${username}, ${email}, ${await hashPassword(password)}, now())`;
  const { user } = await rest<{ user: { token: string } }>(server.url, "/users/login", { user: { email, password } });
  return user.token;
}

/** Jobs and Outbox pages, driven in Chromium against a server that emails through a real SMTP receiver. */
describe("the Jobs and Outbox pages", () => {
  let receiver: SmtpReceiver;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let slug: string;
  let readerToken: string;

  beforeAll(async () => {
    receiver = await startSmtpReceiver();
    // Refuses until the operator has looked at the failure and retried.
    let accepting = false;
    receiver.beforeAccept = async () => {
      if (!accepting) throw new Error("Mailbox busy, try again later");
    };
    [server, browser] = await Promise.all([startTestServer({ SMTP_URL: receiver.url }), launchBrowser()]);
    const author = await registerUser(server, "author");
    readerToken = await registerUser(server, "reader");
    const { article } = await rest<{ article: { slug: string } }>(
      server.url,
      "/articles",
      { article: { title: "Queues in PostgreSQL", description: "d", body: "b", tagList: [] } },
      author,
    );
    slug = article.slug;
    await rest(server.url, `/articles/${slug}/comments`, { comment: { body: "Why not Redis?" } }, readerToken);
    // The failed attempt then waits out a long backoff, as after several failures: only the operator retries it.
    await vi.waitFor(
      async () => {
        const failed = await server.database.sql`select 1 from graphile_worker.jobs where last_error is not null`;
        if (failed.length !== 1) throw new Error("the first attempt has not failed yet");
      },
      { timeout: 10_000, interval: 100 },
    );
    await server.database.sql`update graphile_worker._private_jobs set run_at = now() + interval '1 hour'`;
    accepting = true;
    receiver.beforeAccept = async () => {};
    context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signIn(page, server.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await receiver?.close();
  });

  it("shows the queue by task and a failure with its error, and retries it", async () => {
    await page.getByRole("link", { name: "Jobs" }).click();
    const queue = page.getByRole("table", { name: "Queue depth" });
    const emailRow = queue.getByRole("row").filter({ hasText: "email.send" });
    await poll(() => emailRow.locator("td").allTextContents()).toEqual(["email.send", "0", "1", "0", "0"]);
    await poll(() => page.getByTestId("job-workers").textContent()).toMatch(/^1 worker process: .+:\d+ \(seen /);
    // "seen … ago" carries the exact time (shown on hover), as every relative date of the console does.
    expect(await page.getByTestId("job-workers").locator("time").getAttribute("datetime")).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/,
    );

    const failures = page.getByRole("table", { name: "Job failures" });
    const failure = failures.getByRole("row").filter({ hasText: "email.send" });
    await poll(() => failure.locator("td").nth(1).textContent()).toBe("retrying");
    expect(await failure.locator("td").nth(2).textContent()).toBe("1 / 10");
    const jobId = Number((await failure.locator("td").first().textContent())?.match(/#(\d+)/)?.[1]);
    await page.getByRole("button", { name: `Error of job ${jobId}` }).click();
    await poll(() => page.getByRole("dialog").textContent()).toContain("Mailbox busy, try again later");
    await screenshot(page, "jobs-failure");
    await page.keyboard.press("Escape");

    // The filter lives in the URL: out of attempts, there is nothing.
    await page.getByText("Out of attempts").click();
    await poll(() => new URL(page.url()).searchParams.get("state")).toBe("failed");
    await poll(() => failures.textContent()).toContain("No failures");
    await page.getByText("All", { exact: true }).click();

    await page.getByRole("button", { name: `Retry job ${jobId}` }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.textContent()).toContain(`Retry job #${jobId}?`);
    await dialog.getByRole("button", { name: "Retry now" }).click();
    await poll(() => page.getByText(`Job #${jobId} (email.send) will run again now.`).isVisible()).toBe(true);
    await poll(() => receiver.accepted.length).toBe(1);
    await poll(() => failures.textContent()).toContain("No failures");
    const [event] = await server.database.sql`
      select target_id, details->>'outcome' as outcome from audit_events where action = 'jobs.retry'`;
    expect(event).toEqual({ target_id: String(jobId), outcome: "success" });
    await screenshot(page, "jobs");
  });

  it("lists the email in the Outbox with its status and attempts, and opens its text", async () => {
    await page.getByRole("link", { name: "Outbox" }).click();
    const table = page.getByRole("table", { name: "Emails" });
    const row = table.getByRole("row").filter({ hasText: "author@example.com" });
    await poll(() => row.locator("td").allTextContents()).toEqual([
      "author@example.com",
      "reader commented on “Queues in PostgreSQL”",
      "sent",
      "2",
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/),
      "",
    ]);
    expect(await page.getByTestId("table-range").textContent()).toBe("1–1 of 1 email");
    await row.getByRole("button", { name: /^Open email \d+$/ }).click();
    await poll(() => page.getByTestId("email-text").textContent()).toContain("> Why not Redis?");
    expect(await page.getByRole("dialog").textContent()).toContain("2 attempts");
    await screenshot(page, "outbox-email");
    await page.keyboard.press("Escape");
  });

  it("fits a phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const [path, table] of [
        ["/jobs", "Queue depth"],
        ["/outbox", "Emails"],
      ] as const) {
        await page.goto(`${server.url}${path}`);
        await page.getByRole("table", { name: table }).locator("tbody tr").first().waitFor();
        // Wide tables scroll inside their frame; the page itself does not.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await screenshot(page, `${path.slice(1)}-phone`);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it("hides both pages from a plain user, whose account page has the opt-out the email links to", async () => {
    const userContext = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    try {
      const userPage = await userContext.newPage();
      await signIn(userPage, server.url, "author@example.com", "a long enough password");
      const nav = userPage.getByRole("navigation");
      expect(await nav.getByRole("link", { name: "Jobs" }).count()).toBe(0);
      expect(await nav.getByRole("link", { name: "Outbox" }).count()).toBe(0);
      // The console's forbidden page names the permission (apps/admin/src/components/forbidden.tsx).
      await userPage.goto(`${server.url}/jobs`);
      await poll(() => userPage.getByTestId("forbidden-page").textContent()).toContain(
        "It needs the “jobs:manage” permission",
      );
      await userPage.goto(`${server.url}/outbox`);
      await poll(() => userPage.getByTestId("forbidden-page").textContent()).toContain(
        "It needs the “outbox:read” permission",
      );

      await userPage.goto(`${server.url}/account`);
      const optIn = userPage.getByRole("switch", { name: "Email me when someone comments on my articles" });
      await poll(() => optIn.isChecked()).toBe(true);
      await optIn.click();
      await poll(() => userPage.getByText("Comment emails are off.").isVisible()).toBe(true);
      const [author] = await server.database.sql`select notify_on_comment from users where username = 'author'`;
      expect(author?.notify_on_comment).toBe(false);
      // The reader comments again: the author opted out, so no second email.
      await rest(server.url, `/articles/${slug}/comments`, { comment: { body: "Still there?" } }, readerToken);
      const [emails] = await server.database.sql`select count(*)::int as n from email_messages`;
      expect(emails?.n).toBe(1);
    } finally {
      await userContext.close();
    }
  });
});
