import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_ADMIN } from "@inkwell/server/testing";
import type { Browser, BrowserContext, Download, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSearch, poll, signIn, trpcMutation } from "./support/admin.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

/** A download's text: saved to a file first (the browser may be a shared one, connected to remotely). */
async function downloaded(download: Download): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "inkwell-download-")), download.suggestedFilename());
  await download.saveAs(path);
  return readFile(path, "utf8");
}

/** The audit log after a bulk action, at a laptop's width: readable rows, links, changes, filters and CSV export. */
describe("audit log", { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let adminToken: string;
  let articleIds: number[];
  let memberId: number;

  async function rest<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(`${server.url}/api${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(adminToken ? { authorization: `Token ${adminToken}` } : {}) },
      body: JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as T;
  }

  async function mutate(path: string, input: unknown) {
    const answer = await trpcMutation(server.url, path, input, adminToken);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.result?.data?.json as Record<string, unknown>;
  }

  const auditTable = () => page.getByRole("table", { name: "Audit events" });

  /** The table's width, the room its card gives it, whether anything scrolls sideways, and the tallest row. */
  const layout = () =>
    auditTable().evaluate((table) => {
      const card = table.closest(".mantine-Paper-root") as HTMLElement;
      const style = getComputedStyle(card);
      let scrolls = false;
      for (let node = table.parentElement; node && node !== card; node = node.parentElement) {
        if (node.scrollWidth > node.clientWidth) scrolls = true;
      }
      const rows = [...table.querySelectorAll("tbody tr")].map((row) => row.getBoundingClientRect().height);
      return {
        table: table.getBoundingClientRect().width,
        container: card.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight),
        scrolls,
        tallestRow: Math.max(...rows),
        rows: rows.length,
      };
    });

  beforeAll(async () => {
    server = await startTestServer();
    adminToken = "";
    adminToken = (
      await rest<{ user: { token: string } }>("/users/login", {
        user: { email: TEST_ADMIN.email, password: TEST_ADMIN.password },
      })
    ).user.token;
    articleIds = [];
    for (let i = 0; i < 20; i++) {
      const { article } = await rest<{ article: { slug: string } }>("/articles", {
        article: { title: `Bulk article ${i}`, description: "d", body: "b" },
      });
      const found = await server.database.sql<{ id: number }[]>`select id from articles where slug = ${article.slug}`;
      articleIds.push(found[0]?.id ?? 0);
    }
    await mutate("moderation.articles.hide", { ids: articleIds });
    const member = await server.database.sql<{ id: number }[]>`
      insert into users (username, email, password_hash) values ('member', 'member@example.com', 'x') returning id`;
    memberId = member[0]?.id ?? 0;
    await mutate("users.setRole", { userId: memberId, role: "moderator" });

    browser = await launchBrowser();
    context = await newContext(browser, { viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    // This machine is shared by several test runs at once: first loads of a page's code can take longer than 10 s.
    context.setDefaultTimeout(30_000);
    page = await context.newPage();
    await signIn(page, server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows a bulk action as “article ×20”, its ids in the details, in a table that fits 1,280 px", async () => {
    await page.goto(`${server.url}/audit`);
    const bulkRow = auditTable().getByRole("row").filter({ hasText: "moderation.articles.hide" });
    await bulkRow.waitFor();
    await expect(bulkRow.getByRole("cell").nth(3).textContent()).resolves.toBe("article ×20");

    const measured = await layout();
    expect(measured.rows).toBeGreaterThan(3);
    expect(measured.table).toBeLessThanOrEqual(measured.container);
    expect(measured.scrolls).toBe(false);
    // "When" on one line and its relative time below: two lines of text at most.
    expect(measured.tallestRow).toBeLessThan(70);
    await screenshot(page, "audit-1280");

    await bulkRow.getByRole("button", { name: /Details of event/ }).click();
    const details = page.getByRole("dialog");
    await details.waitFor();
    const text = (await details.textContent()) ?? "";
    expect(text).toContain("20 targets (article)");
    for (const id of articleIds) expect(text).toMatch(new RegExp(`\\b${id}\\b`));
    await bulkRow.getByRole("button", { name: /Details of event/ }).click();
    await details.waitFor({ state: "hidden" });
  });

  it("shows a role change as before/after and links its target to the user's page", async () => {
    const row = auditTable().getByRole("row").filter({ hasText: "users.setRole" });
    await row.getByRole("button", { name: /Details of event/ }).click();
    const changes = page.getByRole("table", { name: "Changed fields" });
    await changes.waitFor();
    const cells = await changes.getByRole("row").nth(1).getByRole("cell").allTextContents();
    expect(cells).toEqual(["role", "user", "moderator"]);
    await row.getByRole("button", { name: /Details of event/ }).click();
    await changes.waitFor({ state: "hidden" });

    await row.getByRole("link", { name: String(memberId), exact: true }).click();
    await poll(() => new URL(page.url()).pathname).toBe(`/users/${memberId}`);
    await page.goBack();

    // Once the user is gone, the id stays, marked, with no link.
    await mutate("users.delete", { userId: memberId });
    await page.reload();
    const goneRow = auditTable().getByRole("row").filter({ hasText: "users.setRole" });
    await goneRow.getByText(`${memberId} (gone)`).waitFor();
    expect(await goneRow.getByRole("link", { name: String(memberId), exact: true }).count()).toBe(0);
  });

  it("filters by part of the actor's name and of the action, in the URL, with every logged action suggested", async () => {
    await page.goto(`${server.url}/audit`);
    await page.getByRole("combobox", { name: "Action" }).focus();
    // Suggestions come from what the log holds: the REST article creations among them.
    await page.getByRole("option", { name: "articles.create", exact: true }).waitFor();
    await page.getByRole("combobox", { name: "Action" }).fill("HIDE");
    await page.getByRole("textbox", { name: "Actor", exact: true }).fill("DMI");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expectSearch(page, { action: "HIDE", actor: "DMI" });
    await expect
      .poll(() => auditTable().locator("tbody tr").filter({ hasText: "moderation.articles.hide" }).count(), {
        timeout: 30_000,
      })
      .toBe(1);
    expect(await auditTable().locator("tbody tr").count()).toBe(1);
    await expect(auditTable().locator("tbody tr").first().textContent()).resolves.toContain("article ×20");

    // Reloading keeps the filters; a broken param in the URL is simply dropped.
    await page.goto(`${server.url}/audit?action=articles.cre&actorId=abc`);
    await expect
      .poll(() => auditTable().locator("tbody tr").filter({ hasText: "articles.create" }).count(), { timeout: 30_000 })
      .toBe(20);
    expect(await auditTable().locator("tbody tr").count()).toBe(20);
  });

  it("exports the filtered audit log and the users as CSV files", async () => {
    await page.goto(`${server.url}/audit?action=hide`);
    await auditTable().getByRole("row").filter({ hasText: "moderation.articles.hide" }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-log-.*\.csv$/);
    const csv = await downloaded(download);
    // Not trim(): it would take the byte-order mark with it.
    const lines = csv.split("\r\n").filter((line) => line !== "");
    expect(lines[0]).toBe(
      "\uFEFFid,time,action,outcome,actor_id,actor_username,actor_deleted,api_key_id,target_type,target_id,ip,user_agent,request_id,details",
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("moderation.articles.hide");

    await page.goto(`${server.url}/users?search=admin`);
    const [users] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    const usersCsv = await downloaded(users);
    expect(usersCsv.split("\r\n").filter((line) => line !== "")).toHaveLength(2);
    expect(usersCsv).toContain(TEST_ADMIN.email);
  });
});
