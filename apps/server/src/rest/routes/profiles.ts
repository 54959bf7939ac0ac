import { Hono } from "hono";
import type { RestEnv } from "../context.ts";
import { profileView } from "../views.ts";

export const profileRoutes = new Hono<RestEnv>()
  .use(async (c, next) => {
    c.set("resource", "profile");
    await next();
  })
  .get("/profiles/:username", async (c) => {
    const profile = await c.var.api.profiles.get({ username: c.req.param("username") });
    return c.json({ profile: profileView(profile) });
  })
  .post("/profiles/:username/follow", async (c) => {
    const profile = await c.var.api.profiles.follow({ username: c.req.param("username") });
    return c.json({ profile: profileView(profile) });
  })
  .delete("/profiles/:username/follow", async (c) => {
    const profile = await c.var.api.profiles.unfollow({ username: c.req.param("username") });
    return c.json({ profile: profileView(profile) });
  });
