import type { IdentityProviderConfig } from "@inkwell/config";
import * as client from "openid-client";
import {
  type AuthorizationRequest,
  type ExpectedCallback,
  type IdentityProvider,
  IdentityProviderError,
  IdentityProviderUnreachable,
  type ProviderAccount,
} from "./provider.ts";

type OidcConfig = Extract<IdentityProviderConfig, { type: "oidc" }>;

/** Plain HTTP is allowed only to this machine (development and tests); anything else must be HTTPS. */
function isLoopback(url: URL): boolean {
  return url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
}

/**
 * openid-client throws a `TypeError` when fetch fails, and a timeout or abort
 * as such; every other error is an answer that failed a check or an OAuth
 * error from the provider (a used code, a bad signature, a wrong nonce).
 */
/** What went wrong, with the underlying check's words (openid-client wraps oauth4webapi's errors). */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

export function isNetworkFailure(error: unknown): boolean {
  if (error instanceof TypeError) return true;
  const code = error instanceof client.ClientError ? error.code : undefined;
  return code === "OAUTH_TIMEOUT" || code === "OAUTH_ABORT";
}

/**
 * An OpenID Connect provider through openid-client: discovery on first use
 * (retried on the next sign-in when it fails), authorization code flow with
 * PKCE (S256), state and nonce checked, and the ID token's signature checked
 * against the provider's JWKS (`enableNonRepudiationChecks`; without it
 * openid-client trusts a token fetched over TLS from the token endpoint).
 */
export function oidcProvider(config: OidcConfig): IdentityProvider {
  const issuer = new URL(config.issuer);
  let discovered: Promise<client.Configuration> | null = null;

  function configuration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(issuer, config.clientId, config.clientSecret, undefined, {
        execute: [
          client.enableNonRepudiationChecks,
          ...(issuer.protocol === "http:" && isLoopback(issuer) ? [client.allowInsecureRequests] : []),
        ],
      })
      .catch((error: unknown) => {
        discovered = null;
        throw new IdentityProviderUnreachable(`discovery at ${issuer.href} failed`, { cause: error });
      });
    return discovered;
  }

  return {
    id: config.id,
    name: config.name,
    type: "oidc",
    usesNonce: true,
    async authorizationUrl(request: AuthorizationRequest) {
      return client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: request.redirectUri,
        scope: "openid email profile",
        state: request.state,
        code_challenge: request.codeChallenge,
        code_challenge_method: "S256",
        ...(request.nonce ? { nonce: request.nonce } : {}),
      });
    },
    async completeSignIn(callback: URL, expected: ExpectedCallback): Promise<ProviderAccount> {
      const settings = await configuration();
      let claims: client.IDToken | undefined;
      try {
        const tokens = await client.authorizationCodeGrant(settings, callback, {
          pkceCodeVerifier: expected.codeVerifier,
          expectedState: expected.state,
          expectedNonce: expected.nonce ?? undefined,
          idTokenExpected: true,
        });
        claims = tokens.claims();
      } catch (error) {
        if (isNetworkFailure(error)) {
          throw new IdentityProviderUnreachable(`token exchange at ${issuer.href} failed`, { cause: error });
        }
        throw new IdentityProviderError(describe(error), { cause: error });
      }
      if (!claims) throw new IdentityProviderError("no ID token in the token response");
      const email = typeof claims.email === "string" ? claims.email : null;
      const displayName =
        typeof claims.preferred_username === "string"
          ? claims.preferred_username
          : typeof claims.name === "string"
            ? claims.name
            : null;
      return {
        subject: claims.sub,
        email,
        // Only a literal true counts: some providers send "true" as text, or leave it out.
        emailVerified: email !== null && claims.email_verified === true,
        displayName: displayName?.slice(0, 200) ?? null,
      };
    },
  };
}
