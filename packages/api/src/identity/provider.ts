/**
 * An identity provider as sign-in sees it, whatever protocol it speaks: it
 * builds the address to send the browser to, and turns the browser's return
 * (the callback URL) into the account that signed in there. OpenID Connect
 * providers (`oidc.ts`) and GitHub (`github.ts`) implement it; the flow
 * (`services/identity-flows.ts`) does the rest the same way for both.
 */
export interface IdentityProvider {
  id: string;
  name: string;
  type: "oidc" | "github";
  /** Whether the provider issues ID tokens, so a nonce is sent and checked. */
  usesNonce: boolean;
  authorizationUrl(request: AuthorizationRequest): Promise<URL>;
  /**
   * Checks the callback (state, issuer, errors), redeems the code with the
   * PKCE verifier and returns the account; throws `IdentityProviderError`
   * when the provider refuses or any check fails.
   */
  completeSignIn(callback: URL, expected: ExpectedCallback): Promise<ProviderAccount>;
}

export interface AuthorizationRequest {
  redirectUri: string;
  state: string;
  codeChallenge: string;
  nonce: string | null;
}

export interface ExpectedCallback {
  state: string;
  codeVerifier: string;
  nonce: string | null;
}

/** The account at the provider, as the provider vouches for it. */
export interface ProviderAccount {
  /** The provider's stable id of the account (`sub`, GitHub's numeric id); never an email. */
  subject: string;
  email: string | null;
  /** The provider says the account owns `email`. */
  emailVerified: boolean;
  displayName: string | null;
}

/**
 * The provider refused, or its answer failed a check (state, nonce, issuer,
 * signature, a used code). `detail` is for the log; people are told only
 * that the sign-in did not complete.
 */
export class IdentityProviderError extends Error {
  constructor(
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
    this.name = "IdentityProviderError";
  }
}

/** The provider could not be reached (discovery, token endpoint, JWKS). */
export class IdentityProviderUnreachable extends Error {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(detail, options);
    this.name = "IdentityProviderUnreachable";
  }
}
