import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import {
  beginTwoFactorEnrolment,
  confirmTwoFactorEnrolment,
  disableTwoFactor,
  regenerateRecoveryCodes,
  twoFactorStatus,
} from "../services/two-factor.ts";
import { sessionProcedure } from "../trpc.ts";
import { exactlyOne, passwordInput, totpCodeInput } from "./inputs.ts";

/**
 * The signed-in user's own two-factor sign-in (TOTP). Session only: an API
 * key can neither turn it on nor off. No permission is needed, so a user
 * whose role requires it and who holds no permission until then can enrol.
 */
export const twoFactorRouter = {
  /** Whether it is on, and whether this server can offer it (it needs ENCRYPTION_KEY). */
  status: sessionProcedure.query(async ({ ctx }) => ({
    ...(await twoFactorStatus(ctx.db, ctx.user.id)),
    required: ctx.user.twoFactorRequired,
    available: Boolean(ctx.encryptionKey),
  })),

  /**
   * A new secret for the authenticator app: as text, and as the `otpauth://`
   * URI a QR code carries. Nothing changes until `confirmEnrolment`.
   */
  beginEnrolment: sessionProcedure.mutation(async ({ ctx }) => {
    ctx.audit.target("user", ctx.user.id);
    return beginTwoFactorEnrolment(ctx.db, ctx.encryptionKey, ctx.user);
  }),

  /**
   * Turns it on with a first code from the app; returns ten single-use
   * recovery codes, shown this once. The user's other sessions end.
   */
  confirmEnrolment: sessionProcedure.input(z.object({ code: totpCodeInput })).mutation(async ({ ctx, input }) => {
    ctx.audit.target("user", ctx.user.id);
    const confirmed = await confirmTwoFactorEnrolment(
      ctx.db,
      ctx.counters,
      ctx.authSettings,
      ctx.encryptionKey,
      ctx.user.id,
      input.code,
      ctx.meta,
      ctx.principal.session.id,
    );
    ctx.audit.detail({ endedSessions: confirmed.endedSessions });
    return confirmed;
  }),

  /** Ten new recovery codes, shown once, for a current code from the app; the old ones stop working. */
  regenerateRecoveryCodes: sessionProcedure
    .input(z.object({ code: totpCodeInput }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", ctx.user.id);
      const recoveryCodes = await regenerateRecoveryCodes(
        ctx.db,
        ctx.counters,
        ctx.authSettings,
        ctx.encryptionKey,
        ctx.user.id,
        input.code,
        ctx.meta,
      );
      return { recoveryCodes };
    }),

  /** Turns it off, with a current code or the password; refused while the user's role requires it. */
  disable: sessionProcedure
    .input(
      z
        .object({ code: totpCodeInput.optional(), password: passwordInput.optional() })
        .refine(exactlyOne("code", "password"), {
          message: "Enter a code from your authenticator app, or your password.",
          path: ["code"],
        }),
    )
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", ctx.user.id).detail({ provedWith: input.code === undefined ? "password" : "code" });
      await disableTwoFactor(ctx.db, ctx.counters, ctx.authSettings, ctx.encryptionKey, ctx.user, input, ctx.meta);
      return { disabled: true as const };
    }),
} satisfies TRPCRouterRecord;
