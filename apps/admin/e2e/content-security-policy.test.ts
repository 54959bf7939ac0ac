import { SEED_PASSWORD, seed } from "@inkwell/db/seed";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poll, signIn } from "./support/admin.ts";
import { launchBrowser, newContext } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

/** The exact policy, with the one part that changes per response (the style nonce) as a pattern. */
const POLICY =
  /^default-src 'none'; script-src 'self'; style-src 'self' 'nonce-([A-Za-z0-9+/]{24})'; img-src 'self' https: data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'$/;
const ASSET_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

interface Violation {
  directive: string;
  blockedURI: string;
  sample: string;
}

declare global {
  interface Window {
    cspViolations: Violation[];
  }
}

/** Every page of the console, under the Content-Security-Policy the server sends, as the seeded admin. */
describe("the admin console's Content-Security-Policy", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  /** Violations the page reported since it loaded (the list lives in the page, so read it before leaving). */
  const violations = () => page.evaluate(() => window.cspViolations);

  /** Loads `path`, checks the response's policy, and waits until `ready` shows. */
  async function load(path: string, ready: (page: Page) => Promise<unknown>): Promise<string> {
    const response = await page.goto(`${server.url}${path}`);
    const policy = response?.headers()["content-security-policy"] ?? "";
    expect(policy, path).toMatch(POLICY);
    await ready(page);
    // Everything Mantine wrote into <style> elements carries this response's nonce.
    const nonce = policy.match(POLICY)?.[1];
    await poll(() =>
      page.evaluate(() => document.querySelectorAll("style[data-mantine-styles]").length),
    ).toBeGreaterThan(0);
    expect(
      await page.evaluate(() => [...document.querySelectorAll("style")].map((style) => style.nonce)),
      path,
    ).toEqual(expect.arrayContaining([nonce]));
    expect(new Set(await page.evaluate(() => [...document.querySelectorAll("style")].map((s) => s.nonce)))).toEqual(
      new Set([nonce]),
    );
    return nonce ?? "";
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await seed(server.database.db, {
      users: 12,
      articles: 10,
      comments: 20,
      favorites: 10,
      follows: 10,
      tags: 6,
      tagsPerArticle: 2,
      seed: 5,
      reset: true,
    });
    // Avatars from our own origin (seeded ones point at the internet): real <img> elements under img-src.
    await server.database.sql`update users set image = ${`${server.url}/favicon.svg`}`;
    context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
    // Runs before any script of the page, and is not itself subject to the page's policy.
    await context.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener("securitypolicyviolation", (event) => {
        window.cspViolations.push({
          directive: event.effectiveDirective,
          blockedURI: event.blockedURI,
          sample: event.sample,
        });
      });
    });
    page = await context.newPage();
    page.on("console", (message) => {
      if (/content[- ]security[- ]policy/i.test(message.text())) consoleErrors.push(message.text());
    });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it("holds on the public pages of the links Inkwell emails, and the page that asks for one", async () => {
    const pages: [string, (p: Page) => Promise<unknown>][] = [
      ["/forgot-password", (p) => p.getByRole("button", { name: "Email me a link" }).waitFor()],
      ["/reset-password?token=abc", (p) => p.getByRole("button", { name: "Set new password" }).waitFor()],
      ["/verify-email?token=abc", (p) => p.getByRole("button", { name: "Confirm my email address" }).waitFor()],
    ];
    const nonces = new Set<string>();
    for (const [path, ready] of pages) {
      nonces.add(await load(path, ready));
      expect(await violations(), path).toEqual([]);
    }
    expect(nonces.size).toBe(pages.length);
    expect(consoleErrors).toEqual([]);
  });

  // Every page of the console, one after another (more with each feature): longer than the e2e default.
  it("holds on every page, signed out and in, with no violation and no console error", {
    timeout: 180_000,
  }, async () => {
    const firstNonce = await load("/sign-in", (p) => p.getByRole("button", { name: "Sign in", exact: true }).waitFor());
    expect(await violations()).toEqual([]);
    await signIn(page, server.url, "admin@example.com", SEED_PASSWORD);
    expect(await violations()).toEqual([]);

    const [someone] = await server.database.sql<{ id: number }[]>`select id from users where role = 'user' limit 1`;
    const pages: [string, (p: Page) => Promise<unknown>][] = [
      ["/", (p) => p.locator(".recharts-surface").first().waitFor()],
      ["/users", (p) => p.getByRole("table", { name: "Users" }).locator("tbody tr").first().waitFor()],
      [`/users/${someone?.id}`, (p) => p.locator("img.mantine-Avatar-image").first().waitFor()],
      ["/articles", (p) => p.getByTestId("live-status").getByText("Live").waitFor()],
      ["/comments", (p) => p.getByRole("table").locator("tbody tr").first().waitFor()],
      ["/tags", (p) => p.getByRole("table").locator("tbody tr").first().waitFor()],
      ["/audit", (p) => p.getByRole("table").locator("tbody tr").first().waitFor()],
      ["/settings", (p) => p.getByRole("checkbox", { name: "All moderators" }).waitFor()],
      ["/jobs", (p) => p.getByRole("table", { name: "Queue depth" }).locator("tbody tr").first().waitFor()],
      ["/outbox", (p) => p.getByText("No emails yet").waitFor()],
      ["/webhooks", (p) => p.getByText("No endpoints").waitFor()],
      ["/account", (p) => p.getByTestId("my-permissions").waitFor()],
    ];
    const nonces = new Set([firstNonce]);
    for (const [path, ready] of pages) {
      nonces.add(await load(path, ready));
      // Menus and tooltips render in portals, with styles of their own.
      await page.getByTestId("user-menu").click();
      await page.getByRole("menuitem", { name: "Sign out" }).waitFor();
      await page.keyboard.press("Escape");
      await poll(() => page.locator("img.mantine-Avatar-image").count()).toBeGreaterThan(0);
      expect(await violations(), path).toEqual([]);
    }
    // The QR code of two-factor enrolment (an SVG drawn by qrcode.react).
    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    await page.getByTestId("totp-qr-code").waitFor();
    expect(await violations(), "two-factor enrolment").toEqual([]);
    // The pages outside the app shell where an operator with a breached password, or without a second factor
    // their role requires, is sent first.
    const sql = server.database.sql;
    await sql`insert into settings (key, value) values ('requireTwoFactor', '{"roles": ["admin"]}')`;
    nonces.add(await load("/users", (p) => p.getByRole("heading", { name: "Turn on two-factor sign-in" }).waitFor()));
    expect(new URL(page.url()).pathname).toBe("/two-factor-setup");
    expect(await violations(), "/two-factor-setup").toEqual([]);
    await sql`delete from settings`;
    await sql`update users set password_is_common = true where email = 'admin@example.com'`;
    nonces.add(await load("/users", (p) => p.getByRole("heading", { name: "Change your password" }).waitFor()));
    expect(new URL(page.url()).pathname).toBe("/change-password");
    expect(await violations(), "/change-password").toEqual([]);
    await sql`update users set password_is_common = false where email = 'admin@example.com'`;
    // Where identity providers send the browser back (no provider is configured here: it says so).
    nonces.add(
      await load("/sign-in/callback/corp?code=x&state=y", (p) => p.getByText("Sign-in did not complete").waitFor()),
    );
    expect(await violations(), "/sign-in/callback").toEqual([]);
    // A fresh nonce for every page load.
    expect(nonces.size).toBe(pages.length + 4);
    expect(consoleErrors).toEqual([]);
  });

  it("blocks what an injection would try: inline script, inline handlers, styles without the nonce, other origins", async () => {
    await load("/account", (p) => p.getByTestId("my-permissions").waitFor());
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.injected = 'script'";
      document.body.append(script);
      document.body.insertAdjacentHTML("beforeend", `<img src="/favicon.svg?x" onload="window.injected = 'handler'">`);
      const style = document.createElement("style");
      style.textContent = "body { background: red }";
      document.head.append(style);
      document.body.insertAdjacentHTML("beforeend", `<div style="color: red">styled</div>`);
      const external = document.createElement("script");
      external.src = "https://cdn.example.com/x.js";
      document.body.append(external);
      void fetch("https://api.example.com/collect").catch(() => {});
    });
    await poll(async () => (await violations()).map((v) => v.directive).sort()).toEqual([
      "connect-src",
      "script-src-attr",
      "script-src-elem",
      "script-src-elem",
      "style-src-attr",
      "style-src-elem",
    ]);
    expect(await page.evaluate(() => (window as unknown as { injected?: string }).injected)).toBeUndefined();
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe("rgb(255, 0, 0)");
  });

  it("comes with every file of the console, and the page that carries a nonce is never cached", async () => {
    const index = await fetch(`${server.url}/users/42`);
    expect(index.headers.get("content-security-policy")).toMatch(POLICY);
    expect(index.headers.get("cache-control")).toBe("no-store");
    const html = await index.text();
    const nonce = index.headers.get("content-security-policy")?.match(POLICY)?.[1];
    expect(html).toContain(`<meta property="csp-nonce" nonce="${nonce}" />`);
    expect(html).not.toContain("__INKWELL_CSP_NONCE__");
    // No inline script left in the page: every <script> has a src.
    expect(html.match(/<script\b[^>]*>/g)?.every((tag) => / src="\/[^"]+"/.test(tag))).toBe(true);
    expect((await fetch(`${server.url}/`)).headers.get("content-security-policy")).toMatch(POLICY);
    expect((await fetch(`${server.url}/index.html`)).headers.get("content-security-policy")).toMatch(POLICY);

    for (const file of ["/color-scheme.js", "/favicon.svg", html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1]]) {
      const response = await fetch(`${server.url}${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get("content-security-policy"), file).toBe(ASSET_POLICY);
    }
  });
});
