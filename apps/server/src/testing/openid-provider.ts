import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";

/** An account at the test provider: the claims its ID tokens carry. */
export interface TestIdentity {
  sub: string;
  email?: string;
  email_verified?: boolean;
  preferred_username?: string;
}

export const TEST_CLIENT = { clientId: "inkwell-test", clientSecret: "a test client secret that is long enough" };

export interface TestOpenIdProvider {
  issuer: string;
  /** The provider entry for `OAUTH_PROVIDERS`. */
  config(id: string, name?: string): Record<string, string>;
  /** Registers the test client with the addresses Inkwell sends the browser back to. */
  start(redirectUris: string[]): void;
  /** The account the next login at the provider signs in as (the provider asks no questions). */
  signInAs(identity: TestIdentity): void;
  close(): Promise<void>;
}

const privateJwk = () => generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });

/**
 * A real OpenID Connect provider (the `oidc-provider` package, the one
 * certified implementation in Node) on a port of its own, with one
 * confidential client, PKCE required and a login that completes at once as
 * the account `signInAs` chose (no consent page: the grant is made on the
 * spot, as providers do for first-party clients). With `publishForeignKeys`
 * it signs with one key and publishes another in its JWKS, as a forger
 * would look to a client that checks signatures.
 */
export async function startTestOpenIdProvider(
  options: { publishForeignKeys?: boolean } = {},
): Promise<TestOpenIdProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const foreignJwks = JSON.stringify({
    keys: [{ ...publicPart(privateJwk()), kid: "foreign", alg: "ES256", use: "sig" }],
  });
  const server = createServer((req, res) => {
    if (options.publishForeignKeys && req.url === "/jwks") {
      res.writeHead(200, { "content-type": "application/jwk-set+json" }).end(foreignJwks);
      return;
    }
    if (!handler) res.writeHead(503).end("not started");
    else handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let current: TestIdentity = { sub: "nobody" };
  const accounts = new Map<string, TestIdentity>();

  return {
    issuer,
    config: (id, name = "Test SSO") => ({ type: "oidc", id, name, issuer, ...TEST_CLIENT }),
    signInAs(identity) {
      current = identity;
      accounts.set(identity.sub, identity);
    },
    start(redirectUris) {
      const configuration: Configuration = {
        clients: [
          {
            client_id: TEST_CLIENT.clientId,
            client_secret: TEST_CLIENT.clientSecret,
            redirect_uris: redirectUris,
            grant_types: ["authorization_code"],
            response_types: ["code"],
            token_endpoint_auth_method: "client_secret_post",
            id_token_signed_response_alg: "ES256",
          },
        ],
        jwks: { keys: [{ ...privateJwk(), kid: "signing", alg: "ES256", use: "sig" }] },
        cookies: { keys: ["a test cookie key of the test provider"] },
        pkce: { required: () => true, methods: ["S256"] },
        claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["preferred_username"] },
        // The claims in the ID token itself (Inkwell reads only the ID token).
        conformIdTokenClaims: false,
        features: { devInteractions: { enabled: false } },
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
        findAccount: (_ctx, sub) => {
          const identity = accounts.get(sub);
          return identity ? { accountId: sub, claims: () => ({ ...identity }) } : undefined;
        },
        loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
          const accountId = ctx.oidc.session?.accountId;
          const clientId = ctx.oidc.client?.clientId;
          if (!accountId || !clientId) return undefined;
          const grant = new ctx.oidc.provider.Grant({ accountId, clientId });
          grant.addOIDCScope("openid email profile");
          await grant.save();
          return grant;
        },
        ttl: { Session: 60, Interaction: 600, Grant: 600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
      };
      const provider = new Provider(issuer, configuration);
      const callback = provider.callback();
      handler = (req, res) => {
        if (req.url?.startsWith("/interaction/")) {
          // Logs in as `current` straight away, then back to the authorization endpoint.
          provider
            .interactionFinished(req, res, { login: { accountId: current.sub } }, { mergeWithLastSubmission: false })
            .catch((error: unknown) => res.writeHead(500).end(String(error)));
          return;
        }
        callback(req, res);
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function publicPart(jwk: Record<string, unknown>) {
  const { d: _private, ...rest } = jwk;
  return rest;
}
