import { hashPassword } from "@inkwell/auth";
import { TEST_ADMIN } from "@inkwell/server/testing";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describedBy, poll, signIn, trpcMutation } from "./support/admin.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

/** What an authenticator app computes from the key it read: RFC 6238 codes, from @oslojs/otp. */
const codeFor = (key: Uint8Array, stepsAhead = 0) =>
  generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + stepsAhead), 6);

/**
 * Turns two-factor sign-in on from the enrolment component on `page`: instead of scanning the QR code,
 * reads the secret from its text alternative. Returns the app's key and the recovery codes shown.
 */
async function enrol(page: Page) {
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const qr = page.getByRole("img", { name: /QR code with your two-factor secret/ });
  await qr.waitFor();
  // The QR code's description is the secret as text.
  const described = await describedBy(qr);
  const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  expect(described.replace(/\s/g, "")).toBe(secret);
  const key = decodeBase32IgnorePadding(secret);

  const form = page.getByRole("form", { name: "Confirm two-factor sign-in" });
  const field = form.getByRole("textbox", { name: /Enter the 6-digit code/ });
  // A wrong code is refused next to the field.
  const wrong = codeFor(key) === "000000" ? "000001" : "000000";
  await field.fill(wrong);
  await form.getByRole("button", { name: "Turn on" }).click();
  await poll(() => describedBy(field)).toContain("The code is incorrect.");
  expect(await field.getAttribute("aria-invalid")).toBe("true");

  await field.fill(codeFor(key));
  await form.getByRole("button", { name: "Turn on" }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await list.waitFor();
  const recoveryCodes = await list.getByRole("listitem").allTextContents();
  expect(recoveryCodes).toHaveLength(10);
  for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
  return { key, recoveryCodes };
}

async function finishEnrolment(page: Page) {
  const done = page.getByRole("button", { name: "Done" });
  expect(await done.isDisabled()).toBe(true);
  await page.getByRole("checkbox", { name: "I have saved these codes somewhere safe" }).check();
  await done.click();
}

/** The password step of the sign-in form; for an account with two-factor sign-in, the code step follows. */
async function passwordStep(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByRole("textbox", { name: "Email" }).fill(email);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("form", { name: "Two-factor code" }).waitFor();
}

describe("two-factor sign-in in the admin console", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function insertUser(username: string, role: "user" | "moderator" | "admin", password: string) {
    const [user] = await server.database.sql<{ id: number; email: string }[]>`
      insert into users (email, username, password_hash, role)
      values (${`${username}@example.com`}, ${username}, ${await hashPassword(password)}, ${role})
      returning id, email`;
    if (!user) throw new Error("insert returned no row");
    return { ...user, username, password };
  }

  const stored = async (userId: number) =>
    (
      await server.database.sql<{ enabled: boolean; codes: number }[]>`
        select (select enabled_at is not null from user_two_factor where user_id = ${userId}) as enabled,
               (select count(*)::int from two_factor_recovery_codes where user_id = ${userId} and used_at is null) as codes`
    )[0];

  it("turns it on from the account page (the secret read from the QR code's text), then signs in with a code and with a recovery code", async () => {
    const editor = await insertUser("careful-editor", "user", "careful editor password");
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.url, editor.email, editor.password);
    await page.goto(`${server.url}/account`);
    const card = page.getByRole("region", { name: "Two-factor sign-in" });
    await card.getByRole("button", { name: "Set up an authenticator app" }).waitFor();
    await screenshot(page, "two-factor-off");

    const { key, recoveryCodes } = await enrol(page);
    await screenshot(page, "two-factor-recovery-codes");
    await finishEnrolment(page);
    await poll(() => page.getByTestId("two-factor-state").textContent()).toMatch(
      /^On since \d{4}-\d{2}-\d{2}: signing in takes a code from your authenticator app\. 10 recovery codes left\.$/,
    );
    expect(await stored(editor.id)).toEqual({ enabled: true, codes: 10 });
    await context.close();

    // Signing in now takes two steps.
    const second = await newContext(browser);
    const next = await second.newPage();
    await passwordStep(next, server.url, editor.email, editor.password);
    expect(await second.cookies()).toEqual([]); // no session after the password alone
    await screenshot(next, "sign-in-two-factor");
    const codeField = next.getByRole("textbox", { name: "Authentication code" });
    await codeField.fill(codeFor(key, 1));
    await next.getByRole("button", { name: "Verify" }).click();
    await poll(() => next.getByTestId("signed-in-as").textContent()).toBe("careful-editor");
    await second.close();

    // With a recovery code instead; it is then used up.
    const third = await newContext(browser);
    const last = await third.newPage();
    await passwordStep(last, server.url, editor.email, editor.password);
    await last.getByRole("button", { name: "Use a recovery code instead" }).click();
    await last.getByRole("textbox", { name: "Recovery code" }).fill(recoveryCodes[0] ?? "");
    await last.getByRole("button", { name: "Verify" }).click();
    await poll(() => last.getByTestId("signed-in-as").textContent()).toBe("careful-editor");
    expect(await stored(editor.id)).toEqual({ enabled: true, codes: 9 });
    await third.close();
  });

  it("shows a wrong code's message on the field, and sends an expired sign-in back to the password", async () => {
    const writer = await insertUser("second-writer", "user", "second writer password");
    const setup = await newContext(browser);
    const setupPage = await setup.newPage();
    await signIn(setupPage, server.url, writer.email, writer.password);
    await setupPage.goto(`${server.url}/account`);
    const { key, recoveryCodes: first } = await enrol(setupPage);
    await finishEnrolment(setupPage);
    // A new set of recovery codes, for a current code; shown once, the old ones gone.
    await setupPage.getByRole("button", { name: "New recovery codes" }).click();
    const dialog = setupPage.getByRole("dialog", { name: "New recovery codes" });
    await dialog.getByRole("textbox", { name: "Code from your authenticator app" }).fill(codeFor(key, 1));
    await dialog.getByRole("button", { name: "Show new codes" }).click();
    const renewedList = dialog.getByRole("list", { name: "Recovery codes" });
    await renewedList.waitFor();
    const renewed = await renewedList.getByRole("listitem").allTextContents();
    expect(renewed).toHaveLength(10);
    expect(renewed.filter((code) => first.includes(code))).toEqual([]);
    await dialog.getByRole("checkbox", { name: "I have saved these codes somewhere safe" }).check();
    await dialog.getByRole("button", { name: "Done" }).click();
    await poll(() => dialog.count()).toBe(0);
    await setup.close();

    const context = await newContext(browser);
    const page = await context.newPage();
    await passwordStep(page, server.url, writer.email, writer.password);
    const field = page.getByRole("textbox", { name: "Authentication code" });
    await field.fill(codeFor(key, 1) === "123456" ? "654321" : "123456");
    await page.getByRole("button", { name: "Verify" }).click();
    await poll(() => describedBy(field)).toContain(
      "The code is incorrect. Enter the current code from your authenticator app.",
    );
    // Five minutes later (the row moved back, not waited for): back to the password, told why.
    await server.database.sql`update two_factor_challenges set expires_at = now() - interval '1 second'
                              where user_id = ${writer.id}`;
    await field.fill(codeFor(key, 1));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("textbox", { name: "Password", exact: true }).waitFor();
    await poll(() => page.getByRole("alert").first().textContent()).toContain(
      "This sign-in has expired or is no longer valid. Sign in again with your password.",
    );
    await context.close();
  });

  it("leads a moderator whose role now requires it through enrolment before any page, then to where they were going", async () => {
    const moderator = await insertUser("wary-moderator", "moderator", "wary moderator password");

    // An admin requires it of moderators, from the settings page.
    const adminContext = await newContext(browser, { viewport: { width: 1280, height: 800 } });
    const admin = await adminContext.newPage();
    await signIn(admin, server.url, TEST_ADMIN.email, TEST_ADMIN.password);
    await admin.goto(`${server.url}/settings`);
    // Not of admins while this admin has not turned it on: they would lock themselves out.
    await admin.getByRole("checkbox", { name: "All admins" }).check();
    await admin.getByRole("button", { name: "Save" }).click();
    await admin.getByRole("dialog").getByRole("button", { name: "Require it" }).click();
    await poll(() => admin.getByRole("region", { name: "Require two-factor sign-in" }).textContent()).toContain(
      "Turn on two-factor sign-in for yourself first",
    );
    await admin.getByRole("checkbox", { name: "All admins" }).uncheck();
    await admin.getByRole("checkbox", { name: "All moderators" }).check();
    await admin.getByRole("button", { name: "Save" }).click();
    await admin.getByRole("dialog").getByRole("button", { name: "Require it" }).click();
    await poll(() => admin.getByText("Every moderator signs in with two-factor sign-in.").isVisible()).toBe(true);
    await screenshot(admin, "settings-require-two-factor");
    const [setting] = await server.database.sql<{ value: { roles: string[] } }[]>`
      select value from settings where key = 'requireTwoFactor'`;
    expect(setting?.value).toEqual({ roles: ["moderator"] });
    await adminContext.close();

    // The moderator signs in with their password (they have no second factor yet) and is sent to set one up.
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/users?role=admin`);
    await page.waitForURL(/\/sign-in\?redirect=/);
    await page.getByRole("textbox", { name: "Email" }).fill(moderator.email);
    await page.getByRole("textbox", { name: "Password", exact: true }).fill(moderator.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/two-factor-setup\?/);
    expect(new URL(page.url()).searchParams.get("redirect")).toBe("/users?role=admin");
    expect(await page.getByTestId("two-factor-reason").textContent()).toContain(
      "Operators require two-factor sign-in of every moderator.",
    );
    expect(await page.getByTestId("user-menu").count()).toBe(0);
    // Every console page comes back here; the server holds back every permission meanwhile.
    await page.goto(`${server.url}/account`);
    await page.waitForURL(/\/two-factor-setup\?redirect=%2Faccount$/);
    const me = await page.evaluate(async () => (await fetch("/trpc/auth.me")).json());
    expect(me.result.data.json.permissions).toEqual([]);
    expect(me.result.data.json.user.twoFactorEnrolmentRequired).toBe(true);
    await page.goto(`${server.url}/users?role=admin`);
    await page.getByRole("heading", { name: "Turn on two-factor sign-in" }).waitFor();
    await screenshot(page, "two-factor-setup-required");

    await enrol(page);
    await finishEnrolment(page);
    // Where they were going, with a moderator's powers.
    await page.waitForURL(`${server.url}/users?role=admin`);
    await page.getByRole("table", { name: "Users" }).locator("tbody tr").first().waitFor();
    await poll(() => page.getByTestId("signed-in-as").textContent()).toBe("wary-moderator");
    // The role requires it: the account page offers no way to turn it off.
    await page.goto(`${server.url}/account`);
    await poll(() => page.getByRole("region", { name: "Two-factor sign-in" }).textContent()).toContain(
      "Your role requires it, so it cannot be turned off.",
    );
    expect(await page.getByRole("button", { name: "Turn off" }).count()).toBe(0);
    await context.close();

    // Nor can the server be asked to.
    const token = await trpcMutation(server.url, "auth.signIn", {
      email: moderator.email,
      password: moderator.password,
      session: "token",
    });
    expect(token.body.result?.data?.json).toMatchObject({ twoFactorRequired: true });
  });
});
