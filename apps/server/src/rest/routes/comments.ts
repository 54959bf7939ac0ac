import { Hono } from "hono";
import type { RestEnv } from "../context.ts";
import { RestInputError } from "../errors.ts";
import { envelope, unchecked } from "../request.ts";
import { commentView } from "../views.ts";

// The contract has no paging for comments; this is the procedure's largest page.
const ALL_COMMENTS = 500;

export const commentRoutes = new Hono<RestEnv>()
  .use(async (c, next) => {
    c.set("resource", "comment");
    await next();
  })
  .get("/articles/:slug/comments", async (c) => {
    const page = await c.var.api.comments.list({ slug: c.req.param("slug"), limit: ALL_COMMENTS });
    return c.json({ comments: page.comments.map(commentView) });
  })
  .post("/articles/:slug/comments", async (c) => {
    const comment = await envelope(c, "comment");
    const created = await c.var.api.comments.add({ ...unchecked(comment), slug: c.req.param("slug") });
    return c.json({ comment: commentView(created) }, 201);
  })
  .delete("/articles/:slug/comments/:id", async (c) => {
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id) || id < 1) throw new RestInputError({ id: ["must be a whole number"] });
    await c.var.api.comments.delete({ slug: c.req.param("slug"), id });
    return c.body(null, 204);
  });
