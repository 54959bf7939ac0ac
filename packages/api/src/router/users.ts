import { roles, userSortKeys, userStatuses } from "@inkwell/auth";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { Forbidden } from "../errors.ts";
import {
  deleteUserWithContent,
  listUsers,
  restoreUser,
  revokeUserSessions,
  setUserRole,
  suspendUser,
  userDetail,
} from "../services/user-admin.ts";
import { permissionProcedure } from "../trpc.ts";
import { idInput, pageInput, searchInput, sortDirectionInput } from "./inputs.ts";

/** Operators act on other users only: on themselves, they could lock themselves (or the last admin) out. */
function refuseSelf(actorId: number, userId: number, what: string) {
  if (actorId === userId) throw new Forbidden(`You cannot ${what} yourself.`);
}

/** Operators' user management. */
export const usersRouter = {
  list: permissionProcedure("users:read")
    .input(
      z.object({
        search: searchInput,
        role: z.enum(roles).optional(),
        status: z.enum(userStatuses).optional(),
        sort: z.enum(userSortKeys).default("createdAt"),
        direction: sortDirectionInput,
        ...pageInput,
      }),
    )
    .query(async ({ ctx, input }) => {
      const { users, total } = await listUsers(ctx.db, input);
      return { users, total, page: input.page, pageSize: input.pageSize };
    }),

  /** A user with their sessions, keys, how much they wrote and follow, and what they did lately. */
  detail: permissionProcedure("users:read")
    .input(z.object({ userId: idInput }))
    .query(({ ctx, input }) => userDetail(ctx.db, ctx.authSettings, input.userId)),

  /** Signs a user out everywhere; their API keys keep working. */
  revokeSessions: permissionProcedure("sessions:manage")
    .input(z.object({ userId: idInput }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      const revoked = await revokeUserSessions(ctx.db, input.userId);
      ctx.audit.detail({ revoked });
      return { revoked };
    }),

  /** Deletes a user with everything they wrote; the audit log keeps what they did, without the actor. */
  delete: permissionProcedure("users:manage")
    .input(z.object({ userId: idInput }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      refuseSelf(ctx.user.id, input.userId, "delete");
      const deleted = await deleteUserWithContent(ctx.db, input.userId);
      ctx.audit.detail({ username: deleted.username, articles: deleted.articles, comments: deleted.comments });
      return { deleted };
    }),

  setRole: permissionProcedure("users:manage")
    .input(z.object({ userId: idInput, role: z.enum(roles) }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      refuseSelf(ctx.user.id, input.userId, "change the role of");
      const user = await setUserRole(ctx.db, input.userId, input.role);
      ctx.audit.detail({ role: input.role });
      return user;
    }),

  suspend: permissionProcedure("users:manage")
    .input(z.object({ userId: idInput }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      refuseSelf(ctx.user.id, input.userId, "suspend");
      const suspended = await suspendUser(ctx.db, input.userId);
      ctx.audit.detail({ endedSessions: suspended.endedSessions });
      return suspended;
    }),

  restore: permissionProcedure("users:manage")
    .input(z.object({ userId: idInput }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      return restoreUser(ctx.db, input.userId);
    }),
} satisfies TRPCRouterRecord;
