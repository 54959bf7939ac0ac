import { TEST_ADMIN } from "@inkwell/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poll, signIn, trpcMutation } from "./support/admin.ts";
import { launchBrowser, newContext } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const MALLORY = { email: "mallory@example.com", username: "mallory", password: "mallory password 1" };
const NORA = { email: "nora@example.com", username: "nora", password: "nora password 1" };

declare global {
  interface Window {
    imageSourcesSeen: string[];
  }
}

/** The `src` of every image on the page now, as written in the DOM. */
const imageSources = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll("img")].map((img) => img.getAttribute("src")));

/**
 * Every `src` any image had since the page loaded: Mantine swaps an image that fails to load (as a blocked
 * javascript: one does) for initials, so the DOM at the end alone would not show that it was ever rendered.
 */
function recordImageSources() {
  window.imageSourcesSeen = [];
  const record = (node: Node) => {
    if (node instanceof HTMLImageElement) window.imageSourcesSeen.push(node.getAttribute("src") ?? "");
    if (node instanceof Element) for (const img of node.querySelectorAll("img")) record(img);
  };
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === "attributes") record(mutation.target);
      for (const node of mutation.addedNodes) record(node);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["src"] });
}

const sourcesSeen = (page: Page) => page.evaluate(() => [...new Set(window.imageSourcesSeen)]);

/** A user's image is any string the API stored; the console shows only http(s) ones, else initials. */
describe("user images in the admin console", () => {
  let server: TestServer;
  let browser: Browser;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    for (const user of [MALLORY, NORA]) {
      expect((await trpcMutation(server.url, "auth.signUp", { ...user, session: "token" })).status).toBe(200);
    }
    // Written straight into the column, as the REST contract will soon let anyone do.
    const sql = server.database.sql;
    await sql`update users set image = 'javascript:alert(1)' where username = ${MALLORY.username}`;
    await sql`update users set image = ${`${server.url}/favicon.svg`} where username = ${NORA.username}`;
    await sql`update users set image = ${" JaVaScRiPt:alert(document.domain)"} where email = ${TEST_ADMIN.email}`;
    for (const row of await sql<{ id: number; username: string }[]>`select id, username from users`) {
      ids[row.username] = row.id;
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A fresh signed-in page that fails the test if anything opens a dialog. */
  async function signedInPage(email: string, password: string) {
    const context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
    await context.addInitScript(recordImageSources);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, server.url, email, password);
    return { context, page, dialogs };
  }

  it("shows initials, never a javascript: image, for a user's own menu and account page", async () => {
    const { context, page, dialogs } = await signedInPage(MALLORY.email, MALLORY.password);
    await page.goto(`${server.url}/account`);
    await page.getByTestId("account-username").waitFor();
    const avatars = page.getByTestId("user-avatar");
    await poll(() => avatars.count()).toBe(2); // the user menu's and the profile card's
    expect(await avatars.allTextContents()).toEqual(["MA", "MA"]);
    expect(await imageSources(page)).toEqual([]);
    expect(await sourcesSeen(page)).toEqual([]);
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it("shows an operator initials for such a user, and the image of a user whose image is an http(s) URL", async () => {
    const { context, page, dialogs } = await signedInPage(TEST_ADMIN.email, TEST_ADMIN.password);

    await page.goto(`${server.url}/users/${ids.mallory}`);
    await page.getByRole("heading", { name: "mallory", exact: true }).waitFor();
    // The admin's own image is a whitespace-prefixed, mixed-case javascript: URL: initials in the menu too.
    expect(await page.getByTestId("user-avatar").allTextContents()).toEqual(["AD", "MA"]);
    expect(await imageSources(page)).toEqual([]);
    expect(await sourcesSeen(page)).toEqual([]);

    // The control: a real http(s) image is shown, so the placeholder above is the check, not a broken avatar.
    await page.goto(`${server.url}/users/${ids.nora}`);
    await page.getByRole("heading", { name: "nora", exact: true }).waitFor();
    await poll(() => imageSources(page)).toEqual([`${server.url}/favicon.svg`]);
    expect(await sourcesSeen(page)).toEqual([`${server.url}/favicon.svg`]);
    await poll(() => page.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

    await page.goto(`${server.url}/account`);
    await page.getByTestId("account-username").waitFor();
    expect(await page.getByTestId("user-avatar").allTextContents()).toEqual(["AD", "AD"]);
    expect(await imageSources(page)).toEqual([]);
    expect(await sourcesSeen(page)).toEqual([]);
    expect(dialogs).toEqual([]);
    await context.close();
  });
});
