import { and, eq, schema } from "@inkwell/db";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import type { Context } from "../context.ts";
import { Invalid, NotFound } from "../errors.ts";
import { findProfile } from "../services/profiles.ts";
import { permissionProcedure, publicProcedure } from "../trpc.ts";
import { usernameInput } from "./inputs.ts";

const byUsername = z.object({ username: usernameInput });

async function existingProfile(ctx: Pick<Context, "db">, username: string, viewerId: number | null) {
  const profile = await findProfile(ctx.db, username, viewerId);
  if (!profile) throw new NotFound("profile", `No user named "${username}".`);
  return profile;
}

const view = ({ id: _id, ...profile }: Awaited<ReturnType<typeof existingProfile>>) => profile;

export const profilesRouter = {
  get: publicProcedure
    .input(byUsername)
    .query(async ({ ctx, input }) => view(await existingProfile(ctx, input.username, ctx.principal?.user.id ?? null))),

  follow: permissionProcedure("profile:write")
    .input(byUsername)
    .mutation(async ({ ctx, input }) => {
      const target = await existingProfile(ctx, input.username, ctx.user.id);
      ctx.audit.target("user", target.id);
      if (target.id === ctx.user.id) {
        throw new Invalid("You cannot follow yourself.");
      }
      await ctx.db
        .insert(schema.follows)
        .values({ followerId: ctx.user.id, followingId: target.id })
        .onConflictDoNothing();
      return view({ ...target, following: true });
    }),

  unfollow: permissionProcedure("profile:write")
    .input(byUsername)
    .mutation(async ({ ctx, input }) => {
      const target = await existingProfile(ctx, input.username, ctx.user.id);
      ctx.audit.target("user", target.id);
      await ctx.db
        .delete(schema.follows)
        .where(and(eq(schema.follows.followerId, ctx.user.id), eq(schema.follows.followingId, target.id)));
      return view({ ...target, following: false });
    }),
} satisfies TRPCRouterRecord;
