import { SESSION_COOKIE } from "@inkwell/api";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertText, poll, signIn, trpcMutation, trpcQuery } from "./support/admin.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const ADMIN = { email: "ops@example.com", password: "operator password 1" };
const PLAIN = { email: "reader@example.com", username: "reader", password: "reader password 1" };

describe("signing in to the admin console", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startTestServer({ INKWELL_ADMIN_EMAIL: ADMIN.email, INKWELL_ADMIN_PASSWORD: ADMIN.password }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("sends a visitor to sign in, which tells them nothing about the server: no version, latency or migrations", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const procedures: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith("/trpc/")) procedures.push(...url.pathname.slice("/trpc/".length).split(","));
    });
    await page.goto(server.url);
    await page.waitForURL(/\/sign-in$/);
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    await page.waitForLoadState("networkidle");
    // Only "who am I?" (the answer is: nobody) and which identity providers to offer; nothing about the server.
    expect(new Set(procedures)).toEqual(new Set(["auth.me", "auth.identities.providers"]));
    expect(await page.getByTestId("server-version").count()).toBe(0);
    expect(await page.getByTestId("database-status").count()).toBe(0);
    const text = (await page.locator("body").textContent()) ?? "";
    expect(text).not.toMatch(/\d+\.\d+\.\d+|migration|latency|\d ms\b|database/i);
    await screenshot(page, "sign-in");
    await context.close();

    // Nor does the procedure answer anyone who asks directly.
    const anonymous = await trpcQuery(server.url, "system.status");
    expect(anonymous.status).toBe(401);
    expect(JSON.stringify(anonymous.body)).not.toMatch(/version|migrations|latency/);
  });

  it("serves index.html for client-side routes so a reload works", async () => {
    const response = await fetch(`${server.url}/users/42`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
  });

  it("shows the server's messages for a wrong password and throttling, then signs in and out with the session cookie", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/users?role=admin`);
    await page.waitForURL(/\/sign-in\?redirect=/);

    await page.getByRole("textbox", { name: "Email" }).fill(ADMIN.email);
    await page.getByRole("textbox", { name: "Password", exact: true }).fill("not the password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    expect(await alertText(page)).toContain("Email or password is incorrect.");
    await screenshot(page, "sign-in-error");

    // Past the free failures the server blocks the account for a while; fake that rather than wait for it.
    await server.database.sql`update throttle_counters set blocked_until = now() + interval '90 seconds'`;
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect
      .poll(() => alertText(page))
      .toMatch(/Too many failed sign-in attempts\. Try again in (8\d|9\d) seconds\./);
    expect(await page.getByRole("button", { name: "Sign in", exact: true }).isDisabled()).toBe(true);
    await screenshot(page, "sign-in-throttled");
    await server.database.sql`delete from throttle_counters`;
    await page.reload();

    await page.getByRole("textbox", { name: "Email" }).fill(ADMIN.email);
    await page.getByRole("textbox", { name: "Password", exact: true }).fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    // Back where the visitor was going.
    await page.waitForURL(/\/users\?role=admin$/);
    await poll(() => page.getByTestId("signed-in-as").textContent()).toBe("admin");
    // Signed in, an operator sees the server's version and the database's health.
    await poll(() => page.getByTestId("server-version").textContent()).toMatch(/^\d+\.\d+\.\d+/);
    expect(await page.getByTestId("database-status").textContent()).toMatch(
      /^reachable \(\d+(\.\d)? ms\), migrations (\d+)\/\2 applied$/,
    );
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === SESSION_COOKIE)).toMatchObject({
      httpOnly: true,
      sameSite: "Lax",
    });

    await page.reload();
    await poll(() => page.getByTestId("signed-in-as").isVisible()).toBe(true);

    await page.getByTestId("user-menu").click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.goto(server.url);
    await page.waitForURL(/\/sign-in$/);
    await context.close();
  });

  it("shows a plain user no operator navigation or actions", async () => {
    const signUp = await trpcMutation(server.url, "auth.signUp", { ...PLAIN, session: "token" });
    expect(signUp.status).toBe(200);
    const token = (signUp.body.result?.data?.json as { token?: string } | undefined)?.token ?? "";
    expect(token).not.toBe("");

    const context = await newContext(browser);
    const page = await context.newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(new URL(request.url()).pathname));
    await signIn(page, server.url, PLAIN.email, PLAIN.password);
    // No dashboard for them: they land on their account.
    await page.waitForURL(/\/account$/);
    const nav = page.getByRole("navigation", { name: "Main navigation" });
    await poll(() => nav.getByRole("link").allTextContents()).toEqual(["My account", "API keys"]);
    expect(await page.getByTestId("my-permissions").textContent()).not.toContain("users:read");
    // The server's status is for operators: a plain user neither sees it nor asks for it.
    expect(await page.getByTestId("server-version").count()).toBe(0);
    expect(requested.filter((path) => path.includes("system.status"))).toEqual([]);
    expect((await trpcQuery(server.url, "system.status", undefined, { authorization: `Bearer ${token}` })).status).toBe(
      403,
    );
    await screenshot(page, "account-plain-user");

    await page.goto(`${server.url}/users`);
    const refusal = page.getByTestId("forbidden-page");
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("It needs the “users:read” permission");
    expect(await page.getByRole("table", { name: "Users" }).count()).toBe(0);
    await context.close();
  });
});
