import { hashPassword } from "@inkwell/auth";
import { startTestOpenIdProvider, type TestOpenIdProvider } from "@inkwell/server/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertText, poll, signIn } from "./support/admin.ts";
import { seriousViolations } from "./support/axe.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

/**
 * Sign-in with an OpenID Connect provider in Chromium: the button on the
 * sign-in page, the real provider (oidc-provider) and its redirects, the
 * callback page, and linking from the account page.
 */
const PASSWORD = "identity user password";

describe("identity providers in the admin console", () => {
  let idp: TestOpenIdProvider;
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    idp = await startTestOpenIdProvider();
    [server, browser] = await Promise.all([
      startTestServer({ OAUTH_PROVIDERS: JSON.stringify([idp.config("corp", "Corp SSO")]) }),
      launchBrowser(),
    ]);
    idp.start([`${server.url}/sign-in/callback/corp`]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await idp?.close();
  });

  async function insertUser(username: string, emailVerified: boolean) {
    const [user] = await server.database.sql<{ id: number; email: string }[]>`
      insert into users (email, username, password_hash, role, email_verified_at)
      values (${`${username}@example.com`}, ${username}, ${await hashPassword(PASSWORD)}, 'moderator',
              ${emailVerified ? new Date().toISOString() : null})
      returning id, email`;
    if (!user) throw new Error("no user");
    return user;
  }

  it("signs in with the provider's button and comes back to where the person was going", async () => {
    const user = await insertUser("sso-moderator", true);
    idp.signInAs({ sub: "corp-1", email: user.email, email_verified: true, preferred_username: "sso.moderator" });
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in?redirect=%2Fcomments`);
    await screenshot(page, "sign-in-with-providers");
    await page.getByRole("button", { name: "Sign in with Corp SSO" }).click();
    await poll(() => page.getByTestId("signed-in-as").textContent()).toBe("sso-moderator");
    expect(new URL(page.url()).pathname).toBe("/comments");
    // Cookies ignore ports: the provider's own (on 127.0.0.1 too) are left out.
    const cookies = (await context.cookies()).filter((c) => c.name.startsWith("inkwell_"));
    expect(cookies.map((c) => c.name)).toEqual(["inkwell_session"]);
    expect(cookies[0]?.httpOnly).toBe(true);
    await context.close();
  });

  it("says it is checking the provider's answer while the server does, in a way axe accepts", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    // The answer to the completion call is held back until the page has been checked in its waiting state.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(
      (url) => url.pathname.includes("auth.identities.complete"),
      async (route) => {
        await held;
        await route.continue();
      },
    );
    await page.goto(`${server.url}/sign-in/callback/corp?code=made-up&state=made-up`);
    await poll(() => page.getByRole("status").textContent()).toContain("Checking your identity provider's answer");
    expect(await seriousViolations(page)).toEqual([]);
    release();
    await poll(() => alertText(page)).toContain("Sign-in did not complete");
    await context.close();
  });

  it("says why when no account is linked, then links from the account page and unlinks", async () => {
    const user = await insertUser("unlinked-moderator", false);
    idp.signInAs({ sub: "corp-2", email: user.email, email_verified: true });
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole("button", { name: "Sign in with Corp SSO" }).click();
    await page
      .getByText("Sign-in did not complete")
      .waitFor()
      .catch(() => screenshot(page, "identity-unlinked-failure"));
    expect(await alertText(page)).toContain(
      "No Inkwell account is linked to this Corp SSO account. Sign in with your password or a passkey, then link Corp SSO from your account page.",
    );

    await signIn(page, server.url, user.email, PASSWORD);
    await page.goto(`${server.url}/account`);
    await page.getByRole("button", { name: "Link Corp SSO" }).click();
    const table = page.getByRole("table", { name: "Linked accounts" });
    await table.getByRole("cell", { name: "Corp SSO", exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/account");
    await screenshot(page, "linked-accounts");

    // The link signs in now, in another browser.
    const other = await newContext(browser);
    const otherPage = await other.newPage();
    await otherPage.goto(`${server.url}/sign-in`);
    await otherPage.getByRole("button", { name: "Sign in with Corp SSO" }).click();
    await poll(() => otherPage.getByTestId("signed-in-as").textContent()).toBe("unlinked-moderator");
    await other.close();

    await page.getByRole("button", { name: "Unlink Corp SSO" }).click();
    await page.getByRole("button", { name: "Unlink", exact: true }).click();
    await page.getByText("No linked accounts.").waitFor();
    expect((await server.database.sql`select 1 from user_identities where user_id = ${user.id}`).length).toBe(0);
    await context.close();
  });
});
