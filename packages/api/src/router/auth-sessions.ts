import { and, eq, schema } from "@inkwell/db";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { NotFound } from "../errors.ts";
import { deleteUserSessions, listUserSessions } from "../services/sessions.ts";
import { sessionProcedure } from "../trpc.ts";

/** The signed-in user's own sessions. */
export const sessionsRouter = {
  list: sessionProcedure.query(async ({ ctx }) => {
    const sessions = await listUserSessions(ctx.db, ctx.authSettings, ctx.user.id);
    return sessions.map((session) => ({ ...session, current: session.id === ctx.principal.session.id }));
  }),

  revoke: sessionProcedure.input(z.object({ id: z.string().min(1).max(64) })).mutation(async ({ ctx, input }) => {
    ctx.audit.target("session", input.id);
    const deleted = await ctx.db
      .delete(schema.sessions)
      .where(and(eq(schema.sessions.id, input.id), eq(schema.sessions.userId, ctx.user.id)))
      .returning({ id: schema.sessions.id });
    if (deleted.length === 0) throw new NotFound("session", "No such session of yours.");
    const current = input.id === ctx.principal.session.id;
    if (current && ctx.principal.viaCookie) ctx.cookies.clearSession();
    return { revoked: input.id, current };
  }),

  revokeOthers: sessionProcedure.mutation(async ({ ctx }) => {
    ctx.audit.target("user", ctx.user.id);
    const revoked = await deleteUserSessions(ctx.db, ctx.user.id, ctx.principal.session.id);
    ctx.audit.detail({ revoked });
    return { revoked };
  }),
} satisfies TRPCRouterRecord;
