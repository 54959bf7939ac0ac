import { TEST_ADMIN } from "@inkwell/server/testing";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describedBy, poll, signIn } from "./support/admin.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const PASSWORD = "an author's password";
const codeFor = (key: Uint8Array, stepsAhead = 0) =>
  generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + stepsAhead), 6);

/** What an operator does to one user's credentials: end one session, revoke one key, reset two-factor sign-in. */
describe("operator controls in the admin console", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  /** A tRPC mutation over HTTP as a device of the user would send it (its own user agent, maybe a token). */
  async function mutate(path: string, input: unknown, options: { token?: string; userAgent?: string } = {}) {
    const response = await fetch(`${server.url}/trpc/${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": options.userAgent ?? "e2e-script",
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify({ json: input }),
    });
    const body = (await response.json()) as { result?: { data?: { json?: Record<string, unknown> } } };
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    return body.result?.data?.json ?? {};
  }

  /** Whether a token or key still authenticates. */
  const works = async (credential: string) =>
    (await fetch(`${server.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${credential}` } })).status === 200;

  /** An author signed in on a laptop (with two-factor sign-in on) and a phone, with two API keys. */
  async function author(username: string) {
    const signedUp = await mutate(
      "auth.signUp",
      { email: `${username}@example.com`, username, password: PASSWORD, session: "token" },
      { userAgent: "Laptop Browser/1.0" },
    );
    const laptop = signedUp.token as string;
    const userId = (signedUp.user as { id: number }).id;
    const { secret } = (await mutate("auth.twoFactor.beginEnrolment", undefined, { token: laptop })) as {
      secret: string;
    };
    const key = decodeBase32IgnorePadding(secret);
    await mutate("auth.twoFactor.confirmEnrolment", { code: codeFor(key) }, { token: laptop });
    const step = await mutate(
      "auth.signIn",
      { email: `${username}@example.com`, password: PASSWORD, session: "token" },
      { userAgent: "Phone App/2.0" },
    );
    const phone = (
      await mutate(
        "auth.signIn2fa",
        { challenge: step.challenge, code: codeFor(key, 1), session: "token" },
        { userAgent: "Phone App/2.0" },
      )
    ).token as string;
    const leaked = (await mutate(
      "apiKeys.create",
      { name: "leaked-ci", scopes: ["articles:write"] },
      { token: laptop },
    )) as { id: number; key: string; prefix: string };
    const kept = (await mutate(
      "apiKeys.create",
      { name: "kept-ci", scopes: ["articles:write"] },
      { token: laptop },
    )) as {
      key: string;
    };
    await mutate("articles.create", { title: `${username}'s article`, description: "d", body: "b" }, { token: laptop });
    return { userId, username, laptop, phone, leaked, kept };
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signIn(page, server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  const sessionsTable = () => page.getByRole("table", { name: "Sessions" });
  const keysTable = () => page.getByRole("table", { name: "API keys" });

  it("ends one session and revokes one key of a user, each after a confirm dialog, leaving the rest working", async () => {
    const target = await author("roaming-author");
    await page.goto(`${server.url}/users/${target.userId}`);
    await poll(() => sessionsTable().locator("tbody tr").count()).toBe(2);

    // The phone was lost: end that session only.
    const phoneRow = sessionsTable().getByRole("row").filter({ hasText: "Phone App/2.0" });
    await phoneRow.getByRole("button", { name: "Revoke" }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.textContent()).toContain("Phone App/2.0 at 127.0.0.1 is signed out.");
    await screenshot(page, "user-revoke-session-confirm");
    await dialog.getByRole("button", { name: "Revoke session" }).click();
    await poll(() => page.getByText("That session of roaming-author has ended.").isVisible()).toBe(true);
    await poll(() => sessionsTable().locator("tbody tr").allTextContents()).toEqual([
      expect.stringContaining("Laptop Browser/1.0"),
    ]);
    expect(await works(target.phone)).toBe(false);
    expect(await works(target.laptop)).toBe(true);

    // A key leaked: revoke it, keep the other.
    await keysTable().getByRole("button", { name: "Revoke key leaked-ci" }).click();
    expect(await page.getByRole("dialog").textContent()).toContain(
      `Requests with ${target.leaked.prefix}… are refused`,
    );
    await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
    await poll(() => page.getByText(`roaming-author's key "leaked-ci" no longer works.`).isVisible()).toBe(true);
    const leakedRow = keysTable().getByRole("row").filter({ hasText: "leaked-ci" });
    await poll(() => leakedRow.textContent()).toContain("revoked");
    expect(await leakedRow.getByRole("button", { name: /Revoke/ }).count()).toBe(0);
    expect(await works(target.leaked.key)).toBe(false);
    expect(await works(target.kept.key)).toBe(true);
    expect(await works(target.laptop)).toBe(true);
    await screenshot(page, "user-operator-controls");

    // Both in the audit log, on the user.
    const events = await server.database.sql<{ action: string; details: Record<string, unknown> }[]>`
      select action, details from audit_events
      where action in ('users.revokeSession', 'users.revokeApiKey') and target_id = ${String(target.userId)} order by id`;
    expect(events.map((event) => [event.action, event.details.outcome])).toEqual([
      ["users.revokeSession", "success"],
      ["users.revokeApiKey", "success"],
    ]);
  });

  it("resets a user's two-factor sign-in only with a reason, which the audit log keeps; their sessions end", async () => {
    const target = await author("forgetful-author");
    await page.goto(`${server.url}/users/${target.userId}`);
    const line = page.getByTestId("user-two-factor");
    await poll(() => line.textContent()).toMatch(
      /^Two-factor sign-in on since \d{4}-\d{2}-\d{2}, 10 recovery codes left\./,
    );

    await line.getByRole("button", { name: "Reset two-factor sign-in" }).click();
    const dialog = page.getByRole("dialog", { name: "Reset forgetful-author's two-factor sign-in?" });
    const reason = dialog.getByRole("textbox", { name: "How did you check who they are?" });
    await reason.fill("asked");
    await dialog.getByRole("button", { name: "Reset two-factor sign-in" }).click();
    await poll(() => describedBy(reason)).toContain("Say how you checked who they are (at least 10 characters)");
    expect(await works(target.laptop)).toBe(true);

    const said = "Video call; matched the photo on their staff badge";
    await reason.fill(said);
    await screenshot(page, "user-reset-two-factor");
    await dialog.getByRole("button", { name: "Reset two-factor sign-in" }).click();
    await poll(() => page.getByText(/forgetful-author signs in with their password alone/).isVisible()).toBe(true);
    await poll(() => line.textContent()).toBe("Two-factor sign-in off.");
    await poll(() => sessionsTable().count()).toBe(0);
    expect(await works(target.laptop)).toBe(false);
    expect(await works(target.phone)).toBe(false);
    // API keys are not sessions: they keep working.
    expect(await works(target.kept.key)).toBe(true);

    await page.goto(`${server.url}/audit?action=users.resetTwoFactor`);
    const row = page.getByRole("table", { name: "Audit events" }).locator("tbody tr").first();
    await poll(() => row.textContent()).toContain("users.resetTwoFactor");
    const [event] = await server.database.sql<{ details: { reason: string } }[]>`
      select details from audit_events where action = 'users.resetTwoFactor' and details->>'outcome' = 'success'`;
    expect(event?.details.reason).toBe(said);
  });

  it("keeps a deleted user's events under their name, found by their id, without a link to their page", async () => {
    const target = await author("departing-author");
    await page.goto(`${server.url}/users/${target.userId}`);
    await page.getByRole("button", { name: "Actions", exact: true }).click();
    await page.getByRole("menuitem", { name: "Delete user" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete user" }).click();
    await page.waitForURL(`${server.url}/users`);

    // The user page's "everything they did" link still finds them.
    await page.goto(`${server.url}/audit?actorId=${target.userId}`);
    const table = page.getByRole("table", { name: "Audit events" });
    // Every row (past the loading skeleton) names them as they were, marked deleted.
    // (The name and the mark are separate elements, laid out apart: compared without the spacing.)
    const actorCells = async () =>
      new Set(
        (await table.locator("tbody tr td:nth-child(2)").allTextContents()).map((text) => text.replace(/\s+/g, "")),
      );
    await poll(actorCells).toEqual(new Set([`departing-author#${target.userId}(deleted)`]));
    expect(await table.locator("tbody tr").count()).toBeGreaterThanOrEqual(6);
    expect(await table.getByRole("link", { name: "departing-author" }).count()).toBe(0);
    const actions = await table.locator("tbody tr td:nth-child(3)").allTextContents();
    expect(actions).toEqual(
      expect.arrayContaining([
        "articles.create",
        "apiKeys.create",
        "auth.signIn2fa",
        "auth.twoFactor.confirmEnrolment",
      ]),
    );
    await screenshot(page, "audit-deleted-actor");
  });
});
