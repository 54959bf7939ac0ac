import { roles, userSortKeys, userStatuses } from "@inkwell/auth";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import type { Context } from "../context.ts";
import { Forbidden } from "../errors.ts";
import { userBeforeChange } from "../services/audit-snapshots.ts";
import { forcePasswordReset } from "../services/password-reset.ts";
import { resetTwoFactor } from "../services/two-factor.ts";
import {
  deleteUserWithContent,
  listUsers,
  restoreUser,
  revokeApiKeyOfUser,
  revokeSessionOfUser,
  revokeUserSessions,
  setUserRole,
  suspendUser,
  userDetail,
} from "../services/user-admin.ts";
import { createUserByOperator, type NewUserByOperator, resendInvitation } from "../services/user-creation.ts";
import { editUser } from "../services/user-edits.ts";
import { permissionProcedure } from "../trpc.ts";
import { forcedPasswordResetOutput } from "./account-email-outputs.ts";
import {
  bioInput,
  emailInput,
  idInput,
  newPasswordInput,
  pageInput,
  searchInput,
  sortDirectionInput,
  timestampInput,
  usernameInput,
} from "./inputs.ts";
import {
  deletedUserOutput,
  revokedSessionOutput,
  revokedSessionsOutput,
  suspendedUserOutput,
  twoFactorResetOutput,
  userDetailOutput,
  userPageOutput,
  userSummaryOutput,
} from "./operator-outputs.ts";
import { apiKeyOutput } from "./outputs.ts";
import { createdUserOutput, editedUserOutput, invitationSentOutput } from "./user-admin-outputs.ts";

/** Operators act on other users only: on themselves, they could lock themselves (or the last admin) out. */
function refuseSelf(actorId: number, userId: number, what: string) {
  if (actorId === userId) throw new Forbidden(`You cannot ${what} yourself.`);
}

/** Why an operator acted, kept in the audit log: 10 to 500 characters. */
const operatorReason = (tooShort: string) =>
  z.string().trim().min(10, tooShort).max(500, "Use at most 500 characters.");

/**
 * `create` and `invite`: the same service (an omitted password means an
 * invitation), audited with who was made, never the password.
 */
async function createAudited(
  ctx: Pick<Context, "db" | "authSettings" | "links" | "audit"> & { user: { username: string } },
  input: NewUserByOperator,
) {
  ctx.audit.detail({ username: input.username, email: input.email, role: input.role });
  const created = await createUserByOperator(ctx.db, ctx.authSettings, ctx.links, input, ctx.user);
  ctx.audit.target("user", created.id);
  return created;
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
    .output(userPageOutput)
    .query(async ({ ctx, input }) => {
      const { users, total } = await listUsers(ctx.db, input);
      return { users, total, page: input.page, pageSize: input.pageSize };
    }),

  /** A user with their sessions, keys, how much they wrote and follow, and what they did lately. */
  detail: permissionProcedure("users:read")
    .input(z.object({ userId: idInput }))
    .output(userDetailOutput)
    .query(({ ctx, input }) => userDetail(ctx.db, ctx.authSettings, input.userId)),

  /** Signs a user out everywhere; their API keys keep working. */
  revokeSessions: permissionProcedure("sessions:manage")
    .input(z.object({ userId: idInput }))
    .output(revokedSessionsOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      const revoked = await revokeUserSessions(ctx.db, input.userId);
      ctx.audit.detail({ revoked });
      return { revoked };
    }),

  /** Ends one session of a user (a lost laptop), leaving the others. */
  revokeSession: permissionProcedure("sessions:manage")
    .input(z.object({ userId: idInput, sessionId: z.string().trim().min(1).max(64) }))
    .output(revokedSessionOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId).detail({ sessionId: input.sessionId });
      await revokeSessionOfUser(ctx.db, input.userId, input.sessionId);
      return { revoked: input.sessionId };
    }),

  /** Revokes one API key of a user (a leaked key), without suspending them. */
  revokeApiKey: permissionProcedure("users:manage")
    .input(z.object({ userId: idInput, keyId: idInput }))
    .output(apiKeyOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId).detail({ keyId: input.keyId });
      const key = await revokeApiKeyOfUser(ctx.db, input.userId, input.keyId);
      ctx.audit.detail({ prefix: key.prefix });
      return key;
    }),

  /**
   * Requires a new password of a user (a password seen in a breach, an
   * account that acted oddly): the current one stops working, every session
   * ends and a reset link goes to their address. Say why in `reason`: it is
   * kept in the audit log. API keys keep working.
   */
  forcePasswordReset: permissionProcedure("users:manage")
    .input(
      z.object({
        userId: idInput,
        reason: operatorReason("Say why (at least 10 characters); it is kept in the audit log."),
      }),
    )
    .output(forcedPasswordResetOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId).detail({ reason: input.reason });
      refuseSelf(ctx.user.id, input.userId, "force a password reset of");
      const reset = await forcePasswordReset(ctx.db, ctx.authSettings, ctx.links, input.userId);
      ctx.audit.detail({ username: reset.username, endedSessions: reset.endedSessions });
      return reset;
    }),

  /**
   * Turns off a user's two-factor sign-in, for someone who lost their
   * authenticator and recovery codes, once their identity has been checked
   * (say how, in `reason`: it is kept in the audit log). Ends their sessions.
   */
  resetTwoFactor: permissionProcedure("users:manage")
    .input(
      z.object({
        userId: idInput,
        reason: operatorReason(
          "Say how you checked who they are (at least 10 characters); it is kept in the audit log.",
        ),
      }),
    )
    .output(twoFactorResetOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId).detail({ reason: input.reason });
      refuseSelf(ctx.user.id, input.userId, "reset two-factor sign-in of");
      const reset = await resetTwoFactor(ctx.db, input.userId);
      ctx.audit.detail({ username: reset.username, endedSessions: reset.endedSessions });
      return reset;
    }),

  /** Deletes a user with everything they wrote; the audit log keeps what they did, under their id and name. */
  delete: permissionProcedure("users:manage")
    .input(z.object({ userId: idInput }))
    .output(deletedUserOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      refuseSelf(ctx.user.id, input.userId, "delete");
      const deleted = await deleteUserWithContent(ctx.db, input.userId);
      ctx.audit.detail({ username: deleted.username, articles: deleted.articles, comments: deleted.comments });
      return { deleted };
    }),

  setRole: permissionProcedure("users:manage")
    .input(z.object({ userId: idInput, role: z.enum(roles) }))
    .output(userSummaryOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      refuseSelf(ctx.user.id, input.userId, "change the role of");
      const before = await userBeforeChange(ctx.db, input.userId);
      const user = await setUserRole(ctx.db, input.userId, input.role);
      ctx.audit.detail({ role: input.role }).change(before, user);
      return user;
    }),

  /**
   * Suspends a user: their sessions end, they cannot sign in and their API
   * keys stop working. `reason` is for other operators (shown on the user's
   * page and kept in the audit log, never shown to the user); with `until`
   * (in the future) the account restores itself then.
   */
  suspend: permissionProcedure("users:manage")
    .input(
      z.object({
        userId: idInput,
        reason: z.string().trim().max(500, "Use at most 500 characters.").optional(),
        until: timestampInput.optional(),
      }),
    )
    .output(suspendedUserOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId).detail({
        ...(input.reason ? { reason: input.reason } : {}),
        ...(input.until ? { until: input.until.toISOString() } : {}),
      });
      refuseSelf(ctx.user.id, input.userId, "suspend");
      const before = await userBeforeChange(ctx.db, input.userId);
      const suspended = await suspendUser(ctx.db, input.userId, {
        reason: input.reason || undefined,
        until: input.until,
      });
      ctx.audit.detail({ endedSessions: suspended.endedSessions }).change(before, suspended);
      return suspended;
    }),

  /** Creates a user with a first password the operator chose (and passes on to them). */
  create: permissionProcedure("users:manage")
    .input(
      z.object({
        username: usernameInput,
        email: emailInput,
        role: z.enum(roles).default("user"),
        password: newPasswordInput,
      }),
    )
    .output(createdUserOutput)
    .mutation(({ ctx, input }) => createAudited(ctx, input)),

  /**
   * Creates a user without a password and emails them an invitation: a link
   * (7 days, once) to choose one, which also verifies the address.
   */
  invite: permissionProcedure("users:manage")
    .input(z.object({ username: usernameInput, email: emailInput, role: z.enum(roles).default("user") }))
    .output(createdUserOutput)
    .mutation(({ ctx, input }) => createAudited(ctx, input)),

  /** Emails a new invitation to a user who has never signed in; the older link stops working. */
  resendInvitation: permissionProcedure("users:manage")
    .input(z.object({ userId: idInput }))
    .output(invitationSentOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      const sent = await resendInvitation(ctx.db, ctx.links, input.userId, ctx.user);
      ctx.audit.detail({ email: sent.email });
      return sent;
    }),

  /**
   * Edits a user's username, email or bio (omitted fields stay; an empty bio
   * clears it). A taken username or email, in any case, is a CONFLICT on
   * that field. A new email is unverified and ends the account's emailed
   * links. The audit log keeps `{ before, after }` of the changed fields.
   */
  update: permissionProcedure("users:manage")
    .input(
      z.object({
        userId: idInput,
        username: usernameInput.optional(),
        email: emailInput.optional(),
        bio: bioInput.optional(),
      }),
    )
    .output(editedUserOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      const { userId, ...edits } = input;
      const edited = await editUser(ctx.db, userId, edits);
      ctx.audit.detail({ before: edited.before, after: edited.after });
      return edited;
    }),

  restore: permissionProcedure("users:manage")
    .input(z.object({ userId: idInput }))
    .output(userSummaryOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", input.userId);
      const before = await userBeforeChange(ctx.db, input.userId);
      const user = await restoreUser(ctx.db, input.userId);
      ctx.audit.change(before, user);
      return user;
    }),
} satisfies TRPCRouterRecord;
