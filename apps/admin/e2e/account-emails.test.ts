import { TEST_ADMIN } from "@inkwell/server/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poll, signIn, trpcMutation } from "./support/admin.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const PASSWORD = "the password they forgot";
const NEW_PASSWORD = "a password they will remember";

/** Resetting a password by email, asked for by its owner or required by an operator, in Chromium. */
describe("password reset by email in the admin console", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  async function freshPage() {
    await context?.close();
    context = await newContext(browser);
    page = await context.newPage();
    return page;
  }

  async function signUp(username: string) {
    const email = `${username}@example.com`;
    const answer = await trpcMutation(server.url, "auth.signUp", {
      email,
      username,
      password: PASSWORD,
      session: "token",
    });
    expect(answer.status).toBe(200);
    return { email, id: (answer.body.result?.data?.json as { user: { id: number } } | undefined)?.user.id ?? 0 };
  }

  /** The link of the newest email of `template` to `recipient`, as the outbox recorded it (its text part). */
  async function linkFromOutbox(recipient: string, template: string): Promise<string> {
    const read = async () => {
      const [row] = await server.database.sql<{ text_body: string }[]>`
        select text_body from email_messages where recipient = ${recipient} and template = ${template}
        order by id desc limit 1`;
      return row?.text_body ?? "";
    };
    await poll(read).toMatch(/\/reset-password\?token=/);
    const link = /(https?:\/\/\S+\/reset-password\?token=[a-z2-7]+)/.exec(await read())?.[1];
    if (!link) throw new Error("no link in the email");
    return link;
  }

  async function chooseNewPassword(link: string) {
    await page.goto(link);
    await page.getByRole("textbox", { name: "New password", exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("textbox", { name: "Repeat it", exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByTestId("reset-done").waitFor();
  }

  const signInStatus = async (email: string, password: string) =>
    (await trpcMutation(server.url, "auth.signIn", { email, password, session: "token" })).status;

  it("asks for a link from the sign-in page, opens the emailed link, sets a new password and signs in", async () => {
    const user = await signUp("forgetful");
    await freshPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.getByRole("heading", { name: "Forgot your password?" }).waitFor();
    await page.getByRole("textbox", { name: "Email" }).fill(user.email);
    await page.getByRole("button", { name: "Email me a link" }).click();
    expect(await page.getByTestId("reset-requested").textContent()).toBe(
      "If an account uses this address, we have emailed it a link to choose a new password. The link works for one hour.",
    );

    const link = await linkFromOutbox(user.email, "password-reset");
    expect(link.startsWith(`${server.url}/reset-password?token=`)).toBe(true);
    // A mistyped repetition is caught before anything is sent.
    await page.goto(link);
    await page.getByRole("textbox", { name: "New password", exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("textbox", { name: "Repeat it", exact: true }).fill("something else entirely");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByText("The two passwords differ.").waitFor();
    await chooseNewPassword(link);
    await screenshot(page, "password-reset-done");

    expect(await signInStatus(user.email, PASSWORD)).toBe(401);
    await page.getByRole("link", { name: "Go to sign in" }).click();
    await signIn(page, server.url, user.email, NEW_PASSWORD);

    // The link worked once.
    await freshPage();
    await page.goto(link);
    await page.getByRole("textbox", { name: "New password", exact: true }).fill("and yet another one");
    await page.getByRole("textbox", { name: "Repeat it", exact: true }).fill("and yet another one");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByText("This link is invalid, has expired or was already used. Ask for a new one.").waitFor();
  });

  it("an operator forces a reset with a reason: the user's password and sessions end, the emailed link sets a new one", async () => {
    // Signed in twice: at sign-up, and once more.
    const user = await signUp("compromised");
    const session = await trpcMutation(server.url, "auth.signIn", {
      email: user.email,
      password: PASSWORD,
      session: "token",
    });
    const token = (session.body.result?.data?.json as { token: string } | undefined)?.token ?? "";

    await freshPage();
    await signIn(page, server.url, TEST_ADMIN.email, TEST_ADMIN.password);
    await page.goto(`${server.url}/users/${user.id}`);
    await page.getByText("email unverified").waitFor();
    await page.getByRole("button", { name: "Force password reset" }).click();
    const dialog = page.getByRole("dialog", { name: "Force compromised to choose a new password?" });
    await dialog.getByLabel("Why?").fill("short");
    await dialog.getByRole("button", { name: "Force password reset" }).click();
    await dialog.getByText("Say why (at least 10 characters); it is kept in the audit log.").waitFor();
    await dialog.getByLabel("Why?").fill("Their password appeared in a breach dump");
    await dialog.getByRole("button", { name: "Force password reset" }).click();
    await page.getByText(`A link to choose a new password went to ${user.email}; 2 sessions ended.`).waitFor();
    await screenshot(page, "force-password-reset");

    await poll(
      async () => (await fetch(`${server.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
    expect(await signInStatus(user.email, PASSWORD)).toBe(401);
    const [event] = await server.database.sql<{ details: { reason: string } }[]>`
      select details from audit_events where action = 'users.forcePasswordReset' order by id desc limit 1`;
    expect(event?.details.reason).toBe("Their password appeared in a breach dump");

    const link = await linkFromOutbox(user.email, "password-reset-required");
    await freshPage();
    await chooseNewPassword(link);
    await signIn(page, server.url, user.email, NEW_PASSWORD);
  });

  it("asks for a new verification link on the account page and verifies the address with a click", async () => {
    const user = await signUp("verifying");
    await freshPage();
    await signIn(page, server.url, user.email, PASSWORD);
    await page.goto(`${server.url}/account`);
    const standing = page.getByTestId("my-email-verification");
    await standing.getByText("email unverified").waitFor();
    await standing.getByRole("button", { name: "Email me a new link" }).click();
    await page.getByText(`Open the link we sent to ${user.email} within 48 hours.`).waitFor();

    // Two links went out (sign-up, then the new one): only the newest works.
    const rows = await server.database.sql<{ text_body: string }[]>`
      select text_body from email_messages where recipient = ${user.email} and template = 'email-verification' order by id`;
    expect(rows).toHaveLength(2);
    const linkIn = (text = "") => /(https?:\/\/\S+\/verify-email\?token=[a-z2-7]+)/.exec(text)?.[1] ?? "";
    const [first, newest] = rows.map((row) => linkIn(row.text_body));
    expect(newest?.startsWith(`${server.url}/verify-email?token=`)).toBe(true);

    await page.goto(first ?? "");
    await page.getByRole("button", { name: "Confirm my email address" }).click();
    await page.getByText("This link is invalid, has expired or was already used. Ask for a new one.").waitFor();

    await page.goto(newest ?? "");
    // Opening the page alone (as a mail scanner would) verifies nothing.
    await page.getByRole("button", { name: "Confirm my email address" }).waitFor();
    const [before] = await server.database.sql`select email_verified_at from users where id = ${user.id}`;
    expect(before?.email_verified_at).toBeNull();
    await page.getByRole("button", { name: "Confirm my email address" }).click();
    expect(await page.getByTestId("verified").textContent()).toContain(`${user.email} is verified.`);

    await page.goto(`${server.url}/account`);
    await standing.getByText("email verified").waitFor();
    expect(await standing.getByRole("button").count()).toBe(0);
  });
});
