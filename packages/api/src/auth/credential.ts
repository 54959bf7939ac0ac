import { readSessionCookie } from "./cookies.ts";

/**
 * The one credential a request carries, decided from its headers alone, so
 * that authentication, the origin check and rate limits all key on the same
 * thing. A present `Authorization` header wins even when empty or malformed:
 * the request then carries that (unusable) credential and never the cookie.
 */
export type PresentedCredential =
  /** `Authorization: Bearer <token>` (or `Token <token>`), or a subscription's `token` parameter. */
  | { source: "header"; token: string }
  /** An `Authorization` header that holds no usable credential. */
  | { source: "header"; token: null; problem: string }
  /** The session cookie, on transports that use cookies. */
  | { source: "cookie"; token: string }
  | { source: "none" };

const AUTHORIZATION = /^(?:Bearer|Token)[ \t]+([!-~]+)$/i;

export const MALFORMED_AUTHORIZATION = "The Authorization header must be `Bearer <token>` (or `Token <token>`).";

export function presentedCredential(
  headers: Headers,
  options: {
    /** False on the REST facade, which never reads nor sets cookies. */
    cookies: boolean;
    /** A subscription's connection parameter (EventSource cannot send headers). */
    connectionToken?: string | null;
  },
): PresentedCredential {
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const token = AUTHORIZATION.exec(authorization.trim())?.[1];
    return token ? { source: "header", token } : { source: "header", token: null, problem: MALFORMED_AUTHORIZATION };
  }
  if (options.connectionToken) return { source: "header", token: options.connectionToken };
  if (!options.cookies) return { source: "none" };
  const cookie = readSessionCookie(headers);
  return cookie ? { source: "cookie", token: cookie } : { source: "none" };
}
