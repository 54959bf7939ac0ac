import { hashPassword, isCommonPassword, isOperatorRole, needsRehash, type Role, verifyPassword } from "@inkwell/auth";
import { type Executor, eq, getTableColumns, schema, sql } from "@inkwell/db";
import type { AuthUser } from "../auth/principal.ts";
import type { AuthSettings } from "../auth/settings.ts";
import { Invalid, TooManyRequests, Unauthorized } from "../errors.ts";
import { deleteAccountTokens } from "./account-tokens.ts";
import { findAuthUser, twoFactorFlagColumns } from "./auth-user.ts";
import { type CreatedSession, createSession, deleteUserSessions } from "./sessions.ts";
import { admitIfNotSuspended } from "./suspensions.ts";
import { releaseAttempt, reserveAttempts } from "./throttle.ts";
import { emitWebhookEvent } from "./webhook-events.ts";

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export const INVALID_CREDENTIALS = "Email or password is incorrect.";

// Verified against when the email is unknown, so both failures take the same time: one per policy,
// since the time is the policy's (a process running tests meets more than one).
const dummyHashes = new Map<string, Promise<string>>();
function dummyPasswordHash(settings: AuthSettings): Promise<string> {
  const { memoryCost, timeCost, parallelism } = settings.passwordPolicy;
  const key = `${memoryCost}/${timeCost}/${parallelism}`;
  let dummy = dummyHashes.get(key);
  if (!dummy) {
    dummy = hashPassword("inkwell-dummy-password", settings.passwordPolicy);
    dummyHashes.set(key, dummy);
  }
  return dummy;
}

function throttleKeys(settings: AuthSettings, email: string, ip: string | null) {
  const { perAccount, perIp } = settings.signInThrottle;
  return {
    account: { key: `signin:account:${email.toLowerCase()}`, policy: perAccount },
    ip: ip ? { key: `signin:ip:${ip}`, policy: perIp } : null,
  };
}

/**
 * Checks email and password. Unknown email and wrong password fail alike, in
 * comparable time. Each attempt is counted per account and per address before
 * the password is checked (see `throttle.ts`); past the free ones the caller
 * must wait (TOO_MANY_REQUESTS with when to retry). `attempts` must commit on
 * its own, outside the caller's transaction, so failed attempts stay counted.
 */
export async function verifyCredentials(
  db: Executor,
  attempts: Executor,
  settings: AuthSettings,
  input: { email: string; password: string },
  client: ClientInfo,
  onUserFound: (user: { id: number; username: string }) => void,
): Promise<AuthUser> {
  const keys = throttleKeys(settings, input.email, client.ip);
  const reservation = await reserveAttempts(attempts, keys.ip ? [keys.ip, keys.account] : [keys.account]);
  if (!reservation.allowed) {
    const seconds = Math.ceil(reservation.retryAfterMs / 1000);
    throw new TooManyRequests(
      `Too many failed sign-in attempts. Try again in ${seconds} seconds.`,
      reservation.retryAfterMs,
    );
  }

  const [user] = await db
    .select({ ...getTableColumns(schema.users), ...twoFactorFlagColumns })
    .from(schema.users)
    .where(eq(sql`lower(${schema.users.email})`, input.email.toLowerCase()))
    .limit(1);
  if (user) onUserFound(user);
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash(settings)), input.password);
  if (!user || !valid) throw new Unauthorized(INVALID_CREDENTIALS);

  // The right password gives its slots back (account and address); the failures stay counted until the window
  // ends. Forgetting them here would hand every attempt of a burst still in flight (a tRPC batch, parallel
  // requests at the moment the owner signs in) a fresh set of free attempts.
  await releaseAttempt(attempts, keys.account.key);
  if (keys.ip) await releaseAttempt(attempts, keys.ip.key);
  const admitted = await admitIfNotSuspended(db, user);
  // The plain password is at hand only now: note whether it is breached (an operator then acts as a plain user).
  const passwordIsCommon = isCommonPassword(input.password);
  const rehash = needsRehash(user.passwordHash, settings.passwordPolicy);
  if (rehash || passwordIsCommon !== user.passwordIsCommon) {
    const passwordHash = rehash ? await hashPassword(input.password, settings.passwordPolicy) : undefined;
    await db.update(schema.users).set({ passwordHash, passwordIsCommon }).where(eq(schema.users.id, user.id));
  }
  return { ...withoutPasswordHash(admitted), passwordIsCommon };
}

export const BREACHED_PASSWORD = "This password appears in lists of breached passwords. Choose another.";

/**
 * Hashes a password someone is setting. A password on the breached list is
 * refused for operators, and for everyone when `rejectBreachedPasswords` is
 * on; otherwise it is kept, flagged.
 */
export async function newPasswordHash(
  password: string,
  role: Role,
  settings: AuthSettings,
  field = "password",
): Promise<{ passwordHash: string; passwordIsCommon: boolean }> {
  const passwordIsCommon = isCommonPassword(password);
  if (passwordIsCommon && (isOperatorRole(role) || settings.rejectBreachedPasswords)) {
    throw new Invalid(BREACHED_PASSWORD, field);
  }
  return { passwordHash: await hashPassword(password, settings.passwordPolicy), passwordIsCommon };
}

function withoutPasswordHash<T extends { passwordHash: string }>(user: T): Omit<T, "passwordHash"> {
  const { passwordHash: _hidden, ...rest } = user;
  return rest;
}

/** Creates a plain user account and its first session, with its `user.created` event, in one transaction. */
export async function createAccount(
  db: Executor,
  settings: AuthSettings,
  input: { email: string; username: string; password: string },
  client: ClientInfo,
): Promise<{ user: AuthUser; session: CreatedSession }> {
  const password = await newPasswordHash(input.password, "user", settings);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(schema.users)
      .values({ email: input.email, username: input.username, ...password })
      .returning({ id: schema.users.id });
    const created = user && (await findAuthUser(tx, user.id));
    if (!created) throw new Error("insert returned no row");
    await emitWebhookEvent(tx, "user.created", {
      user: {
        id: created.id,
        username: created.username,
        email: created.email,
        createdAt: created.createdAt.toISOString(),
      },
    });
    return { user: created, session: await createSession(tx, settings, created.id, client) };
  });
}

/**
 * Changes a user's password after checking the current one, and ends their
 * other sessions than `keepSessionId` and their reset links, in one
 * transaction; returns how many sessions ended.
 */
export async function changePassword(
  db: Executor,
  settings: AuthSettings,
  userId: number,
  input: { currentPassword: string; newPassword: string },
  keepSessionId: string,
): Promise<number> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ passwordHash: schema.users.passwordHash, role: schema.users.role })
      .from(schema.users)
      .where(eq(schema.users.id, userId));
    if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
      throw new Invalid("The current password is incorrect.", "currentPassword");
    }
    const password = await newPasswordHash(input.newPassword, user.role, settings, "newPassword");
    await tx.update(schema.users).set(password).where(eq(schema.users.id, userId));
    // A reset link asked for earlier must not undo the new password.
    await deleteAccountTokens(tx, userId, ["reset_password"]);
    return deleteUserSessions(tx, userId, keepSessionId);
  });
}

export interface AccountChanges {
  email?: string;
  username?: string;
  bio?: string | null;
  image?: string | null;
  /** Email me when someone comments on my articles. */
  notifyOnComment?: boolean;
  /** A new password, set without the current one: the caller has checked that they may. */
  password?: string;
}

/**
 * Edits a user's own account; omitted fields stay as they are. A new
 * password ends the user's sessions but `keepSessionId` (every one when it is
 * undefined), in the same transaction. Returns the user as they are now, and
 * how many sessions ended (null when the password stayed).
 */
export async function updateAccount(
  db: Executor,
  settings: AuthSettings,
  user: AuthUser,
  changes: AccountChanges,
  keepSessionId: string | undefined,
): Promise<{ user: AuthUser; endedSessions: number | null }> {
  const { password, ...fields } = changes;
  const columns = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  if (Object.keys(columns).length === 0 && password === undefined) return { user, endedSessions: null };
  const newPassword = password === undefined ? undefined : await newPasswordHash(password, user.role, settings);
  return db.transaction(async (tx) => {
    // A new address is unproven: identity providers must not link to it by email until it is verified again.
    const emailChanged = changes.email !== undefined && changes.email.toLowerCase() !== user.email.toLowerCase();
    const [updated] = await tx
      .update(schema.users)
      .set({ ...columns, ...newPassword, ...(emailChanged ? { emailVerifiedAt: null } : {}) })
      .where(eq(schema.users.id, user.id))
      .returning();
    if (newPassword) await deleteAccountTokens(tx, user.id, ["reset_password"]);
    const endedSessions = newPassword ? await deleteUserSessions(tx, user.id, keepSessionId) : null;
    // Two-factor standing does not change with the profile: it is carried over.
    return { user: updated ? { ...user, ...withoutPasswordHash(updated) } : user, endedSessions };
  });
}
