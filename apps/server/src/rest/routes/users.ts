import { TRPCError } from "@trpc/server";
import { Hono } from "hono";
import type { RestEnv } from "../context.ts";
import { RestError } from "../errors.ts";
import { envelope, presentedToken, unchecked } from "../request.ts";
import { userView } from "../views.ts";

/** Registration, sign-in and the current user. */
export const userRoutes = new Hono<RestEnv>()
  .use(async (c, next) => {
    c.set("resource", "user");
    await next();
  })
  .post("/users/login", async (c) => {
    const user = await envelope(c, "user");
    const result = await c.var.api.auth.signIn({ ...unchecked(user), session: "token" }).catch((error: unknown) => {
      // The contract words a failed sign-in as invalid credentials, not a missing token.
      if (error instanceof TRPCError && error.code === "UNAUTHORIZED")
        throw new RestError(401, { credentials: ["invalid"] });
      throw error;
    });
    return c.json({ user: userView(result.user, result.token ?? "") });
  })
  .post("/users", async (c) => {
    const user = await envelope(c, "user");
    const result = await c.var.api.auth.signUp({ ...unchecked(user), session: "token" });
    return c.json({ user: userView(result.user, result.token ?? "") }, 201);
  })
  .get("/user", async (c) => {
    const me = await c.var.api.auth.me();
    return c.json({ user: userView(me.user, presentedToken(c)) });
  })
  .put("/user", async (c) => {
    const changes = await envelope(c, "user");
    const user = await c.var.api.auth.updateProfile(unchecked(changes));
    return c.json({ user: userView(user, presentedToken(c)) });
  });
