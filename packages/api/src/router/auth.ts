import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import type { Principal } from "../auth/principal.ts";
import { Forbidden } from "../errors.ts";
import { changePassword, createAccount, updateAccount, verifyCredentials } from "../services/accounts.ts";
import { userBeforeChange } from "../services/audit-snapshots.ts";
import { requestEmailChange, sendVerificationEmail } from "../services/email-verification.ts";
import { deleteSession } from "../services/sessions.ts";
import { completeTwoFactorSignIn, createTwoFactorChallenge } from "../services/two-factor-challenges.ts";
import { authedProcedure, permissionProcedure, publicProcedure, sessionProcedure } from "../trpc.ts";
import { accountEmailProcedures } from "./auth-account-emails.ts";
import { identitiesRouter } from "./auth-identities.ts";
import { passkeysRouter } from "./auth-passkeys.ts";
import { sessionsRouter } from "./auth-sessions.ts";
import { twoFactorRouter } from "./auth-two-factor.ts";
import {
  bioInput,
  emailInput,
  exactlyOne,
  imageInput,
  newPasswordInput,
  passwordInput,
  recoveryCodeInput,
  sessionTransportInput,
  totpCodeInput,
  usernameInput,
} from "./inputs.ts";
import { meOutput, signIn2faOutput, signInOutput, signUpOutput, updatedAccountOutput } from "./outputs.ts";
import { signedInWithin } from "./recent-sign-in.ts";
import { accountView, openSession } from "./sign-in-session.ts";

const RECENT_SIGN_IN_MS = 60 * 60 * 1000;

/** Setting a password without the current one needs a session, and a fresh one; returns that session's id. */
function recentSessionId(principal: Principal): string {
  if (principal.kind !== "session") {
    throw new Forbidden("API keys cannot change passwords.", "password");
  }
  if (!signedInWithin(principal.session, RECENT_SIGN_IN_MS)) {
    throw new Forbidden(
      "Sign in again to set a new password without the current one, or change it with your current password.",
      "password",
    );
  }
  return principal.session.id;
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
    .output(signUpOutput)
    .mutation(async ({ ctx, input }) => {
      const { user, session } = await createAccount(ctx.db, ctx.authSettings, input, ctx.meta);
      ctx.audit.actor(user).target("user", user.id);
      // In the account's transaction: the link exists exactly when the account does.
      await sendVerificationEmail(ctx.db, ctx.links, user);
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
    .output(signInOutput)
    .mutation(async ({ ctx, input }) => {
      const user = await verifyCredentials(ctx.db, ctx.counters, ctx.authSettings, input, ctx.meta, (found) =>
        ctx.audit.actor(found).target("user", found.id),
      );
      if (user.twoFactorEnabled) {
        // The password was right; a code is still owed. No session yet: a challenge for `signIn2fa`.
        const challenge = await createTwoFactorChallenge(ctx.db, user.id);
        ctx.audit.detail({ twoFactorRequired: true });
        return {
          twoFactorRequired: true as const,
          challenge: challenge.token,
          expiresAt: challenge.expiresAt,
          token: undefined,
        };
      }
      return openSession(ctx, user, input.session);
    }),

  /**
   * The second step of signing in to an account with two-factor sign-in: the
   * challenge `signIn` returned and a code from the authenticator app, or one
   * of the recovery codes (used up). Opens the session as `signIn` does.
   */
  signIn2fa: publicProcedure
    .input(
      z
        .object({
          challenge: z.string().trim().min(1, "Sign in with your password first.").max(100),
          code: totpCodeInput.optional(),
          recoveryCode: recoveryCodeInput.optional(),
          session: sessionTransportInput,
        })
        .refine(exactlyOne("code", "recoveryCode"), {
          message: "Enter the code from your authenticator app, or one of your recovery codes.",
          path: ["code"],
        }),
    )
    .output(signIn2faOutput)
    .mutation(async ({ ctx, input }) => {
      const { user, method } = await completeTwoFactorSignIn(
        ctx.db,
        ctx.counters,
        ctx.authSettings,
        ctx.encryptionKey,
        input,
        ctx.meta,
        (found) => ctx.audit.actor(found).target("user", found.id),
      );
      ctx.audit.detail({ secondFactor: input.recoveryCode === undefined ? "totp" : "recoveryCode" });
      return openSession(ctx, user, input.session, method);
    }),

  signOut: sessionProcedure.mutation(async ({ ctx }) => {
    await deleteSession(ctx.db, ctx.principal.session.id);
    if (ctx.principal.viaCookie) ctx.cookies.clearSession();
    return { signedOut: true as const };
  }),

  me: authedProcedure.output(meOutput).query(({ ctx }) => ({
    user: accountView(ctx.user),
    permissions: ctx.principal.permissions,
    credential: credentialView(ctx.principal),
  })),

  /**
   * Edits the profile. `password` sets a new password without the current one
   * (the RealWorld contract's PUT /user), so it needs a session signed in
   * within the last hour, and it ends every other session. A new `email`
   * (other than in letter case) is not set here: it starts `changeEmail`, and
   * the answer keeps the current address with the new one as `pendingEmail`.
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
    .output(updatedAccountOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", ctx.user.id);
      const before = await userBeforeChange(ctx.db, ctx.user.id);
      const keepSessionId = input.password === undefined ? undefined : recentSessionId(ctx.principal);
      const { email, ...changes } = input;
      const newAddress = email !== undefined && email.toLowerCase() !== ctx.user.email.toLowerCase();
      const { user, endedSessions } = await updateAccount(
        ctx.db,
        ctx.authSettings,
        ctx.user,
        { ...changes, email: newAddress ? undefined : email },
        keepSessionId,
      );
      if (endedSessions !== null) ctx.audit.detail({ endedSessions });
      ctx.audit.change(before, user);
      if (!newAddress) return { ...accountView(user), pendingEmail: null };
      const pending = await requestEmailChange(
        ctx.db,
        ctx.counters,
        ctx.authSettings,
        ctx.links,
        user,
        email,
        ctx.meta.ip,
      );
      ctx.audit.detail({ pendingEmail: pending.pendingEmail });
      return { ...accountView(user), pendingEmail: pending.pendingEmail };
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

  ...accountEmailProcedures,
  sessions: sessionsRouter,
  twoFactor: twoFactorRouter,
  identities: identitiesRouter,
  passkeys: passkeysRouter,
} satisfies TRPCRouterRecord;
