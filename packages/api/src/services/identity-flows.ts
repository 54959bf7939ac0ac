import { hashSecret } from "@inkwell/auth";
import { and, type Executor, eq, gt, schema } from "@inkwell/db";
import * as oauth from "openid-client";
import { NotFound, Unauthorized, Unavailable } from "../errors.ts";
import {
  type IdentityProvider,
  IdentityProviderError,
  IdentityProviderUnreachable,
  type ProviderAccount,
} from "../identity/provider.ts";
import type { IdentityProviders } from "../identity/registry.ts";

const { oauthFlows } = schema;

/** How long a person may take at the provider before the callback is refused. */
export const FLOW_LIFETIME_MS = 10 * 60_000;

export const FLOW_INVALID =
  "This sign-in has expired, was already used or was started in another browser. Start again from the sign-in page.";
export const PROVIDER_REFUSED =
  "The identity provider's answer could not be accepted. Start again from the sign-in page.";

export function findProvider(providers: IdentityProviders, id: string): IdentityProvider {
  const provider = providers.get(id);
  if (!provider) throw new NotFound("identityProvider", `No identity provider "${id}" is configured here.`, "provider");
  return provider;
}

function unreachable(provider: IdentityProvider): Unavailable {
  return new Unavailable(`${provider.name} could not be reached. Try again in a minute.`);
}

export interface FlowStart {
  redirectUri: string;
  /** A path in the admin console to return to. */
  returnTo: string;
  /** Set when a signed-in user links an identity to their account. */
  link: { userId: number; sessionId: string } | null;
}

/**
 * Starts a sign-in (or link) at `provider`: a random state (the browser keeps
 * it in a cookie; we keep its SHA-256), a PKCE verifier and, for OpenID
 * Connect, a nonce, stored for ten minutes. Returns where to send the browser.
 */
export async function beginIdentityFlow(db: Executor, provider: IdentityProvider, start: FlowStart) {
  const state = oauth.randomState();
  const codeVerifier = oauth.randomPKCECodeVerifier();
  const nonce = provider.usesNonce ? oauth.randomNonce() : null;
  let authorizationUrl: URL;
  try {
    authorizationUrl = await provider.authorizationUrl({
      redirectUri: start.redirectUri,
      state,
      codeChallenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      nonce,
    });
  } catch (error) {
    if (error instanceof IdentityProviderUnreachable) throw unreachable(provider);
    throw error;
  }
  const expiresAt = new Date(Date.now() + FLOW_LIFETIME_MS);
  await db.insert(oauthFlows).values({
    stateHash: hashSecret(state),
    provider: provider.id,
    codeVerifier,
    nonce,
    redirectUri: start.redirectUri,
    returnTo: start.returnTo,
    userId: start.link?.userId ?? null,
    sessionId: start.link?.sessionId ?? null,
    expiresAt,
  });
  return { authorizationUrl: authorizationUrl.href, state, expiresAt };
}

/**
 * Takes the flow the browser's state cookie names, whatever happens next:
 * a callback is answered once. Pass the pool that commits on its own, so a
 * failed callback cannot roll the deletion back and be tried again.
 */
async function takeFlow(counters: Executor, providerId: string, state: string) {
  const [flow] = await counters
    .delete(oauthFlows)
    .where(
      and(
        eq(oauthFlows.stateHash, hashSecret(state)),
        eq(oauthFlows.provider, providerId),
        gt(oauthFlows.expiresAt, new Date()),
      ),
    )
    .returning();
  if (!flow) throw new Unauthorized(FLOW_INVALID);
  return flow;
}

export interface CompletedFlow {
  account: ProviderAccount;
  returnTo: string;
  link: { userId: number; sessionId: string } | null;
}

/**
 * Completes the flow: `callbackQuery` is the query string the provider sent
 * the browser back with; `cookieState` the state this browser was given. The
 * provider checks the rest (state in the callback, code with the PKCE
 * verifier, issuer, nonce, the ID token's signature).
 */
export async function completeIdentityFlow(
  counters: Executor,
  provider: IdentityProvider,
  cookieState: string | undefined,
  callbackQuery: string,
  onRefused: (detail: string) => void,
): Promise<CompletedFlow> {
  if (!cookieState) throw new Unauthorized(FLOW_INVALID);
  const flow = await takeFlow(counters, provider.id, cookieState);
  const callback = new URL(flow.redirectUri);
  callback.search = callbackQuery;
  try {
    const account = await provider.completeSignIn(callback, {
      state: cookieState,
      codeVerifier: flow.codeVerifier,
      nonce: flow.nonce,
    });
    const link =
      flow.userId !== null && flow.sessionId !== null ? { userId: flow.userId, sessionId: flow.sessionId } : null;
    return { account, returnTo: flow.returnTo, link };
  } catch (error) {
    if (error instanceof IdentityProviderUnreachable) throw unreachable(provider);
    if (error instanceof IdentityProviderError) {
      onRefused(error.detail);
      throw new Unauthorized(PROVIDER_REFUSED);
    }
    throw error;
  }
}
