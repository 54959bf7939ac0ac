import { Hono } from "hono";
import type { RestEnv } from "../context.ts";
import { envelope, unchecked, wholeNumber } from "../request.ts";
import { articleView } from "../views.ts";

type Page = { articles: Parameters<typeof articleView>[0][]; articlesCount: number };
const listView = (page: Page) => ({ articles: page.articles.map(articleView), articlesCount: page.articlesCount });

export const articleRoutes = new Hono<RestEnv>()
  .use(async (c, next) => {
    c.set("resource", "article");
    await next();
  })
  // Registered before /articles/:slug so "feed" is not taken for a slug.
  .get("/articles/feed", async (c) => {
    const page = await c.var.api.articles.feed({ limit: wholeNumber(c, "limit"), offset: wholeNumber(c, "offset") });
    return c.json(listView(page));
  })
  .get("/articles", async (c) => {
    const page = await c.var.api.articles.list({
      tag: c.req.query("tag"),
      author: c.req.query("author"),
      favoritedBy: c.req.query("favorited"),
      limit: wholeNumber(c, "limit"),
      offset: wholeNumber(c, "offset"),
    });
    return c.json(listView(page));
  })
  .post("/articles", async (c) => {
    const article = await envelope(c, "article");
    return c.json({ article: articleView(await c.var.api.articles.create(unchecked(article))) }, 201);
  })
  .get("/articles/:slug", async (c) => {
    return c.json({ article: articleView(await c.var.api.articles.get({ slug: c.req.param("slug") })) });
  })
  .put("/articles/:slug", async (c) => {
    const changes = await envelope(c, "article");
    const article = await c.var.api.articles.update({ ...unchecked(changes), slug: c.req.param("slug") });
    return c.json({ article: articleView(article) });
  })
  .delete("/articles/:slug", async (c) => {
    await c.var.api.articles.delete({ slug: c.req.param("slug") });
    return c.body(null, 204);
  })
  .post("/articles/:slug/favorite", async (c) => {
    return c.json({ article: articleView(await c.var.api.articles.favorite({ slug: c.req.param("slug") })) });
  })
  .delete("/articles/:slug/favorite", async (c) => {
    return c.json({ article: articleView(await c.var.api.articles.unfavorite({ slug: c.req.param("slug") })) });
  });
