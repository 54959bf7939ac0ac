import { SESSION_COOKIE } from "@inkwell/api";
import { hashPassword, type Role, verifyPassword } from "@inkwell/auth";
import { TEST_ADMIN } from "@inkwell/server/testing";
import type { Browser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describedBy, poll, signIn, trpcMutation } from "./support/admin.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

/** `password123` and `12345678` are on the breached-password list; the passphrase is not. */
const BREACHED = "password123";
const ALSO_BREACHED = "12345678";
const SOUND = "a sound passphrase of mine";
const BREACHED_MESSAGE = "This password appears in lists of breached passwords. Choose another.";

/** An operator who must change a breached password before the console opens to them. */
describe("operators with a breached password in the admin console", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A user written straight into the database, as if their password had been set before breached ones were refused. */
  async function insertUser(username: string, role: Role, password: string) {
    const passwordHash = await hashPassword(password);
    const [user] = await server.database.sql<{ id: number; email: string }[]>`
      insert into users (email, username, password_hash, role)
      values (${`${username}@example.com`}, ${username}, ${passwordHash}, ${role})
      returning id, email`;
    if (!user) throw new Error("insert returned no row");
    return { ...user, username, password };
  }

  async function storedPassword(userId: number) {
    const [row] = await server.database.sql<{ hash: string; common: boolean }[]>`
      select password_hash as hash, password_is_common as common from users where id = ${userId}`;
    if (!row) throw new Error(`no user ${userId}`);
    return row;
  }

  /** Fills and submits the change-password form. */
  async function changePassword(page: Page, current: string, next: string) {
    const form = page.getByRole("form", { name: "Change password" });
    await form.getByLabel("Current password").fill(current);
    await form.getByRole("textbox", { name: "New password", exact: true }).fill(next);
    await form.getByLabel("Repeat new password").fill(next);
    await form.getByRole("button", { name: "Change password" }).click();
  }

  const pathAndSearch = (page: Page) => {
    const url = new URL(page.url());
    return `${url.pathname}${url.search}`;
  };

  it("sends an admin who signed in with one to change it, keeps every page closed until then, refuses another breached one, then opens the page they wanted", async () => {
    const admin = await insertUser("leaky-admin", "admin", BREACHED);
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(`${server.url}/users?role=admin`);
    await page.waitForURL(/\/sign-in\?redirect=/);
    await page.getByRole("textbox", { name: "Email" }).fill(admin.email);
    await page.getByRole("textbox", { name: "Password", exact: true }).fill(BREACHED);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();

    // Not the console: the password change, which remembers where they were going.
    await page.waitForURL(/\/change-password\?/);
    expect(new URL(page.url()).searchParams.get("redirect")).toBe("/users?role=admin");
    await page.getByRole("heading", { name: "Change your password" }).waitFor();
    const reason = (await page.getByTestId("password-change-reason").textContent()) ?? "";
    expect(reason).toContain("appears in lists of passwords leaked in data breaches");
    expect(reason).toContain("Until you choose a new one, you have a plain user's access");
    expect(await page.getByRole("main").textContent()).toContain(`Signed in as ${admin.email}`);
    expect(await page.getByTestId("user-menu").count()).toBe(0);
    expect(await page.getByRole("navigation", { name: "Main navigation" }).count()).toBe(0);
    expect((await storedPassword(admin.id)).common).toBe(true);
    await screenshot(page, "change-password-required");

    // Every console page, typed into the address bar, comes back here.
    for (const [path, expected] of [
      ["/", "/change-password"],
      ["/account", "/change-password?redirect=%2Faccount"],
      ["/audit", "/change-password?redirect=%2Faudit"],
      [`/users/${admin.id}`, `/change-password?redirect=%2Fusers%2F${admin.id}`],
      ["/users", "/change-password?redirect=%2Fusers"],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole("heading", { name: "Change your password" }).waitFor();
      expect(pathAndSearch(page), path).toBe(expected);
      expect(await page.getByRole("table").count(), path).toBe(0);
    }

    // Another breached password is refused next to the field, and the old one stays.
    await changePassword(page, BREACHED, ALSO_BREACHED);
    const newPasswordField = page.getByRole("form", { name: "Change password" }).getByRole("textbox", {
      name: "New password",
      exact: true,
    });
    await poll(() => describedBy(newPasswordField)).toContain(BREACHED_MESSAGE);
    expect(await newPasswordField.getAttribute("aria-invalid")).toBe("true");
    expect(pathAndSearch(page)).toBe("/change-password?redirect=%2Fusers");
    const unchanged = await storedPassword(admin.id);
    expect(await verifyPassword(unchanged.hash, BREACHED)).toBe(true);
    await screenshot(page, "change-password-breached-refused");

    // A sound one opens the console, at the page they asked for last, with an admin's powers.
    await changePassword(page, BREACHED, SOUND);
    await page.waitForURL(`${server.url}/users`);
    await page.getByRole("table", { name: "Users" }).locator("tbody tr").first().waitFor();
    await poll(() => page.getByTestId("signed-in-as").textContent()).toBe(admin.username);
    const changed = await storedPassword(admin.id);
    expect(changed.common).toBe(false);
    expect(await verifyPassword(changed.hash, SOUND)).toBe(true);

    // The change page has nothing more to ask of them; the account page's form refuses breached passwords too.
    await page.goto(`${server.url}/change-password?redirect=%2Faudit`);
    await page.waitForURL(`${server.url}/audit`);
    await page.goto(`${server.url}/account`);
    await changePassword(page, SOUND, BREACHED);
    const accountField = page.getByRole("form", { name: "Change password" }).getByRole("textbox", {
      name: "New password",
      exact: true,
    });
    await poll(() => describedBy(accountField)).toContain(BREACHED_MESSAGE);
    expect(await verifyPassword((await storedPassword(admin.id)).hash, SOUND)).toBe(true);
    await context.close();
  });

  it("lets them sign out instead", async () => {
    const moderator = await insertUser("leaky-moderator", "moderator", BREACHED);
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole("textbox", { name: "Email" }).fill(moderator.email);
    await page.getByRole("textbox", { name: "Password", exact: true }).fill(BREACHED);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${server.url}/change-password`);
    expect(await page.getByTestId("password-change-reason").textContent()).toContain(
      "the console's moderator pages stay closed to you",
    );

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${server.url}/sign-in`);
    expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain(SESSION_COOKIE);
    const [sessions] = await server.database.sql<{ n: number }[]>`
      select count(*)::int as n from sessions where user_id = ${moderator.id}`;
    expect(sessions?.n).toBe(0);
    // Signed out, the change page sends them to sign in, and back to it afterwards.
    await page.goto(`${server.url}/change-password`);
    await page.waitForURL(`${server.url}/sign-in?redirect=%2Fchange-password`);
    await context.close();
  });

  it("sends an admin there from a page already open once the server learns their password is breached", async () => {
    const admin = await insertUser("drifting-admin", "admin", SOUND);
    const context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
    // `auth.me` stays fresh for 10 s; the page's clock lets the test skip ahead instead of waiting.
    await context.clock.install();
    const page = await context.newPage();
    await signIn(page, server.url, admin.email, SOUND);
    await page.goto(`${server.url}/users`);
    await page.getByRole("table", { name: "Users" }).locator("tbody tr").first().waitFor();

    // Elsewhere, they sign in with a breached password (set before such passwords were refused).
    await server.database.sql`update users set password_hash = ${await hashPassword(BREACHED)} where id = ${admin.id}`;
    expect(
      (await trpcMutation(server.url, "auth.signIn", { email: admin.email, password: BREACHED, session: "token" }))
        .status,
    ).toBe(200);
    expect((await storedPassword(admin.id)).common).toBe(true);

    // Back to this tab: the console asks the server again who they are.
    await page.clock.fastForward(11_000);
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange", { bubbles: true })));
    await page.waitForURL(/\/change-password\?/);
    expect(new URL(page.url()).searchParams.get("redirect")).toBe("/users");
    await page.getByRole("heading", { name: "Change your password" }).waitFor();
    await context.close();
  });

  describe("granting an operator role", () => {
    const roleCell = (page: Page, username: string) =>
      page
        .getByRole("table", { name: "Users" })
        .getByRole("row")
        .filter({ has: page.getByRole("link", { name: username, exact: true }) })
        .locator("td:nth-child(3)");

    it("is refused for a user whose password is breached: the server's message shows and the role goes back at once", async () => {
      const signUp = await trpcMutation(server.url, "auth.signUp", {
        email: "leaky-reader@example.com",
        username: "leaky-reader",
        password: BREACHED,
        session: "token",
      });
      expect(signUp.status).toBe(200);
      const signedUp = signUp.body.result?.data?.json as { user: { id: number }; token: string } | undefined;
      if (!signedUp) throw new Error("sign-up returned no user");
      const { user: reader, token } = signedUp;

      const context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await signIn(page, server.url, TEST_ADMIN.email, TEST_ADMIN.password);
      await page.goto(`${server.url}/users?search=leaky-reader`);
      await poll(() => roleCell(page, "leaky-reader").textContent()).toBe("user");

      // Hold the role change until the table has shown it, and every reload of the list afterwards:
      // whatever puts the role back must be the console's own rollback, not fresh data from the server.
      const heldChanges: Route[] = [];
      const heldLists: Route[] = [];
      const isSetRole = (url: URL) => url.pathname.includes("users.setRole");
      const isList = (url: URL) => url.pathname.includes("users.list");
      await page.route(isSetRole, (route) => void heldChanges.push(route));
      await page.route(isList, (route) => void heldLists.push(route));

      await page.getByRole("button", { name: "Actions for leaky-reader" }).click();
      await page.getByRole("menuitem", { name: "Make moderator" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Make moderator" }).click();
      await poll(() => roleCell(page, "leaky-reader").textContent()).toBe("moderator");
      await poll(() => heldChanges.length).toBe(1);
      await heldChanges[0]?.continue();
      await page.unroute(isSetRole);

      const message =
        "leaky-reader's password is on a list of breached passwords: they must change it before they can be a moderator.";
      const notice = page.getByRole("alert").filter({ hasText: "Could not change the role" });
      await poll(() => notice.textContent()).toContain(message);
      await poll(() => roleCell(page, "leaky-reader").textContent()).toBe("user");
      await screenshot(page, "users-role-refused");
      // Let the held reloads through (one the console gave up on is already handled).
      await Promise.all(heldLists.map((route) => route.continue().catch(() => {})));
      await page.unroute(isList);
      const [stored] = await server.database.sql<{ role: string }[]>`select role from users where id = ${reader.id}`;
      expect(stored?.role).toBe("user");

      // The same from the user's own page.
      await page.goto(`${server.url}/users/${reader.id}`);
      const heading = page.getByRole("heading", { level: 2, name: "leaky-reader" });
      await heading.waitFor();
      await page.getByRole("button", { name: "Actions", exact: true }).click();
      await page.getByRole("menuitem", { name: "Make admin" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Make admin" }).click();
      await poll(() =>
        page
          .getByRole("alert")
          .filter({ hasText: "leaky-reader's password is on a list of breached passwords" })
          .count(),
      ).toBe(1);
      await poll(() => heading.locator("..").textContent()).toBe("leaky-readeruseractiveemail unverified");

      // Once they have changed it, the same change goes through.
      const changed = await trpcMutation(
        server.url,
        "auth.changePassword",
        { currentPassword: BREACHED, newPassword: SOUND },
        token,
      );
      expect(changed.status).toBe(200);
      await page.getByRole("button", { name: "Actions", exact: true }).click();
      await page.getByRole("menuitem", { name: "Make moderator" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Make moderator" }).click();
      await poll(() => page.getByText("leaky-reader is now a moderator.").isVisible()).toBe(true);
      await poll(() => heading.locator("..").textContent()).toBe("leaky-readermoderatoractiveemail unverified");
      await context.close();
    });
  });
});
