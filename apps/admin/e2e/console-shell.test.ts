import { SEED_PASSWORD, seed } from "@inkwell/db/seed";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { contrastRatio } from "../src/theme-contrast.ts";
import { signIn } from "./support/admin.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { roomy, slowPoll } from "./support/roomy.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const ADMIN = { email: "admin@example.com", password: SEED_PASSWORD };
const MODERATOR = { email: "moderator@example.com", password: SEED_PASSWORD };

declare global {
  interface Window {
    pathsSeen: string[];
  }
}

/** Every path the single-page app moved to (pushState, replaceState), recorded from the first script on. */
function recordPaths() {
  window.pathsSeen = [];
  for (const method of ["pushState", "replaceState"] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History["pushState"]>) {
      original.apply(this, args);
      window.pathsSeen.push(location.pathname);
    };
  }
}

/** The console's frame, seen by an operator: skip link, focus, contrast, toasts, sign-out, refusals, avatars. */
describe("the console's shell", { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await seed(server.database.db, {
      users: 30,
      articles: 10,
      comments: 10,
      favorites: 10,
      follows: 10,
      tags: 5,
      tagsPerArticle: 2,
      seed: 3,
      reset: true,
      avatarBaseUrl: server.url,
    });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  let adminPage: Page | undefined;

  /**
   * The admin's page, signed in once for the tests that neither sign out nor change who is signed in (a
   * context and a sign-in each cost seconds); each test opens its page afresh at the size it asks for.
   */
  async function signedInAdmin(width = 1440, height = 900): Promise<Page> {
    if (!adminPage) {
      const context = await roomy(newContext(browser, { viewport: { width, height } }));
      contexts.push(context);
      adminPage = await context.newPage();
      await signIn(adminPage, server.url, ADMIN.email, ADMIN.password);
    }
    await adminPage.setViewportSize({ width, height });
    return adminPage;
  }

  it("starts with a skip link to the page's content, and every control it tabs to shows a focus ring", async () => {
    const page = await signedInAdmin();
    await page.goto(`${server.url}/users`);
    await page.getByRole("table", { name: "Users" }).locator("tbody tr").first().waitFor();

    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to main content" });
    expect(await skip.evaluate((link) => link === document.activeElement)).toBe(true);
    const box = await skip.boundingBox();
    expect(box && box.y >= 0 && box.x >= 0 && box.width > 50).toBe(true);
    await screenshot(page, "skip-link");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main-content");
    expect(new URL(page.url()).pathname).toBe("/users");

    // From the top again: the header, the navigation, the filters, the table, its row menus, the pages.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const unringed: string[] = [];
    const reached = new Set<string>();
    for (let stop = 0; stop < 45; stop++) {
      await page.keyboard.press("Tab");
      const focus = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        if (!element || element === document.body) return null;
        const style = getComputedStyle(element);
        const box = element.getBoundingClientRect();
        return {
          name: `${element.tagName.toLowerCase()} "${(element.getAttribute("aria-label") ?? element.textContent ?? "").trim().slice(0, 40)}"`,
          shown: box.width > 2 && box.height > 2 && style.opacity !== "0",
          ring: style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2,
        };
      });
      if (!focus) continue;
      reached.add(focus.name);
      if (focus.shown && !focus.ring) unringed.push(focus.name);
    }
    expect(reached.size).toBeGreaterThan(20);
    expect(unringed).toEqual([]);
  });

  it("draws dimmed text (emails, dates, counts) at 4.5:1 or more in both themes", async () => {
    const page = await signedInAdmin();
    onTestFinished(() => page.emulateMedia({ colorScheme: "light" }));
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${server.url}/users`);
      await page.getByRole("table", { name: "Users" }).locator("tbody tr").first().waitFor();
      expect(await page.evaluate(() => document.documentElement.dataset.mantineColorScheme)).toBe(scheme);
      // An email under a username in the users table is dimmed text.
      const colors = await page.evaluate(() => {
        const dimmed = [...document.querySelectorAll<HTMLElement>("main *")].filter(
          (element) => element.style.color === "var(--mantine-color-dimmed)" && element.textContent?.trim(),
        );
        const body = getComputedStyle(document.body).backgroundColor;
        return { count: dimmed.length, texts: [...new Set(dimmed.map((e) => getComputedStyle(e).color))], body };
      });
      expect(colors.count).toBeGreaterThan(0);
      for (const text of colors.texts) expect(contrastRatio(text, colors.body)).toBeGreaterThanOrEqual(4.5);
      // The emails of the users table, as drawn.
      const email = page
        .getByRole("table", { name: "Users" })
        .locator("tbody tr td p", { hasText: "@example.com" })
        .first();
      const emailColor = await email.evaluate((element) => getComputedStyle(element).color);
      expect(contrastRatio(emailColor, colors.body)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(emailColor, colors.body)).toBeLessThan(
        contrastRatio(colors.body === "rgb(255, 255, 255)" ? "#000" : "#fff", colors.body),
      );
    }
  });

  for (const width of [1440, 390]) {
    it(`shows toasts clear of the theme toggle and the account menu at ${width} px`, async () => {
      const page = await signedInAdmin(width, 844);
      await page.goto(`${server.url}/account`);
      await page.getByRole("switch", { name: "Email me when someone comments on my articles" }).click();
      const toast = page.locator(".mantine-Notification-root").filter({ hasText: "Comment emails are" });
      await toast.waitFor();
      const toastBox = await toast.boundingBox();
      const toggleBox = await page
        .getByRole("banner")
        .getByRole("button", { name: /^Use (dark|light) mode$/ })
        .boundingBox();
      const menuBox = await page.getByTestId("user-menu").boundingBox();
      if (!toastBox || !toggleBox || !menuBox) throw new Error("toast, toggle or menu not on screen");
      const overlaps = (a: typeof toastBox, b: typeof toastBox) =>
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      expect(overlaps(toastBox, toggleBox)).toBe(false);
      expect(overlaps(toastBox, menuBox)).toBe(false);
      // Still usable while the toast shows.
      await page.getByTestId("user-menu").click();
      await page.getByRole("menuitem", { name: "Sign out" }).waitFor();
      await screenshot(page, `toast-${width}`);
      await page.keyboard.press("Escape");
    });
  }

  it("signs out straight to sign-in: no dashboard on the way, no request refused with 401", async () => {
    const context = await roomy(newContext(browser, { viewport: { width: 1280, height: 800 } }));
    contexts.push(context);
    await context.addInitScript(recordPaths);
    const page = await context.newPage();
    await signIn(page, server.url, ADMIN.email, ADMIN.password);
    await page.goto(`${server.url}/users`);
    await page.getByRole("table", { name: "Users" }).locator("tbody tr").first().waitFor();
    await page.evaluate(() => {
      window.pathsSeen = [];
    });

    const answers: { status: number; url: string }[] = [];
    page.on("response", (response) => answers.push({ status: response.status(), url: response.url() }));
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    await page.getByTestId("user-menu").click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    // Whatever a late query would do, it would do within this.
    await page.waitForTimeout(1_500);

    expect(new URL(page.url()).pathname).toBe("/sign-in");
    const paths = await page.evaluate(() => window.pathsSeen);
    expect(paths.length).toBeGreaterThan(0);
    expect(new Set(paths)).toEqual(new Set(["/sign-in"]));
    expect(answers.filter((answer) => answer.status === 401)).toEqual([]);
    const calls = requested.filter((url) => url.includes("/trpc/")).map((url) => new URL(url).pathname);
    expect(calls).toContain("/trpc/auth.signOut");
    expect(calls.filter((path) => /dashboard|auth\.me/.test(path))).toEqual([]);
    // Signed out for real: a console page sends them to sign in.
    await page.goto(`${server.url}/users`);
    await page.waitForURL(/\/sign-in\?redirect=%2Fusers$/);
  });

  it("refuses a page the role may not open with a page that explains, leads back, and logs no error", async () => {
    const context = await roomy(newContext(browser, { viewport: { width: 1280, height: 800 } }));
    contexts.push(context);
    const page = await context.newPage();
    // Signing in is not what is checked: the sign-in page's "who is signed in?" is answered 401, which Chromium logs.
    await signIn(page, server.url, MODERATOR.email, MODERATOR.password);
    const logged: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") logged.push(message.text());
    });
    page.on("pageerror", (error) => logged.push(error.message));
    await page.goto(`${server.url}/account`);
    await page.getByTestId("account-username").waitFor();

    await page.goto(`${server.url}/settings`);
    const refusal = page.getByTestId("forbidden-page");
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("You cannot open this page");
    expect(await refusal.textContent()).toContain(
      "It needs the “users:manage” permission, which the moderator role does not have.",
    );
    // Inside the console: its navigation and menu stay.
    expect(await page.getByRole("navigation", { name: "Main navigation" }).count()).toBe(1);
    expect(await page.getByRole("alert").count()).toBe(0);
    await screenshot(page, "forbidden");

    await refusal.getByRole("button", { name: "Go back" }).click();
    await page.waitForURL(`${server.url}/account`);
    await page.getByTestId("account-username").waitFor();
    await page.goForward();
    await page.getByTestId("forbidden-page").getByRole("link", { name: "Go to the dashboard" }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    expect(logged).toEqual([]);
  });

  it("shows the seeded avatars from this server, drawn as SVG", async () => {
    const page = await signedInAdmin();
    const elsewhere: string[] = [];
    const fromElsewhere = (request: Request) => {
      if (new URL(request.url()).origin !== new URL(server.url).origin && !request.url().startsWith("data:")) {
        elsewhere.push(request.url());
      }
    };
    page.on("request", fromElsewhere);
    onTestFinished(() => {
      page.off("request", fromElsewhere);
    });
    const withImages = await server.database.sql<{ id: number; username: string; image: string }[]>`
      select id, username, image from users where image is not null order by id limit 3`;
    expect(withImages.length).toBe(3);
    for (const user of withImages) {
      expect(user.image).toBe(`${server.url}/avatars/${user.username}.svg`);
      await page.goto(`${server.url}/users/${user.id}`);
      await page.getByRole("heading", { name: user.username, exact: true }).waitFor();
      const avatar = page.getByRole("main").locator("img");
      await slowPoll(() =>
        avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      ).toBeGreaterThan(0);
      expect(await avatar.getAttribute("src")).toBe(user.image);
    }
    await screenshot(page, "user-with-avatar");
    const [stored] = await server.database.sql<{ n: number }[]>`
      select count(*)::int as n from users where image is not null and image not like ${`${server.url}/avatars/%`}`;
    expect(stored?.n).toBe(0);
    expect(elsewhere).toEqual([]);
  });
});
