import { hashPassword, needsRehash, verifyPassword } from "@inkwell/auth";
import { type Executor, eq, schema, sql } from "@inkwell/db";
import { TRPCError } from "@trpc/server";
import type { AuthUser } from "../auth/principal.ts";
import type { AuthSettings } from "../auth/settings.ts";
import { fieldError, tooManyRequests } from "../errors.ts";
import { blockedForMs, recordFailure, resetCounter } from "./throttle.ts";

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export const INVALID_CREDENTIALS = "Email or password is incorrect.";

// Verified against when the email is unknown, so both failures take the same time.
let dummyHash: Promise<string> | undefined;
function dummyPasswordHash(settings: AuthSettings): Promise<string> {
  dummyHash ??= hashPassword("inkwell-dummy-password", settings.passwordPolicy);
  return dummyHash;
}

function throttleKeys(email: string, ip: string | null) {
  return { account: `signin:account:${email.toLowerCase()}`, ip: ip ? `signin:ip:${ip}` : null };
}

/**
 * Checks email and password. Unknown email and wrong password fail alike, in
 * comparable time; failures count per account and per address, and past the
 * free ones the caller must wait (TOO_MANY_REQUESTS with when to retry).
 */
export async function verifyCredentials(
  db: Executor,
  settings: AuthSettings,
  input: { email: string; password: string },
  client: ClientInfo,
  onUserFound: (userId: number) => void,
): Promise<AuthUser> {
  const keys = throttleKeys(input.email, client.ip);
  const throttleKeyList = [keys.account, ...(keys.ip ? [keys.ip] : [])];
  const waitMs = await blockedForMs(db, throttleKeyList);
  if (waitMs > 0) {
    throw tooManyRequests(
      `Too many failed sign-in attempts. Try again in ${Math.ceil(waitMs / 1000)} seconds.`,
      waitMs,
    );
  }

  const [user] = await db
    .select()
    .from(schema.users)
    .where(eq(sql`lower(${schema.users.email})`, input.email.toLowerCase()))
    .limit(1);
  if (user) onUserFound(user.id);
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash(settings)), input.password);

  if (!user || !valid) {
    await recordFailure(db, keys.account, settings.signInThrottle.perAccount);
    if (keys.ip) await recordFailure(db, keys.ip, settings.signInThrottle.perIp);
    throw new TRPCError({ code: "UNAUTHORIZED", message: INVALID_CREDENTIALS });
  }
  if (user.status === "suspended") {
    throw new TRPCError({ code: "FORBIDDEN", message: "This account is suspended. Contact an administrator." });
  }

  await resetCounter(db, keys.account);
  if (needsRehash(user.passwordHash, settings.passwordPolicy)) {
    const passwordHash = await hashPassword(input.password, settings.passwordPolicy);
    await db.update(schema.users).set({ passwordHash }).where(eq(schema.users.id, user.id));
  }
  const { passwordHash: _hidden, ...rest } = user;
  return rest;
}

export async function createAccount(
  db: Executor,
  settings: AuthSettings,
  input: { email: string; username: string; password: string },
): Promise<AuthUser> {
  const passwordHash = await hashPassword(input.password, settings.passwordPolicy);
  const [user] = await db
    .insert(schema.users)
    .values({ ...input, passwordHash })
    .returning();
  if (!user) throw new Error("insert returned no row");
  const { passwordHash: _hidden, ...rest } = user;
  return rest;
}

export async function changePassword(
  db: Executor,
  settings: AuthSettings,
  userId: number,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const [user] = await db
    .select({ passwordHash: schema.users.passwordHash })
    .from(schema.users)
    .where(eq(schema.users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw fieldError("BAD_REQUEST", "currentPassword", "The current password is incorrect.");
  }
  const passwordHash = await hashPassword(input.newPassword, settings.passwordPolicy);
  await db.update(schema.users).set({ passwordHash }).where(eq(schema.users.id, userId));
}
