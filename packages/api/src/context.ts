import { isApiKey } from "@inkwell/auth";
import type { Database, SqlClient } from "@inkwell/db";
import { clearedSessionCookie, readSessionCookie, sessionCookie } from "./auth/cookies.ts";
import type { Principal } from "./auth/principal.ts";
import type { AuthSettings } from "./auth/settings.ts";
import { AuditScope } from "./middleware/audit.ts";
import type { EventHub } from "./realtime/event-hub.ts";
import { validateApiKey } from "./services/api-keys.ts";
import type { AuditEventView } from "./services/audit-log.ts";
import { validateSessionToken } from "./services/sessions.ts";

/** Long-lived dependencies, built once by the server and shared by every request. */
export interface ApiDeps {
  db: Database;
  /** The postgres.js pool under `db`, for health checks. */
  sql: SqlClient;
  version: string;
  authSettings: AuthSettings;
  /**
   * Every audit event written by any server process, as it happens, for
   * live streams. Scripts and benchmarks that serve no streams leave it out.
   */
  events?: EventHub<AuditEventView>;
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
  /**
   * tRPC connection parameters of a subscription: browsers' EventSource
   * cannot send an Authorization header, so `{ token }` carries a session
   * token or API key instead.
   */
  connectionParams?: Readonly<Record<string, string | undefined>> | null;
}

const AUTHORIZATION = /^(?:Bearer|Token)\s+(\S+)$/i;

/** The bearer credential of a request: the Authorization header, else a subscription's `token` parameter. */
function bearerCredential(
  meta: RequestMeta,
  connectionParams: CreateContextOptions["connectionParams"],
): { credential: string } | { problem: string } | null {
  const authorization = meta.headers.get("authorization");
  if (authorization) {
    const credential = AUTHORIZATION.exec(authorization.trim())?.[1];
    return credential ? { credential } : { problem: "The Authorization header must be `Bearer <token>`." };
  }
  const token = connectionParams?.token;
  return token ? { credential: token } : null;
}

async function resolvePrincipal(
  deps: ApiDeps,
  meta: RequestMeta,
  resHeaders: Headers,
  secureCookie: boolean,
  connectionParams: CreateContextOptions["connectionParams"],
): Promise<{ principal: Principal | null; credentialProblem: string | null }> {
  const bearer = bearerCredential(meta, connectionParams);
  if (bearer) {
    if ("problem" in bearer) return { principal: null, credentialProblem: bearer.problem };
    const { credential } = bearer;
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

export async function createContext({ deps, meta, resHeaders, connectionParams }: CreateContextOptions) {
  const { cookieSecure } = deps.authSettings;
  const secureCookie = cookieSecure === "auto" ? meta.secure : cookieSecure;
  const { principal, credentialProblem } = await resolvePrincipal(
    deps,
    meta,
    resHeaders,
    secureCookie,
    connectionParams,
  );
  return {
    ...deps,
    meta,
    principal,
    /** Why the presented credential was refused, for a precise UNAUTHORIZED message. */
    credentialProblem,
    /**
     * The caller as the same credential resolves now: long-lived streams ask
     * again to notice a session ended or a key revoked since they opened.
     */
    reauthenticate: async (): Promise<Principal | null> =>
      (await resolvePrincipal(deps, meta, new Headers(), secureCookie, connectionParams)).principal,
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
