import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import type { Context } from "../context.ts";
import { Forbidden } from "../errors.ts";
import {
  listPasskeys,
  passkeyRegistrationOptions,
  passkeySignInOptions,
  type RelyingParty,
  registerPasskey,
  removePasskey,
  renamePasskey,
  verifyPasskeySignIn,
} from "../services/passkeys.ts";
import { publicProcedure, sessionProcedure } from "../trpc.ts";
import { idInput, sessionTransportInput } from "./inputs.ts";
import { signedInWithin } from "./recent-sign-in.ts";
import { openSession } from "./sign-in-session.ts";

/** Passkeys belong to the public URL's host, or else to the host the request came to. */
function relyingParty(ctx: Pick<Context, "publicUrl" | "meta">): RelyingParty {
  const origin = new URL(ctx.publicUrl ?? ctx.meta.origin).origin;
  return { id: new URL(origin).hostname, name: "Inkwell", origin };
}

/** A passkey is a way into the account that outlives any password change: adding one needs a recent sign-in. */
export const PASSKEY_REGISTRATION_SIGN_IN_WINDOW_MS = 10 * 60_000;

function requireRecentSignIn(session: { createdAt: Date }): void {
  if (!signedInWithin(session, PASSKEY_REGISTRATION_SIGN_IN_WINDOW_MS)) {
    throw new Forbidden(
      "Sign in again to add a passkey: adding one needs a sign-in from the last 10 minutes. Sign out, sign in, then add it.",
    );
  }
}

/** Why a passkey was refused goes to the log; the person is told only that it could not be verified. */
const refusalLogger = (ctx: Pick<Context, "logger" | "meta">) => (detail: string) =>
  ctx.logger.warn({ detail, requestId: ctx.meta.requestId }, "passkey refused");

const base64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, "Expected base64url.");
const knownTransports = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"] as const;
type Transport = (typeof knownTransports)[number];
/** Hints for the browser; ones this server does not know (newer browsers add some) are dropped. */
const transports = z
  .array(z.string().max(32))
  .max(10)
  .transform((list) => list.filter((item): item is Transport => (knownTransports as readonly string[]).includes(item)));
const common = {
  id: base64url(1400).min(1),
  rawId: base64url(1400).min(1),
  type: z.literal("public-key"),
  // The extensions we read none of; the rest are dropped.
  clientExtensionResults: z
    .object({ credProps: z.object({ rk: z.boolean().optional() }).optional(), appid: z.boolean().optional() })
    .default({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
};

/** What `@simplewebauthn/browser`'s `startRegistration` returns. */
const registrationResponseInput = z.object({
  ...common,
  response: z.object({
    clientDataJSON: base64url(4096),
    attestationObject: base64url(65_536),
    authenticatorData: base64url(65_536).optional(),
    transports: transports.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(4096).optional(),
  }),
});

/** What `startAuthentication` returns. */
const authenticationResponseInput = z.object({
  ...common,
  response: z.object({
    clientDataJSON: base64url(4096),
    authenticatorData: base64url(65_536),
    signature: base64url(4096),
    userHandle: base64url(256).optional(),
  }),
});

const passkeyNameInput = z.string().trim().min(1, "Name the passkey.").max(60, "Use at most 60 characters.");

/**
 * Passkeys (WebAuthn): the signed-in user registers, names and removes them;
 * anyone signs in with one. Each prompt's challenge is stored here, answered
 * once, and lives two minutes. A passkey session meets a role's two-factor
 * requirement, as it proves possession and the user's PIN or biometric.
 */
export const passkeysRouter = {
  registrationOptions: sessionProcedure.mutation(async ({ ctx }) => {
    ctx.audit.target("user", ctx.user.id);
    requireRecentSignIn(ctx.principal.session);
    return passkeyRegistrationOptions(ctx.db, relyingParty(ctx), ctx.user);
  }),

  register: sessionProcedure
    .input(z.object({ response: registrationResponseInput, name: passkeyNameInput.default("Passkey") }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("user", ctx.user.id);
      requireRecentSignIn(ctx.principal.session);
      const created = await registerPasskey(
        ctx.db,
        ctx.counters,
        relyingParty(ctx),
        ctx.user.id,
        input.response,
        input.name,
        refusalLogger(ctx),
      );
      ctx.audit.detail({ passkeyId: created.id });
      return created;
    }),

  signInOptions: publicProcedure
    .meta({ browserSignIn: true })
    .mutation(({ ctx }) => passkeySignInOptions(ctx.db, relyingParty(ctx))),

  signIn: publicProcedure
    .meta({ browserSignIn: true })
    .input(z.object({ response: authenticationResponseInput, session: sessionTransportInput }))
    .mutation(async ({ ctx, input }) => {
      const user = await verifyPasskeySignIn(
        ctx.db,
        ctx.counters,
        relyingParty(ctx),
        input.response,
        refusalLogger(ctx),
      );
      ctx.audit.actor(user).target("user", user.id);
      return openSession(ctx, { ...user, signedInWithPasskey: true }, input.session, "passkey");
    }),

  list: sessionProcedure.query(({ ctx }) => listPasskeys(ctx.db, ctx.user.id)),

  rename: sessionProcedure.input(z.object({ id: idInput, name: passkeyNameInput })).mutation(async ({ ctx, input }) => {
    ctx.audit.target("user", ctx.user.id).detail({ passkeyId: input.id });
    return renamePasskey(ctx.db, ctx.user.id, input.id, input.name);
  }),

  remove: sessionProcedure.input(z.object({ id: idInput })).mutation(async ({ ctx, input }) => {
    ctx.audit.target("user", ctx.user.id).detail({ passkeyId: input.id });
    await removePasskey(ctx.db, ctx.user.id, input.id);
    return { removed: input.id };
  }),
} satisfies TRPCRouterRecord;
