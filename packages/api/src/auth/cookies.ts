import { parseCookie, stringifySetCookie } from "cookie";

export const SESSION_COOKIE = "inkwell_session";

export function readSessionCookie(headers: Headers): string | undefined {
  const header = headers.get("cookie");
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return stringifySetCookie({
    name: SESSION_COOKIE,
    value: token,
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure,
    expires: expiresAt,
  });
}

export function clearedSessionCookie(secure: boolean): string {
  return stringifySetCookie({
    name: SESSION_COOKIE,
    value: "",
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure,
    maxAge: 0,
  });
}

/**
 * The `state` of a sign-in at an identity provider in progress: it ties the
 * provider's callback to the browser that started it (no login CSRF). Sent
 * only to /trpc, and only for the ten minutes the flow lives.
 */
export const IDENTITY_FLOW_COOKIE = "inkwell_identity_flow";

export function readIdentityFlowCookie(headers: Headers): string | undefined {
  const header = headers.get("cookie");
  return header ? parseCookie(header)[IDENTITY_FLOW_COOKIE] : undefined;
}

export function identityFlowCookie(state: string, expiresAt: Date, secure: boolean): string {
  return stringifySetCookie({
    name: IDENTITY_FLOW_COOKIE,
    value: state,
    httpOnly: true,
    // Lax: the provider sends the browser back with a top-level GET from its own site.
    sameSite: "lax",
    path: "/trpc",
    secure,
    expires: expiresAt,
  });
}

export function clearedIdentityFlowCookie(secure: boolean): string {
  return stringifySetCookie({
    name: IDENTITY_FLOW_COOKIE,
    value: "",
    httpOnly: true,
    sameSite: "lax",
    path: "/trpc",
    secure,
    maxAge: 0,
  });
}
