import { Hono } from "hono";
import type { RestEnv } from "../context.ts";

export const tagRoutes = new Hono<RestEnv>().get("/tags", async (c) => {
  const tags = await c.var.api.tags.list();
  return c.json({ tags: tags.map((tag) => tag.name) });
});
