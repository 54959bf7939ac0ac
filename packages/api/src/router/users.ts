import { roles } from "@inkwell/auth";
import { eq, schema } from "@inkwell/db";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { deleteUserSessions } from "../services/sessions.ts";
import { permissionProcedure } from "../trpc.ts";
import { idInput } from "./inputs.ts";

function refuseSelf(actorId: number, userId: number, what: string) {
  if (actorId === userId) throw new TRPCError({ code: "FORBIDDEN", message: `You cannot ${what} yourself.` });
}

const userSummary = {
  id: schema.users.id,
  username: schema.users.username,
  role: schema.users.role,
  status: schema.users.status,
};

/** Operators' user management. */
export const usersRouter = {
  setRole: permissionProcedure("users:manage")
    .input(z.object({ userId: idInput, role: z.enum(roles) }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      refuseSelf(ctx.user.id, input.userId, "change the role of");
      const [user] = await ctx.db
        .update(schema.users)
        .set({ role: input.role })
        .where(eq(schema.users.id, input.userId))
        .returning(userSummary);
      if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "No such user." });
      ctx.audit.detail({ role: input.role });
      return user;
    }),

  suspend: permissionProcedure("users:manage")
    .input(z.object({ userId: idInput }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      refuseSelf(ctx.user.id, input.userId, "suspend");
      return ctx.db.transaction(async (tx) => {
        const [user] = await tx
          .update(schema.users)
          .set({ status: "suspended" })
          .where(eq(schema.users.id, input.userId))
          .returning(userSummary);
        if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "No such user." });
        // Sessions are refused for suspended users anyway; ending them makes it visible.
        const endedSessions = await deleteUserSessions(tx, input.userId);
        ctx.audit.detail({ endedSessions });
        return { ...user, endedSessions };
      });
    }),

  restore: permissionProcedure("users:manage")
    .input(z.object({ userId: idInput }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      const [user] = await ctx.db
        .update(schema.users)
        .set({ status: "active" })
        .where(eq(schema.users.id, input.userId))
        .returning(userSummary);
      if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "No such user." });
      return user;
    }),
} satisfies TRPCRouterRecord;
