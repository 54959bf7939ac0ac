import { hashPassword } from "@inkwell/auth";
import { SEED_PASSWORD, seed } from "@inkwell/db/seed";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, trpcMutation } from "./support/admin.ts";
import { axeOnEveryPage, seriousViolations } from "./support/axe.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { type ConsolePage, consolePages, routePaths, type Visitor } from "./support/console-routes.ts";
import { roomy } from "./support/roomy.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const ADMIN = { email: "admin@example.com", password: SEED_PASSWORD };
/** An admin whose password is on the breached list: the console sends them to change it. */
const BREACHED = { username: "walk-breached", email: "walk-breached@example.com", password: "password123" };
/** A moderator whose role must use two-factor sign-in, not yet set up: the console sends them to set it up. */
const UNENROLLED = {
  username: "walk-unenrolled",
  email: "walk-unenrolled@example.com",
  password: "a sound passphrase",
};

interface Look {
  name: string;
  width: number;
  height: number;
  colorScheme: "light" | "dark";
  /** Suffix of the screenshot files; none: no screenshots. */
  screenshots?: string;
}

const LOOKS: Look[] = [
  { name: "light theme at 1,440 px", width: 1440, height: 900, colorScheme: "light", screenshots: "1440" },
  { name: "light theme at 390 px", width: 390, height: 844, colorScheme: "light", screenshots: "390" },
  { name: "dark theme at 1,440 px", width: 1440, height: 900, colorScheme: "dark", screenshots: "1440-dark" },
];

/**
 * Opens every page of the router (support/console-routes.ts reads them from the route tree), in both themes at
 * laptop width and in the light theme at phone width (a fourth look, dark at phone width, added about four
 * minutes of a loaded CI machine and checked nothing the other three miss), as whoever the page is for. The first
 * look loads each page afresh; the others reach each page through the console's router (78 s → 17 s for those two
 * looks). On each: the page is in the look's theme, axe finds no serious or critical violation,
 * nothing is requested from another host (blocked and counted), nothing is logged as an error, and at phone
 * width every table keeps each row's name and buttons in view. Screenshots go to test-results/screenshots
 * (listed in apps/admin/README.md).
 */
describe("every page of the console", () => {
  let server: TestServer;
  let browser: Browser;
  let pages: ConsolePage[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await seed(server.database.db, {
      users: 30,
      articles: 40,
      comments: 60,
      favorites: 40,
      follows: 30,
      tags: 10,
      tagsPerArticle: 2,
      seed: 7,
      reset: true,
      avatarBaseUrl: server.url,
    });
    const sql = server.database.sql;
    // Recent activity for the dashboard's charts and feed, and one of each state the lists show.
    const recently = sql`now() - floor(random() * 30) * interval '1 day' - interval '1 hour'`;
    await sql`update articles set created_at = ${recently} where id % 2 = 0`;
    await sql`update users set created_at = ${recently} where id > 20`;
    const breachedHash = await hashPassword(BREACHED.password);
    const soundHash = await hashPassword(UNENROLLED.password);
    await sql`insert into users (email, username, password_hash, role) values
      (${BREACHED.email}, ${BREACHED.username}, ${breachedHash}, 'admin'),
      (${UNENROLLED.email}, ${UNENROLLED.username}, ${soundHash}, 'moderator')`;
    const signedIn = await trpcMutation(server.url, "auth.signIn", { ...ADMIN, session: "token" });
    const token = (signedIn.body.result?.data?.json as { token?: string } | undefined)?.token;
    const required = await trpcMutation(server.url, "settings.requireTwoFactor.set", { roles: ["moderator"] }, token);
    expect(required.status).toBe(200);
    // Some work for the jobs and outbox pages, and an audit trail: a failed sign-in and a password reset email.
    await trpcMutation(server.url, "auth.signIn", { email: ADMIN.email, password: "not the password" });
    await trpcMutation(server.url, "auth.requestPasswordReset", { email: ADMIN.email });

    const [someone] = await sql<{ id: number }[]>`select id from users where role = 'user' order by id limit 1`;
    pages = consolePages({ userId: someone?.id ?? 1, provider: "github" });
  });
  afterAll(async () => {
    for (const { page } of visitorPages.values()) await page.context().close();
    await browser?.close();
    await server?.close();
  });

  it("walks every route of the router, each as the user it is for", () => {
    const routes = routePaths();
    // The ones there were when this was written; any added since are walked too.
    expect(routes.map((route) => route.route)).toEqual(
      expect.arrayContaining(["/", "/users", "/users/$userId", "/audit", "/account", "/sign-in", "/change-password"]),
    );
    expect(pages.map((page) => page.route)).toEqual(routes.map((route) => route.route));
    const visitors = Object.fromEntries(pages.map((page) => [page.route, page.visitor]));
    expect(visitors).toMatchObject({
      "/": "admin",
      "/users/$userId": "admin",
      "/sign-in": "signed-out",
      "/change-password": "password-change",
      "/two-factor-setup": "two-factor-setup",
    });
  });

  /**
   * One context per visitor for the whole walk, signed in once: each look sets the page's size and theme
   * before opening every page (afresh in the first look, through the router in the others). A context of its
   * own per visitor and look cost about 3 s each (a new renderer, cold caches, a sign-in) and showed nothing
   * more: the console keeps nothing in storage but the session and a theme chosen with the toggle, which the walk
   * never touches.
   */
  const visitorPages = new Map<Visitor, { page: Page; look?: Look }>();
  /** What the current look saw: requests to other hosts (refused), errors the pages logged. */
  let foreign: string[] = [];
  let errors: string[] = [];

  async function pageFor(visitor: Visitor, look: Look): Promise<Page> {
    const open = visitorPages.get(visitor) ?? { page: await openAs(visitor) };
    if (open.look !== look) {
      await open.page.setViewportSize({ width: look.width, height: look.height });
      await open.page.emulateMedia({ colorScheme: look.colorScheme });
      // On a console page already (from the look before), Mantine follows the new scheme through a media-query
      // listener a moment later: a page the look then reaches without navigating was read before the switch (CI:
      // /two-factor-setup "light" in the dark look). Up to 5 s; each page's theme is still judged after.
      if (open.look) {
        await open.page
          .waitForFunction(
            (wanted) => document.documentElement.dataset.mantineColorScheme === wanted,
            look.colorScheme,
            { timeout: 5_000 },
          )
          .catch(() => undefined);
      }
      visitorPages.set(visitor, { page: open.page, look });
    }
    return open.page;
  }

  async function openAs(visitor: Visitor): Promise<Page> {
    const origin = new URL(server.url).origin;
    const context = await roomy(newContext(browser));
    await axeOnEveryPage(context);
    // Anything not from this server is refused and counted: the console must need no other host.
    await context.route(
      (url) => url.origin !== origin && (url.protocol === "http:" || url.protocol === "https:"),
      (route) => {
        foreign.push(route.request().url());
        return route.abort("blockedbyclient");
      },
    );
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(`${visitor}: ${error.message}`));
    page.on("console", (message) => {
      // A failed request is logged by the browser itself (a 401 of the sign-in page's "who is signed in?").
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        errors.push(`${visitor} on ${page.url()}: ${message.text()}`);
      }
    });
    visitorPages.set(visitor, { page });
    if (visitor === "admin") await signIn(page, server.url, ADMIN.email, ADMIN.password);
    if (visitor === "password-change") await signInTo(page, BREACHED, /\/change-password(\?|$)/);
    if (visitor === "two-factor-setup") await signInTo(page, UNENROLLED, /\/two-factor-setup(\?|$)/);
    return page;
  }

  async function signInTo(page: Page, user: { email: string; password: string }, lands: RegExp) {
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole("textbox", { name: "Email" }).fill(user.email);
    await page.getByRole("textbox", { name: "Password", exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(lands);
  }

  for (const [index, look] of LOOKS.entries()) {
    // The first look loads every page afresh, as a link from outside does; the others reach each page from the
    // one before through the console's router, as a click does. Both render the same route components, and a full
    // load is most of a page's cost in Chromium (it boots the whole console).
    const afresh = index === 0;
    it(`passes axe on every page in the ${look.name} (${afresh ? "loaded afresh" : "reached within the console"}), loading nothing from another host`, async () => {
      foreign = [];
      errors = [];
      const failures: string[] = [];
      for (const target of pages) {
        const page = await pageFor(target.visitor, look);
        if (afresh) await page.goto(`${server.url}${target.path}`);
        else await navigateWithin(page, target.path);
        await settle(page);
        const landed = new URL(page.url()).pathname;
        if (landed !== target.path) {
          failures.push(`${target.path} (as ${target.visitor}) went on to ${landed}`);
          continue;
        }
        if (target.visitor === "admin" && (await page.getByTestId("forbidden-page").count()) > 0) {
          failures.push(`${target.path} refused the admin`);
        }
        const scheme = await page.evaluate(() => document.documentElement.dataset.mantineColorScheme);
        if (scheme !== look.colorScheme) failures.push(`${target.path}: shown in the ${scheme} theme`);
        for (const violation of await seriousViolations(page)) failures.push(`${target.path}: ${violation}`);
        if (look.width < 500) {
          for (const problem of await tableProblems(page, look.width)) failures.push(`${target.path}: ${problem}`);
        }
        if (look.screenshots) await screenshot(page, `${target.name}-${look.screenshots}`);
      }

      expect(failures).toEqual([]);
      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
    }, 600_000);
  }
});

/**
 * Goes to `path` through the console's own router (TanStack Router puts itself on `window.__TSR_ROUTER__`), as a
 * link inside the console does, and waits until React has rendered where it landed (a redirect included).
 */
async function navigateWithin(page: Page, path: string): Promise<void> {
  await page.evaluate(async (href) => {
    const router = window.__TSR_ROUTER__;
    if (!router) throw new Error("the console's router is not on the page");
    if (`${location.pathname}${location.search}` === href) return;
    let unsubscribe = () => {};
    const rendered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${href} was not rendered within 15 s`)), 15_000);
      // Only the render of where the router now is (after any redirect), not one still finishing from before.
      unsubscribe = router.subscribe("onRendered", (event) => {
        if (event.toLocation.href !== router.latestLocation.href) return;
        clearTimeout(timer);
        resolve();
      });
    });
    try {
      await router.navigate({ href });
      await rendered;
    } finally {
      unsubscribe();
    }
  }, path);
}

/** Waits for the page's content: its main region, and no skeleton or busy table left. */
async function settle(page: Page): Promise<void> {
  await page.locator("main").first().waitFor();
  // Checked in the page on every frame, not from here every 200 ms.
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .mantine-Skeleton-root'), undefined, {
    timeout: 30_000,
  });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/**
 * At phone width, for each table of the shared DataTable (its cells carry the pin classes): a hint that it
 * scrolls sideways is shown, a trailing column of buttons is pinned, and scrolled fully left or fully right,
 * the first row's name and its buttons lie inside the screen.
 */
function tableProblems(page: Page, width: number): Promise<string[]> {
  return page.evaluate((screenWidth) => {
    const problems: string[] = [];
    const pageWidth = document.documentElement.scrollWidth;
    if (pageWidth > screenWidth) problems.push(`the page is ${pageWidth} px wide on a ${screenWidth} px screen`);
    const pinnedTables = [...document.querySelectorAll("main table")].filter((table) =>
      table.querySelector('tbody tr > [class*="pinStart"]'),
    );
    const hints = [...document.querySelectorAll("[data-scroll-hint]")].filter(
      (hint) => hint.getBoundingClientRect().height > 0,
    );
    if (hints.length < pinnedTables.length) {
      problems.push(`${pinnedTables.length} tables but ${hints.length} visible hints that they scroll sideways`);
    }
    for (const table of pinnedTables) {
      const name = table.getAttribute("aria-label") ?? "a table";
      const cells = [...(table.querySelector("tbody tr")?.children ?? [])] as HTMLElement[];
      const start = cells.find((cell) => /pinStart/.test(cell.className));
      const last = cells.at(-1);
      if (!start || !last) continue;
      const end = /pinEnd/.test(last.className) ? last : undefined;
      if (!end && last !== start && last.querySelector("button, a")) {
        problems.push(`${name}: its last column holds buttons but is not kept in view`);
      }
      // The element that scrolls the table sideways; none when the table fits.
      let scroller: HTMLElement | null = table.parentElement;
      while (scroller && scroller !== document.body && scroller.scrollWidth <= scroller.clientWidth) {
        scroller = scroller.parentElement;
      }
      const scrolls = scroller && scroller !== document.body ? scroller : null;
      for (const position of scrolls ? [0, scrolls.scrollWidth] : [0]) {
        if (scrolls) scrolls.scrollLeft = position;
        for (const cell of end ? [start, end] : [start]) {
          const box = cell.getBoundingClientRect();
          if (box.left < -1 || box.right > screenWidth + 1) {
            const which = cell === start ? "name" : "buttons";
            problems.push(`${name}: scrolled to ${position}, the row's ${which} lie at ${box.left}–${box.right} px`);
          }
        }
      }
      if (scrolls) scrolls.scrollLeft = 0;
    }
    return problems;
  }, width);
}
