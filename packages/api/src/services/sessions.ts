import {
  effectivePermissions,
  generateSessionToken,
  parseSessionToken,
  type SignInMethod,
  secretMatches,
} from "@inkwell/auth";
import { and, desc, type Executor, eq, ne, type Placeholder, schema, sql } from "@inkwell/db";
import type { AuthUser, SessionPrincipal } from "../auth/principal.ts";
import type { AuthSettings } from "../auth/settings.ts";
import { NotFound } from "../errors.ts";
import { authUserColumns } from "./auth-user.ts";
import { preparedPerDatabase, runPrepared } from "./prepared.ts";
import { suspensionInForce } from "./suspensions.ts";

type SessionTimes = Pick<AuthSettings, "sessionIdleTimeoutMs" | "sessionMaxAgeMs" | "sessionRefreshIntervalMs">;

/** When a session ends if it is not used again: the earlier of idle timeout and absolute lifetime. */
export function sessionExpiresAt(
  session: { createdAt: Date; lastVerifiedAt: Date },
  settings: Pick<SessionTimes, "sessionIdleTimeoutMs" | "sessionMaxAgeMs">,
): Date {
  return new Date(
    Math.min(
      session.lastVerifiedAt.getTime() + settings.sessionIdleTimeoutMs,
      session.createdAt.getTime() + settings.sessionMaxAgeMs,
    ),
  );
}

export interface CreatedSession {
  token: string;
  id: string;
  expiresAt: Date;
}

export async function createSession(
  db: Executor,
  settings: SessionTimes,
  userId: number,
  client: { ip: string | null; userAgent: string | null },
  method: SignInMethod = "password",
): Promise<CreatedSession> {
  const { id, secretHash, token } = generateSessionToken();
  const now = new Date();
  await db.insert(schema.sessions).values({
    id,
    secretHash,
    userId,
    createdAt: now,
    lastVerifiedAt: now,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 512) ?? null,
    method,
  });
  // Every way of signing in ends here, so this is where "last sign-in" is kept; a sign-in is no edit of the
  // account, so `updated_at` keeps its value (naming it stops the column's automatic update).
  await db
    .update(schema.users)
    .set({ lastSignInAt: now, updatedAt: sql`${schema.users.updatedAt}` })
    .where(eq(schema.users.id, userId));
  return { token, id, expiresAt: sessionExpiresAt({ createdAt: now, lastVerifiedAt: now }, settings) };
}

/**
 * Resolves a session token to its user, or null when the token is malformed,
 * unknown, does not match, has expired or belongs to a suspended user.
 * Expired sessions are deleted; `lastVerifiedAt` is refreshed at most once per interval.
 */
const sessionWhere = (db: Executor, id: string | Placeholder<"id">) =>
  db
    .select({ session: schema.sessions, user: authUserColumns })
    .from(schema.sessions)
    .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
    .where(eq(schema.sessions.id, id))
    .limit(1);

// Every signed-in request looks its session up: a named prepared statement (see prepared.ts).
const sessionById = preparedPerDatabase((db) => sessionWhere(db, sql.placeholder("id")).prepare("session_by_id"));

export async function validateSessionToken(
  db: Executor,
  settings: SessionTimes,
  token: string,
): Promise<Omit<SessionPrincipal, "viaCookie"> | null> {
  const parsed = parseSessionToken(token);
  if (!parsed) return null;

  const prepared = sessionById(db);
  const [row] = prepared
    ? await prepared.execute({ id: parsed.id })
    : await runPrepared(sessionWhere(db, parsed.id), "session_by_id");
  if (!row || !secretMatches(parsed.secret, row.session.secretHash)) return null;

  const now = Date.now();
  const { session } = row;
  if (now >= sessionExpiresAt(session, settings).getTime()) {
    await db.delete(schema.sessions).where(eq(schema.sessions.id, session.id));
    return null;
  }
  if (suspensionInForce(row.user, now)) return null;

  let lastVerifiedAt = session.lastVerifiedAt;
  if (now - lastVerifiedAt.getTime() >= settings.sessionRefreshIntervalMs) {
    lastVerifiedAt = new Date(now);
    await db.update(schema.sessions).set({ lastVerifiedAt }).where(eq(schema.sessions.id, session.id));
  }

  // A passkey is two factors by itself (the authenticator, and the PIN or biometric it checked):
  // a session opened with one meets a role's two-factor requirement without TOTP.
  const user: AuthUser = session.method === "passkey" ? { ...row.user, signedInWithPasskey: true } : row.user;
  return {
    kind: "session",
    user,
    permissions: effectivePermissions(user),
    session: {
      id: session.id,
      createdAt: session.createdAt,
      lastVerifiedAt,
      expiresAt: sessionExpiresAt({ createdAt: session.createdAt, lastVerifiedAt }, settings),
      method: session.method,
    },
  };
}

export async function deleteSession(db: Executor, sessionId: string): Promise<void> {
  await db.delete(schema.sessions).where(eq(schema.sessions.id, sessionId));
}

/**
 * Ends one of `userId`'s sessions; NotFound (with `notFoundMessage`) when
 * they have no such session: another user's session looks the same.
 */
export async function revokeUserSession(
  db: Executor,
  userId: number,
  sessionId: string,
  notFoundMessage = "No such session of yours.",
): Promise<void> {
  const deleted = await db
    .delete(schema.sessions)
    .where(and(eq(schema.sessions.id, sessionId), eq(schema.sessions.userId, userId)))
    .returning({ id: schema.sessions.id });
  if (deleted.length === 0) throw new NotFound("session", notFoundMessage);
}

/** Ends a user's sessions, all or all but one; returns how many ended. */
export async function deleteUserSessions(db: Executor, userId: number, exceptSessionId?: string): Promise<number> {
  const condition = exceptSessionId
    ? and(eq(schema.sessions.userId, userId), ne(schema.sessions.id, exceptSessionId))
    : eq(schema.sessions.userId, userId);
  const deleted = await db.delete(schema.sessions).where(condition).returning({ id: schema.sessions.id });
  return deleted.length;
}

/** A user's sessions for display: no secret hash ever leaves this function. */
export async function listUserSessions(db: Executor, settings: SessionTimes, userId: number) {
  const rows = await db
    .select({
      id: schema.sessions.id,
      createdAt: schema.sessions.createdAt,
      lastVerifiedAt: schema.sessions.lastVerifiedAt,
      ip: schema.sessions.ip,
      userAgent: schema.sessions.userAgent,
      method: schema.sessions.method,
    })
    .from(schema.sessions)
    .where(eq(schema.sessions.userId, userId))
    .orderBy(desc(schema.sessions.lastVerifiedAt));
  const now = Date.now();
  return rows
    .map((row) => ({ ...row, expiresAt: sessionExpiresAt(row, settings) }))
    .filter((row) => row.expiresAt.getTime() > now);
}
