import { isApiKey } from "@inkwell/auth";
import type { Database, Executor, ReadReplicas, SqlClient } from "@inkwell/db";
import {
  clearedIdentityFlowCookie,
  clearedSessionCookie,
  identityFlowCookie,
  readIdentityFlowCookie,
  sessionCookie,
} from "./auth/cookies.ts";
import { type PresentedCredential, presentedCredential } from "./auth/credential.ts";
import type { Principal } from "./auth/principal.ts";
import type { AuthSettings } from "./auth/settings.ts";
import type { LinkBuilder } from "./email/links.ts";
import type { IdentityProviders } from "./identity/registry.ts";
import { AuditScope } from "./middleware/audit-scope.ts";
import type { EventHub } from "./realtime/event-hub.ts";
import { type ReadRouting, readRouting } from "./replicas/read-routing.ts";
import { validateApiKey } from "./services/api-keys.ts";
import type { AuditEventView } from "./services/audit-event-view.ts";
import { validateSessionToken } from "./services/sessions.ts";

/** Where procedures report what the client is not told (pino's method shape). */
export interface ApiLogger {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** Long-lived dependencies, built once by the server and shared by every request. */
export interface ApiDeps {
  db: Database;
  /** The postgres.js pool under `db`, for health checks. */
  sql: SqlClient;
  version: string;
  authSettings: AuthSettings;
  /**
   * A small pool of its own (two connections are plenty) for the few writes
   * that must commit on their own even when the mutation around them fails:
   * sign-in and code attempt counters, and the attempts of a two-factor
   * challenge. Separate so that a mutation holding a connection of `db`
   * never waits for another one from the same pool.
   */
  counters: Database;
  /**
   * The AES-256-GCM key TOTP secrets are sealed with (`ENCRYPTION_KEY`, or
   * the one generated beside the embedded database). Without it two-factor
   * enrolment is refused and TOTP codes cannot be checked.
   */
  encryptionKey?: Uint8Array | null;
  logger: ApiLogger;
  /** Absolute links on the public URL, for emails. */
  links: LinkBuilder;
  /**
   * The public URL (`PUBLIC_URL`) when set: identity providers return to it,
   * and passkeys belong to its host. Unset: the origin the request came to.
   */
  publicUrl?: string;
  /** Identity providers by id (`OAUTH_PROVIDERS`); none when left out. */
  identityProviders?: IdentityProviders;
  /**
   * Every audit event written by any server process, as it happens, for
   * live streams. Scripts and benchmarks that serve no streams leave it out.
   */
  events?: EventHub<AuditEventView>;
  /**
   * Streaming replicas (`DATABASE_REPLICA_URLS`) that queries read from, each caller seeing their own writes
   * (decision 014). Left out: everything reads from `db`, as before.
   */
  replicas?: ReadReplicas;
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
  /**
   * Whether this transport reads and sets the session cookie: true for /trpc
   * (the admin console), false for the REST facade, where only tokens in
   * headers count and cross-site requests are no CSRF risk.
   */
  usesCookies: boolean;
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

async function resolvePrincipal(
  deps: ApiDeps,
  credential: PresentedCredential,
  resHeaders: Headers,
  secureCookie: boolean,
): Promise<{ principal: Principal | null; credentialProblem: string | null }> {
  switch (credential.source) {
    case "none":
      return { principal: null, credentialProblem: null };
    case "header": {
      if (credential.token === null) return { principal: null, credentialProblem: credential.problem };
      const { token } = credential;
      const principal = isApiKey(token)
        ? await validateApiKey(deps.db, token)
        : await validateSessionToken(deps.db, deps.authSettings, token).then((p) => p && { ...p, viaCookie: false });
      return principal
        ? { principal, credentialProblem: null }
        : { principal: null, credentialProblem: "Your token is invalid, expired or revoked. Sign in again." };
    }
    case "cookie": {
      const session = await validateSessionToken(deps.db, deps.authSettings, credential.token);
      if (!session) {
        // Drop a dead cookie so the browser stops sending it.
        resHeaders.append("Set-Cookie", clearedSessionCookie(secureCookie));
        return { principal: null, credentialProblem: "Your session has expired or was ended. Sign in again." };
      }
      return { principal: { ...session, viaCookie: true }, credentialProblem: null };
    }
  }
}

/**
 * The session cookie this request's answer sets or clears (the /trpc transport), and the identity provider flow's
 * state cookie. A class rather than closures: a context is built for every call.
 */
class ContextCookies {
  /** The state of this browser's sign-in at an identity provider, if one is in progress. */
  readonly identityFlowState: string | undefined;

  constructor(
    private readonly resHeaders: Headers,
    private readonly secure: boolean,
    meta: RequestMeta,
  ) {
    this.identityFlowState = meta.usesCookies ? readIdentityFlowCookie(meta.headers) : undefined;
  }

  setSession(token: string, expiresAt: Date) {
    this.resHeaders.append("Set-Cookie", sessionCookie(token, expiresAt, this.secure));
  }
  clearSession() {
    this.resHeaders.append("Set-Cookie", clearedSessionCookie(this.secure));
  }
  setIdentityFlow(state: string, expiresAt: Date) {
    this.resHeaders.append("Set-Cookie", identityFlowCookie(state, expiresAt, this.secure));
  }
  clearIdentityFlow() {
    this.resHeaders.append("Set-Cookie", clearedIdentityFlowCookie(this.secure));
  }
}

export async function createContext({ deps, meta, resHeaders, connectionParams }: CreateContextOptions) {
  const { cookieSecure } = deps.authSettings;
  const secureCookie = cookieSecure === "auto" ? meta.secure : cookieSecure;
  const credential = presentedCredential(meta.headers, {
    cookies: meta.usesCookies,
    connectionToken: connectionParams?.token,
  });
  // Always on the primary (`deps.db`): a session just opened must be found, and refreshing one is a write.
  const { principal, credentialProblem } = await resolvePrincipal(deps, credential, resHeaders, secureCookie);
  // Every field of `deps` is named rather than spread: on Node 20, properties added to an object literal after a
  // spread take V8's slow path, about 6 µs for this one, a twentieth of a cheap read (BENCHMARKS.md, finding 14).
  // `satisfies` below fails to compile when a field of `ApiDeps` is left out.
  return {
    /**
     * The pool; inside a mutation, the mutation's transaction (see the audit middleware); in a query, a
     * replica when there are some (see the read-routing middleware).
     */
    db: deps.db as Executor,
    sql: deps.sql,
    version: deps.version,
    authSettings: deps.authSettings,
    counters: deps.counters,
    encryptionKey: deps.encryptionKey,
    logger: deps.logger,
    links: deps.links,
    publicUrl: deps.publicUrl,
    identityProviders: deps.identityProviders,
    events: deps.events,
    replicas: deps.replicas,
    /** Where queries read and what mutations leave for the next read; null without replicas. */
    readRouting: deps.replicas
      ? readRouting({
          replicas: deps.replicas,
          headers: meta.headers,
          usesCookies: meta.usesCookies,
          principal,
          resHeaders,
          secureCookie,
        })
      : (null as ReadRouting | null),
    meta,
    principal,
    /** Where the caller's credential came from: the origin check applies to cookies only. */
    credentialSource: credential.source,
    /** Why the presented credential was refused, for a precise UNAUTHORIZED message. */
    credentialProblem,
    /**
     * The caller as the same credential resolves now: long-lived streams ask
     * again to notice a session ended or a key revoked since they opened.
     */
    reauthenticate: async (): Promise<Principal | null> =>
      (await resolvePrincipal(deps, credential, new Headers(), secureCookie)).principal,
    cookies: new ContextCookies(resHeaders, secureCookie, meta),
    /** Replaced per mutation by the audit middleware; queries are not audited. */
    audit: new AuditScope(),
  } satisfies Record<keyof ApiDeps, unknown> & Record<string, unknown>;
}

export type Context = Awaited<ReturnType<typeof createContext>>;
