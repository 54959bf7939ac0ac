import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { deleteUserSessions, listUserSessions, revokeUserSession } from "../services/sessions.ts";
import { sessionProcedure } from "../trpc.ts";

/** The signed-in user's own sessions. */
export const sessionsRouter = {
  list: sessionProcedure.query(async ({ ctx }) => {
    const sessions = await listUserSessions(ctx.db, ctx.authSettings, ctx.user.id);
    return sessions.map((session) => ({ ...session, current: session.id === ctx.principal.session.id }));
  }),

  revoke: sessionProcedure.input(z.object({ id: z.string().min(1).max(64) })).mutation(async ({ ctx, input }) => {
    ctx.audit.target("session", input.id);
    await revokeUserSession(ctx.db, ctx.user.id, input.id);
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
