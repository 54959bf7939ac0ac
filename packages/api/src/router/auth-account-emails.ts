import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { requestEmailChange, resendVerification, verifyEmail } from "../services/email-verification.ts";
import { requestPasswordReset, resetPassword } from "../services/password-reset.ts";
import { authedProcedure, permissionProcedure, publicProcedure } from "../trpc.ts";
import {
  passwordResetOutput,
  passwordResetRequestedOutput,
  pendingEmailOutput,
  verificationSentOutput,
  verifiedEmailOutput,
} from "./account-email-outputs.ts";
import { emailInput, newPasswordInput } from "./inputs.ts";

/** A token from an emailed link: 32 base32 characters; anything else is simply not a working link. */
const tokenInput = z.string().trim().min(1, "The link has no token: open the whole link from the email.").max(100);

export const PASSWORD_RESET_REQUESTED =
  "If an account uses this address, we have emailed it a link to choose a new password. The link works for one hour.";

/**
 * The procedures behind the links Inkwell emails about an account: verifying
 * an address, changing it, resetting a password (`auth.*`). Tokens, lifetimes
 * and throttling: docs/security.md.
 */
export const accountEmailProcedures = {
  /** Opens a verification link (after sign-up, or for a new address, which then becomes the account's). */
  verifyEmail: publicProcedure
    .input(z.object({ token: tokenInput }))
    .output(verifiedEmailOutput)
    .mutation(async ({ ctx, input }) => {
      const verified = await verifyEmail(ctx.db, input.token);
      ctx.audit
        .actor({ id: verified.userId, username: verified.username })
        .target("user", verified.userId)
        .detail({ changed: verified.changed });
      return { email: verified.email, changed: verified.changed };
    }),

  /** Emails the signed-in user another verification link (the older ones stop working). */
  resendVerification: authedProcedure.output(verificationSentOutput).mutation(async ({ ctx }) => {
    ctx.audit.target("user", ctx.user.id);
    return resendVerification(ctx.db, ctx.counters, ctx.authSettings, ctx.links, ctx.user, ctx.meta.ip);
  }),

  /**
   * Starts changing the signed-in user's address: a link to the new one, a
   * notice to the current one, which stays the account's until the link is opened.
   */
  changeEmail: permissionProcedure("profile:write")
    .input(z.object({ email: emailInput }))
    .output(pendingEmailOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", ctx.user.id);
      return requestEmailChange(ctx.db, ctx.counters, ctx.authSettings, ctx.links, ctx.user, input.email, ctx.meta.ip);
    }),

  /**
   * Asks for a reset link. The answer is the same whether or not an account
   * uses the address (the email is written by a job); throttled per address
   * asked for and per client.
   */
  requestPasswordReset: publicProcedure
    .input(z.object({ email: emailInput }))
    .output(passwordResetRequestedOutput)
    .mutation(async ({ ctx, input }) => {
      await requestPasswordReset(ctx.db, ctx.counters, ctx.authSettings, input.email, ctx.meta.ip);
      return { message: PASSWORD_RESET_REQUESTED };
    }),

  /** Sets a new password with a reset link's token; every session of the account ends. */
  resetPassword: publicProcedure
    .input(z.object({ token: tokenInput, password: newPasswordInput }))
    .output(passwordResetOutput)
    .mutation(async ({ ctx, input }) => {
      const reset = await resetPassword(ctx.db, ctx.authSettings, input);
      ctx.audit
        .actor({ id: reset.userId, username: reset.username })
        .target("user", reset.userId)
        .detail({ endedSessions: reset.endedSessions });
      return { passwordReset: true as const };
    }),
} satisfies TRPCRouterRecord;
