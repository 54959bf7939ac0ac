import { hashPassword } from "@inkwell/auth";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poll, signIn } from "./support/admin.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

/**
 * Passkeys in Chromium with its virtual authenticator (the DevTools
 * protocol's WebAuthn domain): a real browser creating and using real
 * credentials against the server. Passkeys need a domain (not an IP
 * address) as their relying party, so the console is opened on localhost.
 */
const PASSWORD = "passkey user password";
const REFUSED = "This passkey could not be verified. Try again, or sign in another way.";
const CHALLENGE_INVALID = "This passkey prompt has expired or was already answered. Try again.";

describe("passkeys in the admin console", () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    base = server.url.replace("127.0.0.1", "localhost");
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A page whose browser has a platform authenticator that verifies the user (as a fingerprint would). */
  async function pageWithAuthenticator(context: BrowserContext): Promise<{ page: Page; cdp: CDPSession; id: string }> {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return { page, cdp, id: authenticatorId };
  }

  async function signOut(page: Page) {
    await page.getByTestId("user-menu").click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in with a passkey" }).waitFor();
  }

  const sessionMethods = async (userId: number) =>
    (await server.database.sql`select method from sessions where user_id = ${userId} order by created_at`).map(
      (row) => row.method,
    );

  it("registers, renames, signs in with and removes a passkey; a passkey meets the role's two-factor requirement", {
    timeout: 120_000,
  }, async () => {
    const [user] = await server.database.sql<{ id: number; email: string }[]>`
      insert into users (email, username, password_hash, role)
      values ('keyholder@example.com', 'keyholder', ${await hashPassword(PASSWORD)}, 'moderator')
      returning id, email`;
    if (!user) throw new Error("no user");
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const { page, cdp, id } = await pageWithAuthenticator(context);

    await signIn(page, base, user.email, PASSWORD);
    await page.goto(`${base}/account`);
    const addForm = page.getByRole("form", { name: "Add a passkey" });
    await addForm.getByRole("textbox", { name: "Name for the new passkey" }).fill("Work laptop");
    await addForm.getByRole("button", { name: "Add a passkey" }).click();
    const table = page.getByRole("table", { name: "My passkeys" });
    await table.getByRole("cell", { name: "Work laptop", exact: true }).waitFor();
    await screenshot(page, "passkeys-registered");
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId: id });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.isResidentCredential).toBe(true);
    const [stored] = await server.database.sql`select credential_id, name from passkeys where user_id = ${user.id}`;
    expect(stored).toEqual({
      credential_id: credentials[0]?.credentialId.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_"),
      name: "Work laptop",
    });

    await page.getByRole("button", { name: "Rename Work laptop" }).click();
    const renameForm = page.getByRole("form", { name: "Rename passkey" });
    await renameForm.getByRole("textbox", { name: "Name" }).fill("Laptop fingerprint");
    await renameForm.getByRole("button", { name: "Save" }).click();
    await table.getByRole("cell", { name: "Laptop fingerprint", exact: true }).waitFor();

    // Operators now require two-factor sign-in for moderators; this one has no authenticator app.
    await server.database
      .sql`insert into settings (key, value) values ('requireTwoFactor', '{"roles": ["moderator"]}')`;
    await signOut(page);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await poll(() => page.getByTestId("signed-in-as").textContent()).toBe("keyholder");
    await page.goto(`${base}/users`);
    await page.getByRole("table", { name: "Users" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/users");
    // With the password alone the same account holds no permission until it sets up an app.
    const other = await newContext(browser);
    const passwordPage = await other.newPage();
    await passwordPage.goto(`${base}/sign-in`);
    await passwordPage.getByRole("textbox", { name: "Email" }).fill(user.email);
    await passwordPage.getByRole("textbox", { name: "Password", exact: true }).fill(PASSWORD);
    await passwordPage.getByRole("button", { name: "Sign in", exact: true }).click();
    await poll(() => new URL(passwordPage.url()).pathname).toBe("/two-factor-setup");
    await other.close();
    expect(await sessionMethods(user.id)).toEqual(["passkey", "password"]);
    await server.database.sql`delete from settings where key = 'requireTwoFactor'`;

    await page.goto(`${base}/account`);
    await page.getByRole("button", { name: "Remove Laptop fingerprint" }).click();
    await page.getByRole("button", { name: "Remove passkey" }).click();
    await page.getByText("No passkeys yet.").waitFor();
    expect((await server.database.sql`select 1 from passkeys where user_id = ${user.id}`).length).toBe(0);

    // The authenticator still holds the credential; the server no longer knows it.
    await signOut(page);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    // The sign-in form's alert, not the "Passkey removed" toast that may still be showing.
    await page.getByRole("alert").filter({ hasText: REFUSED }).first().waitFor();
    await context.close();
  });

  it("refuses a replayed assertion and a forged one", async () => {
    const [user] = await server.database.sql<{ id: number; email: string }[]>`
      insert into users (email, username, password_hash) values ('replayer@example.com', 'replayer', ${await hashPassword(PASSWORD)})
      returning id, email`;
    if (!user) throw new Error("no user");
    const context = await newContext(browser);
    const { page } = await pageWithAuthenticator(context);
    await signIn(page, base, user.email, PASSWORD);
    await page.goto(`${base}/account`);
    await page.getByRole("form", { name: "Add a passkey" }).getByRole("button", { name: "Add a passkey" }).click();
    await page.getByRole("table", { name: "My passkeys" }).waitFor();
    await signOut(page);

    // Captures the assertion the browser sends (it goes through, and signs in).
    let captured = "";
    await page.route("**/trpc/auth.passkeys.signIn**", async (route) => {
      captured = route.request().postData() ?? "";
      await route.continue();
    });
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page
      .getByTestId("signed-in-as")
      .waitFor()
      .catch(() => screenshot(page, "passkey-replay-failure"));
    await poll(() => page.getByTestId("signed-in-as").textContent()).toBe("replayer");
    await context.close();
    // The console batches its calls: the body is { "0": { json: input } }.
    const sent = (JSON.parse(captured) as Record<string, { json: { response: { response: Record<string, string> } } }>)[
      "0"
    ] as { json: { response: { response: Record<string, string> } } };

    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${base}/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, answer: (await response.json()) as { error?: { json: { message: string } } } };
    };

    // The same assertion again: its challenge was answered once already.
    const replayed = await post("auth.passkeys.signIn", sent);
    expect(replayed.status).toBe(401);
    expect(replayed.answer.error?.json.message).toBe(CHALLENGE_INVALID);

    // A fresh, genuine challenge with client data written for it, under the old signature: forged.
    const options = await post("auth.passkeys.signInOptions", { json: null });
    const challenge = (options.answer as unknown as { result: { data: { json: { challenge: string } } } }).result.data
      .json.challenge;
    const clientData = Buffer.from(
      JSON.stringify({ type: "webauthn.get", challenge, origin: base, crossOrigin: false }),
    );
    const forged = structuredClone(sent);
    forged.json.response.response.clientDataJSON = clientData.toString("base64url");
    const refused = await post("auth.passkeys.signIn", forged);
    expect(refused.status).toBe(401);
    expect(refused.answer.error?.json.message).toBe(REFUSED);
    // That challenge is spent too.
    expect((await post("auth.passkeys.signIn", forged)).answer.error?.json.message).toBe(CHALLENGE_INVALID);
    // Only the genuine sign-in opened a session (the password one ended when the browser signed out).
    expect(await sessionMethods(user.id)).toEqual(["passkey"]);
  });
});
