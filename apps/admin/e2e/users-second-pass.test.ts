import { SEED_PASSWORD, seed } from "@inkwell/db/seed";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseOption, describedBy, expectSearch, poll, signIn, trpcMutation } from "./support/admin.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const ADMIN_EMAIL = "admin@example.com";

/** Issue [Q], users and tags: paging past the end, URL state, creating, inviting, editing and suspending users. */
describe("users, tags and API keys, second pass", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const visit = (path: string) => page.goto(`${server.url}${path}`);
  const search = () => Object.fromEntries(new URL(page.url()).searchParams);
  const range = () => page.getByTestId("table-range").textContent();

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await seed(server.database.db, {
      users: 40,
      articles: 30,
      comments: 10,
      favorites: 10,
      follows: 10,
      tags: 30,
      tagsPerArticle: 2,
      seed: 7,
      reset: true,
    });
    context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
    // Seven helpers share two cores while this runs: give each step room (the support's default is 10 s).
    context.setDefaultTimeout(30_000);
    page = await context.newPage();
    await signIn(page, server.url, ADMIN_EMAIL, SEED_PASSWORD);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it("moves a page past the end to the last page, replacing the history entry", async () => {
    const [count] = await server.database.sql<{ n: number }[]>`select count(*)::int as n from users`;
    const total = count?.n ?? 0;
    const lastPage = Math.ceil(total / 20);
    await visit("/users");
    await poll(range).toBe(`1–20 of ${total} users`);
    await visit("/users?page=999");
    await expectSearch(page, { page: String(lastPage) });
    await poll(range).toBe(`${(lastPage - 1) * 20 + 1}–${total} of ${total} users`);
    // The range can show before the rows of the page it names have replaced the loading rows: wait for them.
    await poll(() => page.getByRole("table", { name: "Users" }).locator("tbody tr").count()).toBe(
      total - (lastPage - 1) * 20,
    );
    // Back skips the page that did not exist.
    await page.goBack();
    await poll(() => new URL(page.url()).search).toBe("");
  });

  it("advises clearing only the filters that are set", async () => {
    await visit("/users?search=nobody-has-this-name");
    await poll(() => page.getByText("No users match").isVisible()).toBe(true);
    const advice = (await page.getByTestId("filtered-empty-state").textContent()) ?? "";
    expect(advice).toContain("Try changing or clearing the search.");
    expect(advice).not.toContain("role");
    expect(advice).not.toContain("status");
    await visit("/users?search=nobody-has-this-name&status=suspended");
    await poll(() => page.getByTestId("filtered-empty-state").textContent()).toContain(
      "Try changing or clearing the search and the status filter.",
    );
    await page.getByRole("button", { name: "Clear them" }).click();
    await poll(search).toEqual({});
  });

  it("keeps the tags table's page, sort and filter in the URL, 20 rows with a size picker, Merge off until a selection", async () => {
    await visit("/users");
    await page.getByRole("navigation").getByRole("link", { name: "Tags" }).click();
    await page.waitForURL(/\/tags$/);
    await poll(range).toBe("1–20 of 30 tags");
    const merge = page.getByRole("button", { name: "Merge tags" });
    expect(await merge.isDisabled()).toBe(true);

    await page.getByRole("table", { name: "Tags" }).getByRole("button", { name: "Tag" }).click();
    await expectSearch(page, { sort: "name", direction: "asc" });
    await page.getByRole("button", { name: "Page 2", exact: true }).click();
    await expectSearch(page, { sort: "name", direction: "asc", page: "2" });
    await poll(range).toBe("21–30 of 30 tags");
    const cells = () => page.getByRole("table", { name: "Tags" }).locator("tbody tr td:nth-child(2)").allTextContents();
    await poll(async () => (await cells()).length).toBe(10);
    const secondPage = await cells();

    await page.reload();
    await poll(cells).toEqual(secondPage);
    expect(search()).toMatchObject({ sort: "name", page: "2" });

    await chooseOption(page.getByRole("combobox", { name: "Rows per page" }), "10 per page");
    await expectSearch(page, { pageSize: "10" });
    await poll(range).toBe("1–10 of 30 tags");

    const first = secondPage[0] ?? "";
    await page.getByRole("textbox", { name: "Filter" }).fill(first);
    await expectSearch(page, { filter: first });
    await poll(cells).toContain(first);

    // Back stays in the console: it undoes the last change of view.
    await page.goBack();
    expect(new URL(page.url()).origin).toBe(server.url);
    expect(new URL(page.url()).pathname).toBe("/tags");

    await page.getByRole("table", { name: "Tags" }).locator("tbody").getByRole("checkbox").first().check();
    await poll(() => page.getByRole("button", { name: "Merge 1 selected" }).isEnabled()).toBe(true);
    await screenshot(page, "tags-url-state");
  });

  it("invites a user, sends a new invitation, and the newest emailed link sets a password once (older or made-up links set nothing); they sign in", async () => {
    await visit("/users");
    await page.getByRole("button", { name: "New user" }).click();
    const dialog = page.getByRole("dialog", { name: "New user" });
    await dialog.getByRole("textbox", { name: "Username" }).fill("newcomer");
    await dialog.getByRole("textbox", { name: "Email" }).fill("newcomer@example.com");
    await screenshot(page, "users-new-user");
    await dialog.getByRole("button", { name: "Send invitation" }).click();
    await page.waitForURL(/\/users\/\d+$/);
    await poll(() => page.getByTestId("user-last-sign-in").textContent()).toContain("Invited, never signed in.");

    const invitations = async () =>
      (
        await server.database.sql<{ text_body: string }[]>`
        select text_body from email_messages where recipient = 'newcomer@example.com' and template = 'invitation'
        order by id`
      ).map((row) => /(https?:\/\/\S+\/accept-invite\?token=[a-z2-7]+)/.exec(row.text_body)?.[1] ?? "");
    await poll(async () => (await invitations()).length).toBe(1);
    // Lost the email: the operator sends a new one, and only the newest link works.
    await page.getByRole("button", { name: "Send a new invitation" }).click();
    await page.getByText("A new invitation went to newcomer@example.com; the older link no longer works.").waitFor();
    await poll(async () => (await invitations()).length).toBe(2);
    const [oldLink = "", link = ""] = await invitations();
    expect(link).toMatch(/\/accept-invite\?token=/);
    expect(link).not.toBe(oldLink);
    const invited = await newContext(browser);
    invited.setDefaultTimeout(30_000);
    const invitedPage = await invited.newPage();
    const invitePath = link.replace(/^https?:\/\/[^/]+/, server.url);
    const choose = async (password: string, repeated: string) => {
      await invitedPage.getByRole("textbox", { name: "Password", exact: true }).fill(password);
      await invitedPage.getByRole("textbox", { name: "Repeat it" }).fill(repeated);
      await invitedPage.getByRole("button", { name: "Set my password" }).click();
    };
    const passwordHash = async () =>
      (
        await server.database.sql<{ password_hash: string | null }[]>`
        select password_hash from users where email = 'newcomer@example.com'`
      )[0]?.password_hash ?? null;
    const unset = await passwordHash();

    // A link without its token, with one made up, or the invitation sent before the last, sets nothing.
    await invitedPage.goto(`${server.url}/accept-invite`);
    await invitedPage.getByText("This page needs the whole link from the invitation email.").waitFor();
    for (const refused of [
      `${server.url}/accept-invite?token=${"a".repeat(52)}`,
      oldLink.replace(/^https?:\/\/[^/]+/, server.url),
    ]) {
      await invitedPage.goto(refused);
      await choose("a refused link's password", "a refused link's password");
      await invitedPage.getByRole("link", { name: /Ask for a password reset link instead/ }).waitFor();
      expect(await passwordHash()).toBe(unset);
    }

    await invitedPage.goto(invitePath);
    await choose("a newcomer's password", "a newcomer's password, mistyped");
    await invitedPage.getByText("The two passwords differ.").waitFor();
    expect(await passwordHash()).toBe(unset);
    await choose("a newcomer's password", "a newcomer's password");
    await invitedPage.getByTestId("invite-done").waitFor();
    await screenshot(invitedPage, "accept-invite-done");
    const chosen = await passwordHash();
    expect(chosen).not.toBe(unset);

    // The link works once: opened again, it is refused and offers a reset link instead.
    await invitedPage.goto(invitePath);
    await choose("a second password", "a second password");
    await invitedPage.getByRole("link", { name: /Ask for a password reset link instead/ }).waitFor();
    expect(await invitedPage.getByTestId("invite-done").count()).toBe(0);
    expect(await passwordHash()).toBe(chosen);
    await invited.close();

    const signedIn = await trpcMutation(server.url, "auth.signIn", {
      email: "newcomer@example.com",
      password: "a newcomer's password",
      session: "token",
    });
    expect(signedIn.status).toBe(200);
    await page.reload();
    await poll(() => page.getByTestId("user-last-sign-in").textContent()).toContain("Last signed in");
  }, 120_000);

  it("creates a user with a password and a role, who signs in with it; a short password is refused on its field", async () => {
    await visit("/users");
    await page.getByRole("button", { name: "New user" }).click();
    const dialog = page.getByRole("dialog", { name: "New user" });
    await dialog.getByRole("radio", { name: "Set a password" }).check();
    await dialog.getByRole("textbox", { name: "Username" }).fill("handmade");
    await dialog.getByRole("textbox", { name: "Email" }).fill("handmade@example.com");
    await chooseOption(dialog.getByRole("combobox", { name: "Role" }), "Moderator");
    const password = dialog.getByRole("textbox", { name: "Password", exact: true });
    await password.fill("short");
    await dialog.getByRole("button", { name: "Create user" }).click();
    // The server's refusal, next to the field; nothing was created.
    await poll(() => describedBy(password)).toMatch(/8 characters/);
    expect(await server.database.sql`select 1 from users where username = 'handmade'`).toHaveLength(0);

    await password.fill("a handmade password");
    await dialog.getByRole("button", { name: "Create user" }).click();
    await page.waitForURL(/\/users\/\d+$/);
    const [created] = await server.database.sql<{ role: string; invited_at: Date | null }[]>`
      select role::text, invited_at from users where username = 'handmade'`;
    expect(created).toEqual({ role: "moderator", invited_at: null });
    const signedIn = await trpcMutation(server.url, "auth.signIn", {
      email: "handmade@example.com",
      password: "a handmade password",
      session: "token",
    });
    expect(signedIn.status).toBe(200);
  });

  it("edits a user: a taken username shows under its field; a saved edit is audited with before and after", async () => {
    const [target, other] = await server.database.sql<{ id: number; username: string }[]>`
      select id, username from users where role = 'user' order by id limit 2`;
    if (!target || !other) throw new Error("the seed has too few users");
    await visit(`/users/${target.id}`);
    await page.getByRole("button", { name: "Edit" }).click();
    const dialog = page.getByRole("dialog");
    const username = dialog.getByRole("textbox", { name: "Username" });
    await username.fill(other.username.toUpperCase());
    await dialog.getByRole("button", { name: "Save" }).click();
    await poll(() => describedBy(username)).toContain("This username is taken.");
    await screenshot(page, "user-edit-conflict");

    await username.fill(`${target.username}_renamed`);
    await dialog.getByRole("textbox", { name: "Bio" }).fill("Edited by an operator.");
    await dialog.getByRole("button", { name: "Save" }).click();
    await poll(() => page.getByRole("heading", { level: 2 }).first().textContent()).toBe(`${target.username}_renamed`);
    const [event] = await server.database.sql<{ details: Record<string, unknown> }[]>`
      select details from audit_events where action = 'users.update' and target_id = ${String(target.id)}
        and details->>'outcome' = 'success' order by id desc limit 1`;
    expect(event?.details).toMatchObject({
      before: { username: target.username },
      after: { username: `${target.username}_renamed`, bio: "Edited by an operator." },
    });
  });

  it("suspends with a reason and an end date, shown on the user's page with the exact time on hover", async () => {
    const [target] = await server.database.sql<{ id: number; username: string }[]>`
      select id, username from users where role = 'user' and status = 'active' order by id desc limit 1`;
    if (!target) throw new Error("the seed has no active user");
    await visit(`/users/${target.id}`);
    await page.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menuitem", { name: "Suspend" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Reason" }).fill("Posting spam links");
    const end = new Date(Date.now() + 3 * 86_400_000);
    const local = new Date(end.getTime() - end.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await dialog.getByLabel("Ends").fill(local);
    await screenshot(page, "users-suspend-form");
    await dialog.getByRole("button", { name: "Suspend" }).click();
    const suspension = page.getByTestId("user-suspension");
    await poll(() => suspension.textContent()).toContain("Reason: Posting spam links");
    expect(await suspension.textContent()).toContain("Suspended until");
    const [row] = await server.database.sql<{ suspended_until: string; suspension_reason: string }[]>`
      select suspended_until::text, suspension_reason from users where id = ${target.id}`;
    expect(row?.suspension_reason).toBe("Posting spam links");
    expect(Math.abs(new Date(row?.suspended_until ?? 0).getTime() - end.getTime())).toBeLessThan(60_000);

    // The relative time shows the exact one on hover.
    await suspension.locator("time").hover();
    await poll(() => page.getByRole("tooltip").textContent()).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC[+-]\d\d:\d\d$/,
    );
    await screenshot(page, "user-suspended-until");
  });

  it("shows a user's linked accounts and passkeys, and the last sign-in column", async () => {
    const [target] = await server.database.sql<{ id: number }[]>`
      select id from users where role = 'user' order by id limit 1 offset 3`;
    if (!target) throw new Error("the seed has too few users");
    await server.database.sql`insert into user_identities (user_id, provider, subject, display_name, last_used_at)
      values (${target.id}, 'github', 'e2e-subject', 'octocat', now())`;
    await server.database
      .sql`insert into passkeys (user_id, credential_id, public_key, user_handle, multi_device, backed_up, name)
      values (${target.id}, 'e2e-credential', '\\x01'::bytea, 'e2e-handle', false, false, 'Work laptop')`;
    await visit(`/users/${target.id}`);
    const methods = page.getByRole("table", { name: "Linked accounts and passkeys" });
    await poll(() => methods.getByTestId("identity-github").textContent()).toContain("octocat");
    expect(await methods.getByTestId("passkey-Work laptop").textContent()).toContain("this device only");

    await visit("/users?sort=lastSignInAt");
    await poll(() => page.getByRole("table", { name: "Users" }).getByRole("columnheader").allTextContents()).toContain(
      "Last sign-in",
    );
    expect(await page.getByRole("table", { name: "Users" }).locator("tbody tr").first().textContent()).not.toContain(
      "never",
    );
  });

  it("has API keys in the navigation, on a page of their own", async () => {
    await visit("/account");
    await page.getByRole("navigation").getByRole("link", { name: "API keys" }).click();
    await page.waitForURL(/\/api-keys$/);
    await page.getByRole("button", { name: "Create API key" }).waitFor();
    expect(await page.getByRole("heading", { name: "API keys", level: 2 }).isVisible()).toBe(true);
    await screenshot(page, "api-keys");
  });
});
