import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { follow, profileByUsername, unfollow } from "../services/profiles.ts";
import { permissionProcedure, publicProcedure } from "../trpc.ts";
import { usernameInput } from "./inputs.ts";
import { profileOutput } from "./outputs.ts";

const byUsername = z.object({ username: usernameInput });

/** Drops the internal user id from what others receive. */
const view = ({ id: _id, ...profile }: Awaited<ReturnType<typeof profileByUsername>>) => profile;

export const profilesRouter = {
  get: publicProcedure
    .input(byUsername)
    .output(profileOutput)
    .query(async ({ ctx, input }) =>
      view(await profileByUsername(ctx.db, input.username, ctx.principal?.user.id ?? null)),
    ),

  follow: permissionProcedure("profile:write")
    .input(byUsername)
    .output(profileOutput)
    .mutation(async ({ ctx, input }) => {
      const target = await profileByUsername(ctx.db, input.username, ctx.user.id);
      ctx.audit.target("user", target.id);
      await follow(ctx.db, ctx.user.id, target.id);
      return view({ ...target, following: true });
    }),

  unfollow: permissionProcedure("profile:write")
    .input(byUsername)
    .output(profileOutput)
    .mutation(async ({ ctx, input }) => {
      const target = await profileByUsername(ctx.db, input.username, ctx.user.id);
      ctx.audit.target("user", target.id);
      await unfollow(ctx.db, ctx.user.id, target.id);
      return view({ ...target, following: false });
    }),
} satisfies TRPCRouterRecord;
