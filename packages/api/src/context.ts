import { isApiKey } from "@inkwell/auth";
import type { Database, SqlClient } from "@inkwell/db";
import { clearedSessionCookie, readSessionCookie, sessionCookie } from "./auth/cookies.ts";
import type { Principal } from "./auth/principal.ts";
import type { AuthSettings } from "./auth/settings.ts";
import { AuditScope } from "./middleware/audit.ts";
import { validateApiKey } from "./services/api-keys.ts";
import { validateSessionToken } from "./services/sessions.ts";

/** Long-lived dependencies, built once by the server and shared by every request. */
export interface ApiDeps {
  db: Database;
  /** The postgres.js pool under `db`, for health checks. */
  sql: SqlClient;
  version: string;
  authSettings: AuthSettings;
}

/** Facts about the HTTP request that procedures and the audit log need. */
export interface RequestMeta {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  headers: Headers;
  /** The server's own origin as the client addressed it, e.g. `https://inkwell.example.com`. */
  origin: string;
  /** True when the client connected over HTTPS (directly or through a trusted proxy). */
  secure: boolean;
}

export interface CreateContextOptions {
  deps: ApiDeps;
  meta: RequestMeta;
  /** Headers added to the HTTP response (Set-Cookie). */
  resHeaders: Headers;
}

const AUTHORIZATION = /^(?:Bearer|Token)\s+(\S+)$/i;

async function resolvePrincipal(
  deps: ApiDeps,
  meta: RequestMeta,
  resHeaders: Headers,
  secureCookie: boolean,
): Promise<{ principal: Principal | null; credentialProblem: string | null }> {
  const authorization = meta.headers.get("authorization");
  if (authorization) {
    const credential = AUTHORIZATION.exec(authorization.trim())?.[1];
    if (!credential) {
      return { principal: null, credentialProblem: "The Authorization header must be `Bearer <token>`." };
    }
    const principal = isApiKey(credential)
      ? await validateApiKey(deps.db, credential)
      : await validateSessionToken(deps.db, deps.authSettings, credential).then((p) => p && { ...p, viaCookie: false });
    return principal
      ? { principal, credentialProblem: null }
      : { principal: null, credentialProblem: "Your token is invalid, expired or revoked. Sign in again." };
  }

  const cookie = readSessionCookie(meta.headers);
  if (!cookie) return { principal: null, credentialProblem: null };
  const session = await validateSessionToken(deps.db, deps.authSettings, cookie);
  if (!session) {
    // Drop a dead cookie so the browser stops sending it.
    resHeaders.append("Set-Cookie", clearedSessionCookie(secureCookie));
    return { principal: null, credentialProblem: "Your session has expired or was ended. Sign in again." };
  }
  return { principal: { ...session, viaCookie: true }, credentialProblem: null };
}

export async function createContext({ deps, meta, resHeaders }: CreateContextOptions) {
  const { cookieSecure } = deps.authSettings;
  const secureCookie = cookieSecure === "auto" ? meta.secure : cookieSecure;
  const { principal, credentialProblem } = await resolvePrincipal(deps, meta, resHeaders, secureCookie);
  return {
    ...deps,
    meta,
    principal,
    /** Why the presented credential was refused, for a precise UNAUTHORIZED message. */
    credentialProblem,
    cookies: {
      setSession: (token: string, expiresAt: Date) =>
        resHeaders.append("Set-Cookie", sessionCookie(token, expiresAt, secureCookie)),
      clearSession: () => resHeaders.append("Set-Cookie", clearedSessionCookie(secureCookie)),
    },
    /** Replaced per mutation by the audit middleware; queries are not audited. */
    audit: new AuditScope(),
  };
}

export type Context = Awaited<ReturnType<typeof createContext>>;
