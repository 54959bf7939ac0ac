import { isOperatorRole } from "@inkwell/auth";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import type { AuthUser, Principal } from "../auth/principal.ts";
import { Forbidden } from "../errors.ts";
import { changePassword, createAccount, updateAccount, verifyCredentials } from "../services/accounts.ts";
import { createSession, deleteSession } from "../services/sessions.ts";
import { authedProcedure, permissionProcedure, publicProcedure, sessionProcedure } from "../trpc.ts";
import { sessionsRouter } from "./auth-sessions.ts";
import {
  bioInput,
  emailInput,
  imageInput,
  newPasswordInput,
  passwordInput,
  sessionTransportInput,
  usernameInput,
} from "./inputs.ts";

const RECENT_SIGN_IN_MS = 60 * 60 * 1000;

/** Setting a password without the current one needs a session, and a fresh one; returns that session's id. */
function recentSessionId(principal: Principal): string {
  if (principal.kind !== "session") {
    throw new Forbidden("API keys cannot change passwords.", "password");
  }
  if (Date.now() - principal.session.createdAt.getTime() > RECENT_SIGN_IN_MS) {
    throw new Forbidden(
      "Sign in again to set a new password without the current one, or change it with your current password.",
      "password",
    );
  }
  return principal.session.id;
}

/** What a user may see about themselves. */
function accountView(user: AuthUser) {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    bio: user.bio,
    image: user.image,
    role: user.role,
    status: user.status,
    /** Emails about comments on their articles (turned off with `updateProfile({ notifyOnComment: false })`). */
    notifyOnComment: user.notifyOnComment,
    /** An operator whose password is on the breached list: they act as a plain user until they change it. */
    passwordChangeRequired: user.passwordIsCommon && isOperatorRole(user.role),
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

function credentialView(principal: Principal) {
  return principal.kind === "session"
    ? { kind: "session" as const, sessionId: principal.session.id, expiresAt: principal.session.expiresAt }
    : {
        kind: "apiKey" as const,
        apiKeyId: principal.apiKey.id,
        name: principal.apiKey.name,
        prefix: principal.apiKey.prefix,
      };
}

export const authRouter = {
  signUp: publicProcedure
    .input(
      z.object({
        email: emailInput,
        username: usernameInput,
        password: newPasswordInput,
        session: sessionTransportInput,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { user, session } = await createAccount(ctx.db, ctx.authSettings, input, ctx.meta);
      ctx.audit.actor(user.id).target("user", user.id);
      if (input.session === "cookie") ctx.cookies.setSession(session.token, session.expiresAt);
      return {
        user: accountView(user),
        expiresAt: session.expiresAt,
        token: input.session === "token" ? session.token : undefined,
      };
    }),

  signIn: publicProcedure
    .input(
      z.object({
        email: z.string().trim().min(1, "Enter your email.").max(254),
        password: passwordInput,
        session: sessionTransportInput,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const user = await verifyCredentials(ctx.db, ctx.counters, ctx.authSettings, input, ctx.meta, (id) =>
        ctx.audit.actor(id).target("user", id),
      );
      // Signing in always starts a new session; a browser's previous one ends.
      if (ctx.principal?.kind === "session" && ctx.principal.viaCookie) {
        await deleteSession(ctx.db, ctx.principal.session.id);
      }
      const session = await createSession(ctx.db, ctx.authSettings, user.id, ctx.meta);
      if (input.session === "cookie") ctx.cookies.setSession(session.token, session.expiresAt);
      return {
        user: accountView(user),
        expiresAt: session.expiresAt,
        token: input.session === "token" ? session.token : undefined,
      };
    }),

  signOut: sessionProcedure.mutation(async ({ ctx }) => {
    await deleteSession(ctx.db, ctx.principal.session.id);
    if (ctx.principal.viaCookie) ctx.cookies.clearSession();
    return { signedOut: true as const };
  }),

  me: authedProcedure.query(({ ctx }) => ({
    user: accountView(ctx.user),
    permissions: ctx.principal.permissions,
    credential: credentialView(ctx.principal),
  })),

  /**
   * Edits the profile. `password` sets a new password without the current one
   * (the RealWorld contract's PUT /user), so it needs a session signed in
   * within the last hour, and it ends every other session.
   */
  updateProfile: permissionProcedure("profile:write")
    .input(
      z.object({
        email: emailInput.optional(),
        username: usernameInput.optional(),
        bio: bioInput.optional(),
        image: imageInput.optional(),
        password: newPasswordInput.optional(),
        notifyOnComment: z.boolean().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", ctx.user.id);
      const keepSessionId = input.password === undefined ? undefined : recentSessionId(ctx.principal);
      const { user, endedSessions } = await updateAccount(ctx.db, ctx.authSettings, ctx.user, input, keepSessionId);
      if (endedSessions !== null) ctx.audit.detail({ endedSessions });
      return accountView(user);
    }),

  changePassword: sessionProcedure
    .input(z.object({ currentPassword: passwordInput, newPassword: newPasswordInput }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", ctx.user.id);
      const endedSessions = await changePassword(
        ctx.db,
        ctx.authSettings,
        ctx.user.id,
        input,
        ctx.principal.session.id,
      );
      ctx.audit.detail({ endedSessions });
      return { endedSessions };
    }),

  sessions: sessionsRouter,
} satisfies TRPCRouterRecord;
