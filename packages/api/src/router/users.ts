import { isOperatorRole, roles } from "@inkwell/auth";
import { eq, schema } from "@inkwell/db";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { Forbidden, NotFound, PreconditionFailed } from "../errors.ts";
import { listApiKeys } from "../services/api-keys.ts";
import { deleteUserSessions, listUserSessions } from "../services/sessions.ts";
import {
  deleteUserWithContent,
  findUserWithCounts,
  listUsers,
  recentActivityOf,
  userExists,
  userSortKeys,
} from "../services/user-admin.ts";
import { permissionProcedure } from "../trpc.ts";
import { idInput, pageInput, searchInput, sortDirectionInput } from "./inputs.ts";

const noSuchUser = () => new NotFound("user", "No such user: it may have been deleted.");

function refuseSelf(actorId: number, userId: number, what: string) {
  if (actorId === userId) throw new Forbidden(`You cannot ${what} yourself.`);
}

const userSummary = {
  id: schema.users.id,
  username: schema.users.username,
  role: schema.users.role,
  status: schema.users.status,
};

/** Operators' user management. */
export const usersRouter = {
  list: permissionProcedure("users:read")
    .input(
      z.object({
        search: searchInput,
        role: z.enum(roles).optional(),
        status: z.enum(schema.userStatuses).optional(),
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
    .query(async ({ ctx, input }) => {
      const found = await findUserWithCounts(ctx.db, input.userId);
      if (!found) throw noSuchUser();
      const [sessions, apiKeys, recentActivity] = await Promise.all([
        listUserSessions(ctx.db, ctx.authSettings, input.userId),
        listApiKeys(ctx.db, input.userId),
        recentActivityOf(ctx.db, input.userId),
      ]);
      return { user: found.user, sessions, apiKeys, counts: found.counts, recentActivity };
    }),

  /** Signs a user out everywhere; their API keys keep working. */
  revokeSessions: permissionProcedure("sessions:manage")
    .input(z.object({ userId: idInput }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      if (!(await userExists(ctx.db, input.userId))) throw noSuchUser();
      const revoked = await deleteUserSessions(ctx.db, input.userId);
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
      if (!deleted) throw noSuchUser();
      ctx.audit.detail({ username: deleted.username, articles: deleted.articles, comments: deleted.comments });
      return { deleted };
    }),

  setRole: permissionProcedure("users:manage")
    .input(z.object({ userId: idInput, role: z.enum(roles) }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      refuseSelf(ctx.user.id, input.userId, "change the role of");
      if (isOperatorRole(input.role)) {
        const [target] = await ctx.db
          .select({ username: schema.users.username, passwordIsCommon: schema.users.passwordIsCommon })
          .from(schema.users)
          .where(eq(schema.users.id, input.userId));
        if (target?.passwordIsCommon) {
          throw new PreconditionFailed(
            `${target.username}'s password is on a list of breached passwords: they must change it before they can be a ${input.role}.`,
            "role",
          );
        }
      }
      const [user] = await ctx.db
        .update(schema.users)
        .set({ role: input.role })
        .where(eq(schema.users.id, input.userId))
        .returning(userSummary);
      if (!user) throw new NotFound("user", "No such user.");
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
        if (!user) throw new NotFound("user", "No such user.");
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
      if (!user) throw new NotFound("user", "No such user.");
      return user;
    }),
} satisfies TRPCRouterRecord;
