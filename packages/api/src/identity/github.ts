import type { IdentityProviderConfig } from "@inkwell/config";
import * as client from "openid-client";
import { describe, isNetworkFailure } from "./oidc.ts";
import {
  type AuthorizationRequest,
  type ExpectedCallback,
  type IdentityProvider,
  IdentityProviderError,
  IdentityProviderUnreachable,
  type ProviderAccount,
} from "./provider.ts";

type GithubConfig = Extract<IdentityProviderConfig, { type: "github" }>;

interface GithubUser {
  id: number;
  login: string;
}
interface GithubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/**
 * GitHub's OAuth apps: OAuth 2.0 without ID tokens, so no nonce; the account
 * is read from the API with the access token (`GET /user`, and
 * `GET /user/emails` for the primary address and whether GitHub verified it).
 * The same openid-client calls as for OpenID Connect, on metadata written
 * here instead of discovered. `url` and `apiUrl` point elsewhere only for
 * GitHub Enterprise Server (and the tests' stand-in).
 */
export function githubProvider(config: GithubConfig): IdentityProvider {
  const site = new URL(config.url);
  const api = new URL(config.apiUrl.endsWith("/") ? config.apiUrl : `${config.apiUrl}/`);
  const settings = new client.Configuration(
    {
      issuer: site.href,
      authorization_endpoint: new URL("/login/oauth/authorize", site).href,
      token_endpoint: new URL("/login/oauth/access_token", site).href,
    },
    config.clientId,
    config.clientSecret,
  );
  const loopback = (url: URL) => url.hostname === "localhost" || url.hostname === "127.0.0.1";
  if (site.protocol === "http:" && loopback(site)) client.allowInsecureRequests(settings);

  async function read<T>(accessToken: string, path: string): Promise<T> {
    const response = await client.fetchProtectedResource(
      settings,
      accessToken,
      new URL(path, api),
      "GET",
      undefined,
      new Headers({ accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" }),
    );
    if (!response.ok) throw new IdentityProviderError(`GitHub answered ${response.status} to GET ${path}`);
    return (await response.json()) as T;
  }

  return {
    id: config.id,
    name: config.name,
    type: "github",
    usesNonce: false,
    async authorizationUrl(request: AuthorizationRequest) {
      return client.buildAuthorizationUrl(settings, {
        redirect_uri: request.redirectUri,
        scope: "read:user user:email",
        state: request.state,
        code_challenge: request.codeChallenge,
        code_challenge_method: "S256",
        allow_signup: "false",
      });
    },
    async completeSignIn(callback: URL, expected: ExpectedCallback): Promise<ProviderAccount> {
      try {
        const tokens = await client.authorizationCodeGrant(settings, callback, {
          pkceCodeVerifier: expected.codeVerifier,
          expectedState: expected.state,
        });
        const user = await read<GithubUser>(tokens.access_token, "user");
        const emails = await read<GithubEmail[]>(tokens.access_token, "user/emails");
        if (typeof user.id !== "number" || !Array.isArray(emails)) {
          throw new IdentityProviderError("GitHub's /user or /user/emails answer is not what GitHub sends");
        }
        const primary = emails.find((entry) => entry.primary) ?? null;
        return {
          subject: String(user.id),
          email: primary?.email ?? null,
          emailVerified: primary?.verified === true,
          displayName: typeof user.login === "string" ? user.login.slice(0, 200) : null,
        };
      } catch (error) {
        if (error instanceof IdentityProviderError) throw error;
        if (isNetworkFailure(error)) {
          throw new IdentityProviderUnreachable(`GitHub at ${site.href} could not be reached`, { cause: error });
        }
        throw new IdentityProviderError(describe(error), { cause: error });
      }
    },
  };
}
