import { SEED_PASSWORD, seed } from "@inkwell/db/seed";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseOption, describedBy, expectSearch, poll, signIn, trpcMutation, trpcQuery } from "./support/admin.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const ADMIN_EMAIL = "admin@example.com";

/** What an operator does every day, as the seeded admin, on one server and one signed-in page. */
describe("the admin console for operators", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const visit = (path: string) => page.goto(`${server.url}${path}`);
  const rowTexts = (table: string, column = 1) =>
    page.getByRole("table", { name: table }).locator(`tbody tr td:nth-child(${column})`).allTextContents();

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await seed(server.database.db, {
      users: 40,
      articles: 30,
      comments: 60,
      favorites: 40,
      follows: 30,
      tags: 12,
      tagsPerArticle: 2,
      seed: 11,
      reset: true,
    });
    // Seeded content is a year old; move some into the last 30 days so the dashboard chart has a shape.
    const recently = server.database.sql`now() - floor(random() * 30) * interval '1 day' - interval '1 hour'`;
    await server.database.sql`update articles set created_at = ${recently} where id % 2 = 0`;
    await server.database.sql`update comments set created_at = ${recently} where id % 3 = 0`;
    await server.database.sql`update users set created_at = ${recently} where id > 30`;
    context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    await signIn(page, server.url, ADMIN_EMAIL, SEED_PASSWORD);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it("pages, sorts, filters and searches users, keeping the view in the URL across a reload", async () => {
    const sql = server.database.sql;
    await visit("/users");
    await poll(() => page.getByTestId("table-range").textContent()).toBe("1–20 of 40 users");

    // Sort by username, 10 per page, page 2.
    await page.getByRole("table", { name: "Users" }).getByRole("button", { name: "Username" }).click();
    await expectSearch(page, { sort: "username", direction: "asc" });
    await chooseOption(page.getByRole("combobox", { name: "Rows per page" }), "10 per page");
    await page.getByRole("button", { name: "Page 2", exact: true }).click();
    await expectSearch(page, { sort: "username", direction: "asc", pageSize: "10", page: "2" });
    const secondPage = await sql<{ username: string }[]>`
      select username from users order by lower(username), id limit 10 offset 10`;
    await poll(() => rowTexts("Users")).toEqual(secondPage.map((row) => row.username));
    expect(await page.getByTestId("table-range").textContent()).toBe("11–20 of 40 users");

    // Filter by role and status: back to page 1.
    await chooseOption(page.getByRole("combobox", { name: "Role", exact: true }), "User");
    await chooseOption(page.getByRole("combobox", { name: "Status", exact: true }), "Active");
    await expectSearch(page, { role: "user", status: "active", sort: "username" });
    expect(new URL(page.url()).searchParams.has("page")).toBe(false);
    const [active] = await sql<{ n: number }[]>`
      select count(*)::int as n from users where role = 'user' and status = 'active'`;
    await poll(() => page.getByTestId("table-range").textContent()).toBe(`1–10 of ${active?.n} users`);

    // Search (debounced into the URL).
    const term = "er";
    await page.getByRole("textbox", { name: "Search" }).fill(term);
    await expectSearch(page, { search: term, role: "user", status: "active" });
    const matches = await sql<{ username: string }[]>`
      select username from users where role = 'user' and status = 'active'
        and (lower(username) like ${`%${term}%`} or lower(email) like ${`%${term}%`})
      order by lower(username), id limit 10`;
    expect(matches.length).toBeGreaterThan(1);
    await poll(() => rowTexts("Users")).toEqual(matches.map((row) => row.username));
    const sharedUrl = page.url();
    await screenshot(page, "users-filtered");

    // A reload (or a shared link) shows the same view.
    await page.reload();
    await poll(() => rowTexts("Users")).toEqual(matches.map((row) => row.username));
    expect(page.url()).toBe(sharedUrl);
    expect(await page.getByRole("textbox", { name: "Search" }).inputValue()).toBe(term);
    expect(await page.getByRole("combobox", { name: "Role", exact: true }).inputValue()).toBe("User");

    // The clear button empties the box and the URL; Back changes the URL under the box, which follows it.
    await page.getByRole("button", { name: "Clear search" }).click();
    await poll(() => new URL(page.url()).searchParams.has("search")).toBe(false);
    expect(await page.getByRole("textbox", { name: "Search" }).inputValue()).toBe("");
    await page.goBack();
    await expectSearch(page, { search: term, role: "user", status: "active" });
    await poll(() => page.getByRole("textbox", { name: "Search" }).inputValue()).toBe(term);
    await poll(() => rowTexts("Users")).toEqual(matches.map((row) => row.username));

    await visit("/users");
    await poll(() => page.getByTestId("table-range").textContent()).toBe("1–20 of 40 users");
    await screenshot(page, "users");
  });

  it("suspends a user from the row menu, after which their sign-in is refused", async () => {
    const [target] = await server.database.sql<{ id: number; username: string; email: string }[]>`
      select id, username, email from users where role = 'user' and status = 'active' order by id limit 1`;
    if (!target) throw new Error("the seed has no active user");
    expect(
      (
        await trpcMutation(server.url, "auth.signIn", {
          email: target.email,
          password: SEED_PASSWORD,
          session: "token",
        })
      ).status,
    ).toBe(200);

    await visit(`/users?search=${target.username}`);
    await page.getByRole("button", { name: `Actions for ${target.username}` }).click();
    await page.getByRole("menuitem", { name: "Suspend" }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.textContent()).toContain("They are signed out everywhere");
    await screenshot(page, "users-confirm-suspend");
    await dialog.getByRole("button", { name: "Suspend" }).click();
    const row = page.getByRole("table", { name: "Users" }).getByRole("row").filter({ hasText: target.username });
    await poll(() => row.textContent()).toContain("suspended");
    await poll(() => page.getByText(`${target.username} is suspended`).isVisible()).toBe(true);

    const refused = await trpcMutation(server.url, "auth.signIn", {
      email: target.email,
      password: SEED_PASSWORD,
      session: "token",
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.json?.message).toContain("suspended");

    // The user page shows it too, with their sessions gone.
    await row.getByRole("link", { name: target.username }).click();
    await page.waitForURL(new RegExp(`/users/${target.id}$`));
    await poll(() => page.getByText("Not signed in anywhere.").isVisible()).toBe(true);
    expect(await page.getByRole("main").textContent()).toContain("suspended");
    await screenshot(page, "user-detail");
  });

  it("hides articles from the moderation table, one and in bulk, and the public list drops them", async () => {
    const publicSlugs = async () => {
      const { body } = await trpcQuery(server.url, "articles.list", { limit: 100 });
      const list = body.result?.data?.json as { articles: { slug: string }[] } | undefined;
      return list?.articles.map((article) => article.slug) ?? [];
    };
    const newest = await server.database.sql<{ id: number; slug: string; title: string }[]>`
      select id, slug, title from articles where moderation = 'visible' order by created_at desc, id desc limit 3`;
    const [first, second, third] = newest;
    if (!first || !second || !third) throw new Error("the seed has too few visible articles");
    expect(await publicSlugs()).toContain(first.slug);

    await visit("/articles?state=visible");
    await poll(() => rowTexts("Articles", 2)).toContain(first.title);
    await page.getByRole("button", { name: `Actions for ${first.title}` }).click();
    await page.getByRole("menuitem", { name: "Hide" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Hide", exact: true }).click();
    await poll(() => page.getByText("1 article hidden.").isVisible()).toBe(true);
    await poll(() => publicSlugs()).not.toContain(first.slug);
    // The list only shows visible ones, so it drops out of the table too.
    await poll(() => rowTexts("Articles", 2)).not.toContain(first.title);

    await page.getByRole("checkbox", { name: `Select ${second.title}` }).check();
    await page.getByRole("checkbox", { name: `Select ${third.title}` }).check();
    await expect
      .poll(() => page.getByRole("region", { name: "Bulk actions" }).textContent())
      .toContain("2 articles selected");
    await screenshot(page, "articles-selection");
    await page.getByRole("button", { name: "Hide selected" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Hide", exact: true }).click();
    await poll(() => page.getByText("2 articles hidden.").isVisible()).toBe(true);
    const states = await server.database.sql<{ moderation: string }[]>`
      select moderation from articles where id in ${server.database.sql([first.id, second.id, third.id])}`;
    expect(states.map((row) => row.moderation)).toEqual(["hidden", "hidden", "hidden"]);
    const slugs = await publicSlugs();
    expect(slugs).not.toContain(second.slug);
    expect(slugs).not.toContain(third.slug);

    // Operators still see them, and can read them.
    await visit("/articles?state=hidden");
    await poll(() => rowTexts("Articles", 2)).toContain(first.title);
    await screenshot(page, "articles");
    await page.getByRole("button", { name: first.title, exact: true }).click();
    await expect
      .poll(() => page.getByRole("dialog").getByRole("heading", { name: first.title }).isVisible())
      .toBe(true);
    await screenshot(page, "article-view");
    await page.keyboard.press("Escape");

    await visit("/comments");
    await poll(() => page.getByTestId("table-range").textContent()).toMatch(/of 60 comments$/);
    await page.getByRole("checkbox", { name: "Select all rows on this page" }).check();
    await page.getByRole("button", { name: "Delete selected" }).click();
    expect(await page.getByRole("dialog").textContent()).toContain("Delete 20 comments?");
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Clear" }).click();
    await screenshot(page, "comments");
  });

  it("renames a tag, showing a taken name next to the field", async () => {
    const [a, b] = await server.database.sql<{ name: string }[]>`select name from tags order by name limit 2`;
    if (!a || !b) throw new Error("the seed has too few tags");
    await visit("/tags");
    await page.getByRole("button", { name: `Actions for ${a.name}` }).click();
    await page.getByRole("menuitem", { name: "Rename" }).click();
    const dialog = page.getByRole("dialog");
    const field = dialog.getByRole("textbox", { name: "New name" });
    await field.fill(b.name);
    await dialog.getByRole("button", { name: "Rename" }).click();
    await poll(() => dialog.getByText("A tag with this name already exists.").isVisible()).toBe(true);
    expect(await describedBy(field)).toContain("A tag with this name already exists.");
    await screenshot(page, "tag-rename-conflict");

    await field.fill("renamed-in-e2e");
    await dialog.getByRole("button", { name: "Rename" }).click();
    await poll(() => dialog.isVisible()).toBe(false);
    await poll(() => rowTexts("Tags", 2)).toContain("renamed-in-e2e");
    await screenshot(page, "tags");

    // Merge two tags into a third: their articles carry the target afterwards.
    const [x, y, target] = await server.database.sql<{ id: number; name: string }[]>`
      select id, name from tags where name <> 'renamed-in-e2e' order by name desc limit 3`;
    if (!x || !y || !target) throw new Error("the seed has too few tags");
    const [before] = await server.database.sql<{ n: number }[]>`
      select count(distinct article_id)::int as n from article_tags where tag_id in ${server.database.sql([x.id, y.id, target.id])}`;
    await page.getByRole("checkbox", { name: `Select ${x.name}` }).check();
    await page.getByRole("checkbox", { name: `Select ${y.name}` }).check();
    await page.getByRole("button", { name: "Merge 2 selected" }).click();
    const merge = page.getByRole("dialog");
    await chooseOption(merge.getByRole("combobox", { name: "Into this tag" }), new RegExp(`^${target.name} \\(`));
    await screenshot(page, "tags-merge");
    await merge.getByRole("button", { name: "Merge 2 tags" }).click();
    await poll(() => page.getByText(`2 tags merged into “${target.name}”`).isVisible()).toBe(true);
    await poll(() => rowTexts("Tags", 2)).not.toContain(x.name);
    expect(await rowTexts("Tags", 2)).not.toContain(y.name);
    const [after] = await server.database.sql<{ n: number }[]>`
      select count(*)::int as n from article_tags where tag_id = ${target.id}`;
    expect(after?.n).toBe(before?.n);
  });

  it("filters the audit log and loads more with the keyset cursor", async () => {
    await server.database.sql`
      insert into audit_events (action, target_type, target_id, details, created_at)
      select 'test.synthetic', 'user', g::text, '{"outcome":"success"}', now() - g * interval '1 minute'
      from generate_series(1, 60) as g`;
    const [count] = await server.database.sql<{ n: number }[]>`select count(*)::int as n from audit_events`;

    await visit("/audit");
    await poll(() => page.getByText("50 events shown").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Load more" }).click();
    await poll(() => page.getByText(`${count?.n} events shown`).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);

    await page.getByRole("combobox", { name: "Action" }).fill("users.suspend");
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expectSearch(page, { action: "users.suspend" });
    await poll(() => rowTexts("Audit events", 3)).toEqual(["users.suspend"]);
    await screenshot(page, "audit");

    await visit(`/audit?from=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`);
    await poll(() => page.getByText("No events match").isVisible()).toBe(true);
  });

  it("creates an API key shown once, which a script can use until it is revoked", async () => {
    await visit("/api-keys");
    await page.getByRole("button", { name: "Create API key" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Name" }).fill("ci-script");
    await dialog.getByRole("checkbox", { name: "users:read" }).check();
    await screenshot(page, "api-key-create");
    await dialog.getByRole("button", { name: "Create key" }).click();
    const key = (await dialog.getByTestId("new-api-key").textContent())?.trim() ?? "";
    expect(key.length).toBeGreaterThan(20);
    await screenshot(page, "api-key-created");

    const me = await trpcQuery(server.url, "auth.me", undefined, { authorization: `Bearer ${key}` });
    expect(me.status).toBe(200);
    expect(me.body.result?.data?.json).toMatchObject({
      user: { email: ADMIN_EMAIL },
      permissions: ["users:read"],
      credential: { kind: "apiKey", name: "ci-script" },
    });

    await dialog.getByRole("button", { name: "Done" }).click();
    await page.getByRole("button", { name: "Revoke ci-script" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
    await poll(() => page.getByTestId("api-key-ci-script").textContent()).toContain("revoked");
    // The page marks the key revoked before the server has answered, so wait for the refusal.
    await poll(
      async () => (await trpcQuery(server.url, "auth.me", undefined, { authorization: `Bearer ${key}` })).status,
    ).toBe(401);
    // Shown once: nothing on the page holds the secret any more.
    expect(await page.content()).not.toContain(key);
    await screenshot(page, "api-keys-revoked");
  });

  it("changes the password with field errors next to the fields", async () => {
    await visit("/account");
    const form = page.getByRole("form", { name: "Change password" });
    await form.getByRole("textbox", { name: "Current password" }).fill("wrong password");
    await form.getByRole("textbox", { name: "New password", exact: true }).fill("a brand new password");
    await form.getByRole("textbox", { name: "Repeat new password" }).fill("a brand new password");
    await form.getByRole("button", { name: "Change password" }).click();
    await poll(() => form.getByText("The current password is incorrect.").isVisible()).toBe(true);
    expect(await describedBy(form.getByRole("textbox", { name: "Current password" }))).toContain(
      "The current password is incorrect.",
    );
    await screenshot(page, "account-password-error");
  });

  it("shows what happens as it happens: new activity on the dashboard, comment counts in the articles table", async () => {
    const [author] = await server.database.sql<{ email: string }[]>`
      select email from users where role = 'user' and status = 'active' order by id desc limit 1`;
    if (!author) throw new Error("the seed has no active user");
    const signedIn = await trpcMutation(server.url, "auth.signIn", {
      email: author.email,
      password: SEED_PASSWORD,
      session: "token",
    });
    const token = (signedIn.body.result?.data?.json as { token?: string } | undefined)?.token;
    if (!token) throw new Error(`sign-in through the API failed: ${JSON.stringify(signedIn.body)}`);

    await visit("/");
    await poll(() => page.getByTestId("live-status").textContent()).toBe("Live");
    // Set on this page; a reload would lose it.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    const created = await trpcMutation(
      server.url,
      "articles.create",
      { title: "Written a moment ago", description: "Live", body: "Seen by operators at once." },
      token,
    );
    const article = created.body.result?.data?.json as { id: number; slug: string } | undefined;
    if (!article) throw new Error(`articles.create failed: ${JSON.stringify(created.body)}`);
    const feed = page.getByLabel("Recent activity");
    await poll(() => feed.textContent()).toContain(`articles.createarticle ${article.id}`);
    expect(await page.evaluate(() => "notReloaded" in window)).toBe(true);
    await screenshot(page, "dashboard-live");

    await visit("/articles");
    const row = page
      .getByRole("table", { name: "Articles" })
      .getByRole("row")
      .filter({ hasText: "Written a moment ago" });
    const comments = row.locator("td").nth(4);
    await poll(() => comments.textContent()).toBe("0");
    await poll(() => page.getByTestId("live-status").textContent()).toBe("Live");
    await trpcMutation(server.url, "comments.add", { slug: article.slug, body: "First!" }, token);
    await trpcMutation(server.url, "comments.add", { slug: article.slug, body: "Second." }, token);
    await poll(() => comments.textContent()).toBe("2");
  });

  // Eight pages and three viewports: more than the default minute on a loaded two-core machine.
  it("shows the dashboard, in light and dark mode, on a laptop, a tablet and a phone", async () => {
    await visit("/");
    await poll(() => page.getByTestId("total-users").textContent()).toBe("40");
    await poll(() => page.getByRole("heading", { name: "Recent activity" }).isVisible()).toBe(true);
    await page.locator(".recharts-surface").first().waitFor();
    await screenshot(page, "dashboard");

    await page.getByRole("button", { name: "Use dark mode" }).click();
    await page.reload();
    await poll(() => page.locator("html").getAttribute("data-mantine-color-scheme")).toBe("dark");
    await page.locator(".recharts-surface").first().waitFor();
    await screenshot(page, "dashboard-dark");
    for (const [path, name] of [
      ["/users", "users-dark"],
      ["/articles", "articles-dark"],
      ["/audit", "audit-dark"],
      ["/account", "account-dark"],
    ] as const) {
      await visit(path);
      await page.getByRole("heading", { level: 2 }).first().waitFor();
      // A page with a live stream never goes network-idle; its stream starts once its data is in.
      if (path === "/articles") await poll(() => page.getByTestId("live-status").textContent()).toBe("Live");
      else await page.waitForLoadState("networkidle");
      await screenshot(page, name);
    }
    await page.getByRole("button", { name: "Use light mode" }).click();

    await page.setViewportSize({ width: 820, height: 1180 });
    await visit("/users");
    await poll(() => page.getByTestId("table-range").textContent()).toBe("1–20 of 40 users");
    await screenshot(page, "users-tablet");

    await page.setViewportSize({ width: 390, height: 844 });
    await visit("/tags");
    await page.getByRole("button", { name: "Toggle navigation" }).click();
    await poll(() => page.getByRole("link", { name: "Audit log" }).isVisible()).toBe(true);
    await screenshot(page, "navigation-phone");
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.waitForURL(/\/audit$/);
    await poll(() => page.getByRole("heading", { name: "Audit log" }).isVisible()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 180_000);
});
