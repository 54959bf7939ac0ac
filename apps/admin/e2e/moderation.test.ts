import { SEED_PASSWORD, seed } from "@inkwell/db/seed";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSearch, signIn } from "./support/admin.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { slowPoll as poll, ROOMY_MS, roomy } from "./support/roomy.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

/** Moderation with a safety net: reasons, undo, previews that act, filters, every match, a steady table. */
describe("moderating articles and comments", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const visit = (path: string) => page.goto(`${server.url}${path}`);
  const sql = () => server.database.sql;
  const table = (name: string) => page.getByRole("table", { name });
  const rowTexts = (name: string, column: number) =>
    table(name).locator(`tbody tr td:nth-child(${column})`).allTextContents();
  const range = () => page.getByTestId("table-range").textContent();
  /** The hide dialog: its title starts "Hide" (a preview may be open beneath it). */
  const hideDialog = () => page.getByRole("dialog", { name: /^Hide / });
  const confirmHide = async (reason?: string) => {
    const dialog = hideDialog();
    if (reason !== undefined) await dialog.getByRole("textbox", { name: "Reason (optional)" }).fill(reason);
    await dialog.getByRole("button", { name: "Hide", exact: true }).click();
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await seed(server.database.db, {
      users: 20,
      articles: 40,
      comments: 80,
      favorites: 60,
      follows: 10,
      tags: 6,
      tagsPerArticle: 2,
      seed: 23,
      reset: true,
    });
    await server.database.sql`update articles set moderation = 'visible', moderated_at = null, moderated_by_id = null`;
    await server.database.sql`update comments set moderation = 'visible', moderated_at = null, moderated_by_id = null`;
    // Days in the date filters are the browser's local days: UTC here, as the database's answers below.
    // Seven test runs may share the two cores: give navigation and actions room (the default is 10 s).
    context = await roomy(newContext(browser, { viewport: { width: 1280, height: 900 }, timezoneId: "UTC" }));
    page = await context.newPage();
    await signIn(page, server.url, "admin@example.com", SEED_PASSWORD);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it("keeps the rows where they are when one is selected, at laptop and phone widths", {
    timeout: 150_000,
  }, async () => {
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(viewport);
      await visit("/articles");
      await poll(() => range()).toBe("1–20 of 40 articles");
      const row = table("Articles").locator("tbody tr").nth(3);
      const checkbox = row.getByRole("checkbox");
      // Where the rows are on the page (the page's own scrolling taken out), and on screen.
      const onPage = () =>
        row.evaluate((element) => {
          const box = element.getBoundingClientRect();
          const page = document.body.getBoundingClientRect();
          return { x: box.x - page.x, y: box.y - page.y, width: box.width, height: box.height };
        });
      await checkbox.scrollIntoViewIfNeeded();
      const before = await onPage();
      const onScreen = await checkbox.boundingBox();

      await checkbox.check();
      await poll(() => page.getByRole("region", { name: "Bulk actions" }).textContent()).toContain(
        "1 article selected",
      );

      expect(await onPage()).toEqual(before);
      if (viewport.width === 1280) expect(await checkbox.boundingBox()).toEqual(onScreen);
      if (viewport.width === 390) await screenshot(page, "articles-selection-390");
      await page.getByRole("button", { name: "Clear", exact: true }).click();
      await poll(() => page.getByRole("region", { name: "Bulk actions" }).textContent()).toContain("Select articles");
      expect(await onPage()).toEqual(before);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("shows no live badge on an empty table, and Live when there are rows", async () => {
    await visit("/articles?search=no-such-title-anywhere");
    await poll(() => page.getByText("No articles match").isVisible()).toBe(true);
    expect(await page.getByTestId("live-status").count()).toBe(0);
    expect(await page.getByText("Paused").count()).toBe(0);

    await visit("/articles");
    await poll(() => page.getByTestId("live-status").textContent()).toBe("Live");
  });

  it("hides with a reason, shows who hid it, when and why, and Undo brings back exactly that", async () => {
    const [author] = await sql()<{ id: number; username: string }[]>`
      select u.id, u.username from users u join articles a on a.author_id = u.id
      group by u.id order by count(*) desc, u.id limit 1`;
    if (!author) throw new Error("the seed has no authors");
    const articles = await sql()<{ id: number; title: string }[]>`
      select id, title from articles where author_id = ${author.id} order by created_at desc, id desc`;
    const [first, second, third] = articles;
    if (!first || !second || !third) throw new Error("the author has too few articles");
    // One hidden before: Undo of the next hide must leave it hidden.
    await sql()`update articles set moderation = 'hidden' where id = ${third.id}`;

    await visit(`/articles?author=${author.username}`);
    await poll(() => rowTexts("Articles", 2)).toContain(first.title);
    await page.getByRole("checkbox", { name: `Select ${first.title}` }).check();
    await page.getByRole("checkbox", { name: `Select ${second.title}` }).check();
    await page.getByRole("checkbox", { name: `Select ${third.title}` }).check();
    await page.getByRole("button", { name: "Hide selected" }).click();
    expect(await hideDialog().getByRole("heading").textContent()).toBe("Hide 3 articles?");
    await confirmHide("Spam links to a shop");

    await poll(() => page.getByText("2 articles hidden. 1 article already hidden.").isVisible()).toBe(true);
    const hidden = await sql()<{ id: number; moderation: string; reason: string | null; by: number | null }[]>`
      select id, moderation, moderation_reason as reason, moderated_by_id as by from articles
      where id in ${sql()([first.id, second.id, third.id])} order by id`;
    const [admin] = await sql()<{ id: number }[]>`select id from users where email = 'admin@example.com'`;
    expect(hidden.filter((row) => row.reason === "Spam links to a shop").map((row) => row.by)).toEqual([
      admin?.id,
      admin?.id,
    ]);
    // The table says who hid them, when and why.
    const firstRow = table("Articles").locator("tbody tr", { hasText: first.title });
    await poll(() => firstRow.getByTestId("moderation-state").textContent()).toMatch(
      /^hiddenby admin · .+“Spam links to a shop”$/,
    );
    await screenshot(page, "articles-hidden-with-reason");

    await page.getByRole("button", { name: "Undo" }).click();
    await poll(() => page.getByText("2 articles shown again.").isVisible()).toBe(true);
    const after = await sql()<{ id: number; moderation: string }[]>`
      select id, moderation from articles where id in ${sql()([first.id, second.id, third.id])}`;
    expect(Object.fromEntries(after.map((row) => [row.id, row.moderation]))).toEqual({
      [first.id]: "visible",
      [second.id]: "visible",
      [third.id]: "hidden",
    });
  });

  it("filters by author, tag and dates and sorts by favorites and comments, all kept in the URL", {
    timeout: 180_000,
  }, async () => {
    const [tag] = await sql()<{ name: string; n: number }[]>`
      select t.name, count(*)::int as n from tags t join article_tags at on at.tag_id = t.id
      group by t.id order by count(*) desc, t.name limit 1`;
    if (!tag) throw new Error("the seed has no tags");
    await visit("/articles");
    await page.getByRole("textbox", { name: "Tag" }).fill(tag.name);
    await expectSearch(page, { tag: tag.name }, ROOMY_MS);
    await poll(() => range()).toMatch(new RegExp(`of ${tag.n} articles?$`));

    await page.getByRole("table", { name: "Articles" }).getByRole("button", { name: "Favorites", exact: true }).click();
    await expectSearch(page, { tag: tag.name, sort: "favoritesCount" }, ROOMY_MS);
    const byFavorites = await sql()<{ title: string }[]>`
      select a.title from articles a
      where a.id in (select article_id from article_tags where tag_id = (select id from tags where name = ${tag.name}))
      order by (select count(*) from favorites f where f.article_id = a.id) desc, a.id desc limit 20`;
    await poll(() => rowTexts("Articles", 2)).toEqual(byFavorites.map((row) => row.title));

    await page.getByRole("table", { name: "Articles" }).getByRole("button", { name: "Comments", exact: true }).click();
    await expectSearch(page, { sort: "commentsCount" }, ROOMY_MS);
    const byComments = await sql()<{ title: string }[]>`
      select a.title from articles a
      where a.id in (select article_id from article_tags where tag_id = (select id from tags where name = ${tag.name}))
      order by (select count(*) from comments c where c.article_id = a.id) desc, a.id desc limit 20`;
    await poll(() => rowTexts("Articles", 2)).toEqual(byComments.map((row) => row.title));

    // A range of days that holds some of them: the count is the database's, and a reload keeps the whole view.
    const tagged = await sql()<{ day: string }[]>`
      select to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD') as day from articles a
      where a.id in (select article_id from article_tags where tag_id = (select id from tags where name = ${tag.name}))
      order by a.created_at`;
    const from = tagged[Math.floor(tagged.length / 3)]?.day;
    const to = tagged[Math.floor((tagged.length * 2) / 3)]?.day;
    if (!from || !to) throw new Error("too few tagged articles");
    const [inRange] = await sql()<{ n: number }[]>`
      select count(*)::int as n from articles a
      where a.id in (select article_id from article_tags where tag_id = (select id from tags where name = ${tag.name}))
      and a.created_at >= ${`${from}T00:00:00.000Z`}::timestamptz and a.created_at <= ${`${to}T23:59:59.999Z`}::timestamptz`;
    await page.getByLabel("From", { exact: true }).fill(from);
    await page.getByLabel("To", { exact: true }).fill(to);
    await expectSearch(page, { from, to, tag: tag.name, sort: "commentsCount" }, ROOMY_MS);
    await poll(() => range()).toMatch(new RegExp(`of ${inRange?.n} articles?$`));
    await page.reload();
    await poll(() => page.getByRole("textbox", { name: "Tag" }).inputValue()).toBe(tag.name);
    expect(await page.getByLabel("From", { exact: true }).inputValue()).toBe(from);
    expect(await page.getByLabel("To", { exact: true }).inputValue()).toBe(to);
    await poll(() => range()).toMatch(new RegExp(`of ${inRange?.n} articles?$`));

    // Nonsense in the URL falls back to no filter instead of failing.
    await visit(`/articles?from=2024-02-31&to=yesterday&sort=favoritesCount%3Bdrop&tag=${"x".repeat(300)}`);
    await poll(() => page.getByRole("textbox", { name: "Tag" }).inputValue()).toBe("x".repeat(40));
    expect(await page.getByLabel("From", { exact: true }).inputValue()).toBe("");

    // Author filter on the comments page, in any case.
    const [commenter] = await sql()<{ username: string; n: number }[]>`
      select u.username, count(*)::int as n from users u join comments c on c.author_id = u.id
      group by u.id order by count(*) desc, u.id limit 1`;
    if (!commenter) throw new Error("the seed has no comments");
    await visit(`/comments?author=${encodeURIComponent(commenter.username.toUpperCase())}`);
    await poll(() => range()).toMatch(new RegExp(`of ${commenter.n} comments?$`));
    expect(new Set(await rowTexts("Comments", 4))).toEqual(new Set([commenter.username]));
    await screenshot(page, "comments-filtered");
  });

  it("selects all matching rows across pages, hides them in one go, and undoes it", { timeout: 120_000 }, async () => {
    const [visible] = await sql()<
      { n: number }[]
    >`select count(*)::int as n from articles where moderation = 'visible'`;
    const total = visible?.n ?? 0;
    expect(total).toBeGreaterThan(10);
    await visit("/articles?state=visible&pageSize=10");
    await poll(() => range()).toBe(`1–10 of ${total} articles`);

    const bar = () => page.getByRole("region", { name: "Bulk actions" });
    const selectEveryMatch = async () => {
      await page.getByRole("checkbox", { name: "Select all rows on this page" }).check();
      await page.getByRole("button", { name: `Select all ${total} matching articles` }).click();
      await poll(() => bar().textContent()).toContain(`All ${total} matching articles selected`);
    };
    await selectEveryMatch();
    // Unticking a row by hand drops "every match": the selection is the page's rows again.
    await table("Articles").locator("tbody").getByRole("checkbox").first().uncheck();
    await poll(() => bar().textContent()).toContain("9 articles selected");
    // Another view (the next page, without a reload) starts with nothing selected.
    await page.getByRole("button", { name: "Next page" }).click();
    await expectSearch(page, { page: "2" }, ROOMY_MS);
    await poll(() => bar().textContent()).toContain("Select articles to hide, restore or delete them together.");
    await page.getByRole("button", { name: "Previous page" }).click();
    await poll(() => range()).toBe(`1–10 of ${total} articles`);
    await poll(() => bar().textContent()).toContain("Select articles to hide, restore or delete them together.");

    await selectEveryMatch();
    await page.getByRole("button", { name: "Hide selected" }).click();
    expect(await hideDialog().getByRole("heading").textContent()).toBe(`Hide all ${total} matching articles?`);
    await confirmHide("Cleanup");
    await poll(() => page.getByText(`${total} articles hidden.`).isVisible()).toBe(true);
    const [stillVisible] = await sql()<{ n: number }[]>`
      select count(*)::int as n from articles where moderation = 'visible'`;
    expect(stillVisible?.n).toBe(0);
    const [audit] = await sql()<{ target_id: string; details: { matched: number; ids?: unknown } }[]>`
      select target_id, details from audit_events where action = 'moderation.articles.hideMatching'
      order by id desc limit 1`;
    expect(audit?.target_id).toBe("matching");
    expect(audit?.details.matched).toBe(total);
    expect(audit?.details.ids).toBeUndefined();
    // Nothing left to show, so no live badge either.
    await poll(() => page.getByText("No articles match").isVisible()).toBe(true);
    expect(await page.getByTestId("live-status").count()).toBe(0);

    await page.getByRole("button", { name: "Undo" }).click();
    await poll(() => page.getByText(`${total} articles shown again.`).isVisible()).toBe(true);
    await poll(() => range()).toBe(`1–10 of ${total} articles`);
  });

  it("previews an article with its tags and comment thread, and hides, restores and deletes from there", {
    timeout: 120_000,
  }, async () => {
    const [article] = await sql()<{ id: number; slug: string; title: string; comments: number }[]>`
      select a.id, a.slug, a.title, (select count(*)::int from comments c where c.article_id = a.id) as comments
      from articles a order by (select count(*) from comments c where c.article_id = a.id) desc, a.id limit 1`;
    if (!article) throw new Error("no article");
    const tags = await sql()<{ name: string }[]>`
      select t.name from tags t join article_tags at on at.tag_id = t.id where at.article_id = ${article.id} order by t.name`;

    await visit(`/articles?search=${encodeURIComponent(article.title)}`);
    await page.getByRole("button", { name: article.title, exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Article", exact: true });
    await poll(() => dialog.getByRole("heading", { name: article.title }).isVisible()).toBe(true);
    await poll(() => dialog.locator('[aria-label="Tags"]').textContent()).toBe(tags.map((tag) => tag.name).join(""));
    await poll(() => dialog.getByTestId("thread-comment").count()).toBe(Math.min(article.comments, 100));
    await screenshot(page, "article-preview");

    await dialog.getByRole("group", { name: "Moderate" }).getByRole("button", { name: "Hide" }).click();
    await confirmHide("Needs a source");
    await poll(() => dialog.getByTestId("moderation-state").textContent()).toContain("“Needs a source”");
    const [hidden] = await sql()<{ moderation: string }[]>`select moderation from articles where id = ${article.id}`;
    expect(hidden?.moderation).toBe("hidden");

    await dialog.getByRole("group", { name: "Moderate" }).getByRole("button", { name: "Restore" }).click();
    await poll(() =>
      dialog.getByRole("group", { name: "Moderate" }).getByRole("button", { name: "Hide" }).isVisible(),
    ).toBe(true);
    await dialog.getByRole("group", { name: "Moderate" }).getByRole("button", { name: "Delete" }).click();
    await page
      .getByRole("dialog", { name: `Delete "${article.title}"?` })
      .getByRole("button", { name: "Delete" })
      .click();
    await poll(() => page.getByRole("dialog").count()).toBe(0);
    const [gone] = await sql()<{ n: number }[]>`select count(*)::int as n from articles where id = ${article.id}`;
    expect(gone?.n).toBe(0);
  });

  it("previews a comment in its thread and hides it from there with a reason", async () => {
    const [comment] = await sql()<{ id: number; body: string; username: string }[]>`
      select c.id, c.body, u.username from comments c join users u on u.id = c.author_id
      where c.moderation = 'visible' order by c.created_at desc, c.id desc limit 1`;
    if (!comment) throw new Error("no comment");
    await visit("/comments");
    const commentRow = table("Comments").locator("tbody tr", {
      has: page.getByRole("checkbox", { name: `Select comment ${comment.id} by ${comment.username}`, exact: true }),
    });
    // Its first button is the comment's text, which opens it.
    await commentRow.getByRole("button").first().click();
    const dialog = page.getByRole("dialog", { name: "Comment", exact: true });
    await poll(() => dialog.locator('[data-testid="thread-comment"][aria-current="true"]').textContent()).toContain(
      comment.body,
    );
    await dialog.getByRole("group", { name: "Moderate" }).getByRole("button", { name: "Hide" }).click();
    await confirmHide("Personal attack");
    await poll(() => dialog.getByTestId("moderation-state").first().textContent()).toContain("“Personal attack”");
    const [row] = await sql()<{ moderation: string; moderation_reason: string }[]>`
      select moderation, moderation_reason from comments where id = ${comment.id}`;
    expect(row).toEqual({ moderation: "hidden", moderation_reason: "Personal attack" });
  });
});
