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
