import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import type { Context } from "../context.ts";
import { Unauthorized } from "../errors.ts";
import type { IdentityProviders } from "../identity/registry.ts";
import { linkIdentity, listIdentities, unlinkIdentity, userForIdentity } from "../services/identities.ts";
import { beginIdentityFlow, completeIdentityFlow, findProvider } from "../services/identity-flows.ts";
import { createTwoFactorChallenge } from "../services/two-factor-challenges.ts";
import { publicProcedure, sessionProcedure } from "../trpc.ts";
import { idInput } from "./inputs.ts";
import { openSession } from "./sign-in-session.ts";

const NONE: IdentityProviders = new Map();

const providerInput = z
  .string()
  .trim()
  .min(1, "Choose an identity provider.")
  .max(32)
  .regex(/^[a-z0-9-]+$/, "Choose one of the identity providers listed.");

/** A path in the admin console (not `//host`, which a browser reads as another site). */
const returnToInput = z
  .string()
  .max(500)
  .regex(/^\/([^/\\\s][^\s]*)?$/, "Expected a path in the admin console.")
  .default("/");

/** Where the provider sends the browser back: a page of the admin console on the public URL. */
function redirectUri(ctx: Pick<Context, "publicUrl" | "meta">, providerId: string): string {
  const base = (ctx.publicUrl ?? ctx.meta.origin).replace(/\/+$/, "");
  return `${base}/sign-in/callback/${providerId}`;
}

/**
 * Sign-in with identity providers (OpenID Connect, GitHub), and the signed-in
 * user's linked identities. The browser goes to the provider with the address
 * `beginSignIn`/`beginLink` return and comes back to the admin console's
 * callback page, which hands its query string to `complete` as `callback`.
 */
export const identitiesRouter = {
  /** The providers configured here, for the sign-in page's buttons. */
  providers: publicProcedure
    .meta({ browserSignIn: true })
    .query(({ ctx }) =>
      [...(ctx.identityProviders ?? NONE).values()].map(({ id, name, type }) => ({ id, name, type })),
    ),

  beginSignIn: publicProcedure
    .meta({ browserSignIn: true })
    .input(z.object({ provider: providerInput, returnTo: returnToInput }))
    .mutation(async ({ ctx, input }) => {
      const provider = findProvider(ctx.identityProviders ?? NONE, input.provider);
      ctx.audit.detail({ provider: provider.id });
      const flow = await beginIdentityFlow(ctx.db, provider, {
        redirectUri: redirectUri(ctx, provider.id),
        returnTo: input.returnTo,
        link: null,
      });
      ctx.cookies.setIdentityFlow(flow.state, flow.expiresAt);
      return { authorizationUrl: flow.authorizationUrl };
    }),

  /** Links an account at `provider` to the signed-in user; the callback must come back to this session. */
  beginLink: sessionProcedure.input(z.object({ provider: providerInput })).mutation(async ({ ctx, input }) => {
    const provider = findProvider(ctx.identityProviders ?? NONE, input.provider);
    ctx.audit.target("user", ctx.user.id).detail({ provider: provider.id });
    const flow = await beginIdentityFlow(ctx.db, provider, {
      redirectUri: redirectUri(ctx, provider.id),
      returnTo: "/account",
      link: { userId: ctx.user.id, sessionId: ctx.principal.session.id },
    });
    ctx.cookies.setIdentityFlow(flow.state, flow.expiresAt);
    return { authorizationUrl: flow.authorizationUrl };
  }),

  /**
   * The provider's answer, as the query string it sent the browser back with.
   * Signs in (a code is still owed when the user has two-factor sign-in on),
   * or links the identity when the flow was started by `beginLink`.
   */
  complete: publicProcedure
    .meta({ browserSignIn: true })
    .input(z.object({ provider: providerInput, callback: z.string().max(8192) }))
    .mutation(async ({ ctx, input }) => {
      const provider = findProvider(ctx.identityProviders ?? NONE, input.provider);
      ctx.audit.detail({ provider: provider.id });
      const state = ctx.cookies.identityFlowState;
      ctx.cookies.clearIdentityFlow();
      const flow = await completeIdentityFlow(ctx.counters, provider, state, input.callback, (detail) =>
        ctx.logger.warn({ provider: provider.id, detail, requestId: ctx.meta.requestId }, "identity provider refused"),
      );

      if (flow.link) {
        const principal = ctx.principal;
        if (principal?.kind !== "session" || principal.session.id !== flow.link.sessionId) {
          throw new Unauthorized("Sign in again, then link the account from your account page.");
        }
        ctx.audit.actor(principal.user).target("user", principal.user.id).detail({ linked: true });
        await linkIdentity(ctx.db, principal.user.id, provider, flow.account);
        return { outcome: "linked" as const, returnTo: flow.returnTo };
      }

      const { user, linkedBy } = await userForIdentity(ctx.db, provider, flow.account);
      ctx.audit.actor(user).target("user", user.id).detail({ linkedBy });
      if (user.twoFactorEnabled) {
        const challenge = await createTwoFactorChallenge(ctx.db, user.id, "identity");
        ctx.audit.detail({ twoFactorRequired: true });
        return {
          outcome: "twoFactorRequired" as const,
          challenge: challenge.token,
          expiresAt: challenge.expiresAt,
          returnTo: flow.returnTo,
        };
      }
      const session = await openSession(ctx, user, "cookie", "identity");
      return { outcome: "signedIn" as const, user: session.user, returnTo: flow.returnTo };
    }),

  /** The signed-in user's linked identities, with the provider's name (null when no longer configured). */
  list: sessionProcedure.query(async ({ ctx }) => {
    const providers = ctx.identityProviders ?? NONE;
    const identities = await listIdentities(ctx.db, ctx.user.id);
    return identities.map((identity) => ({
      ...identity,
      providerName: providers.get(identity.provider)?.name ?? null,
    }));
  }),

  unlink: sessionProcedure.input(z.object({ id: idInput })).mutation(async ({ ctx, input }) => {
    ctx.audit.target("user", ctx.user.id).detail({ identityId: input.id });
    const removed = await unlinkIdentity(ctx.db, ctx.user.id, input.id);
    ctx.audit.detail({ provider: removed.provider });
    return { unlinked: input.id };
  }),
} satisfies TRPCRouterRecord;
