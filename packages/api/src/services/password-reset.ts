import { randomBytes } from "node:crypto";
import { hashPassword } from "@inkwell/auth";
import { type Database, type Executor, eq, schema, sql } from "@inkwell/db";
import type { AuthSettings } from "../auth/settings.ts";
import type { LinkBuilder } from "../email/links.ts";
import { passwordResetMessage } from "../email/templates/password-reset.ts";
import { Invalid, NotFound } from "../errors.ts";
import { reserveAccountEmail } from "./account-email-throttle.ts";
import {
  consumeAccountToken,
  deleteAccountTokens,
  findAccountToken,
  issueAccountToken,
  TOKEN_INVALID,
} from "./account-tokens.ts";
import { newPasswordHash } from "./accounts.ts";
import { queueEmail } from "./email-outbox.ts";
import { enqueueJob, JOB_PRIORITY } from "./jobs.ts";
import { deleteUserSessions } from "./sessions.ts";

const { users } = schema;

/**
 * Someone asks for a reset link for `email`. Whether an account has that
 * address is decided later, by the `accounts.sendPasswordReset` job: here
 * both cases do the same work (count the request, enqueue the job) and answer
 * the same, so neither the answer nor its timing tells whether the address is
 * registered.
 */
export async function requestPasswordReset(
  db: Executor,
  attempts: Executor,
  settings: Pick<AuthSettings, "accountEmailThrottle">,
  email: string,
  ip: string | null,
): Promise<void> {
  await reserveAccountEmail(attempts, settings, "reset", email.toLowerCase(), ip);
  await enqueueJob(db, "accounts.sendPasswordReset", { email }, { priority: JOB_PRIORITY.interactive });
}

/**
 * The job behind `requestPasswordReset`: emails a reset link to the active
 * account with this address, if there is one. Returns whether it did.
 */
export async function sendPasswordResetEmail(db: Database, links: LinkBuilder, email: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, email: users.email, username: users.username, status: users.status })
      .from(users)
      .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
    if (user?.status !== "active") return false;
    const token = await issueAccountToken(tx, user.id, "reset_password", null);
    await queueEmail(
      tx,
      passwordResetMessage(links, { to: user.email, username: user.username, token, forced: false }),
    );
    return true;
  });
}

/** The tokens whose link lets someone set a password: a reset link, or an invitation (the first password). */
const PASSWORD_TOKENS = ["reset_password", "invite"] as const;

/**
 * Sets a new password with a reset link's or an invitation's token: the
 * password rules apply as everywhere (breached passwords), the token is used
 * up, every session of the account ends, and the address is verified (the link reached it).
 */
export async function resetPassword(
  db: Executor,
  settings: AuthSettings,
  input: { token: string; password: string },
): Promise<{ userId: number; username: string; endedSessions: number }> {
  const found = await findAccountToken(db, input.token, PASSWORD_TOKENS);
  if (!found) throw new Invalid(TOKEN_INVALID, "token");
  const [user] = await db
    .select({ role: users.role, username: users.username })
    .from(users)
    .where(eq(users.id, found.userId));
  if (!user) throw new Invalid(TOKEN_INVALID, "token");
  const password = await newPasswordHash(input.password, user.role, settings);
  // Checked again as it is used: of two requests with one token, one sets the password.
  const used = await consumeAccountToken(db, input.token, PASSWORD_TOKENS);
  if (!used || used.userId !== found.userId) throw new Invalid(TOKEN_INVALID, "token");
  await db
    .update(users)
    .set({ ...password, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
    .where(eq(users.id, used.userId));
  await deleteAccountTokens(db, used.userId, PASSWORD_TOKENS);
  const endedSessions = await deleteUserSessions(db, used.userId);
  return { userId: used.userId, username: user.username, endedSessions };
}

/**
 * An operator requires a new password: the current one stops working (it is
 * replaced by a random one nobody knows), every session ends, and a reset
 * link goes to the account's address. API keys keep working, as with "sign out everywhere".
 */
export async function forcePasswordReset(db: Executor, settings: AuthSettings, links: LinkBuilder, userId: number) {
  const [user] = await db
    .select({ email: users.email, username: users.username })
    .from(users)
    .where(eq(users.id, userId))
    .for("update");
  if (!user) throw new NotFound("user", "No such user: it may have been deleted.");
  const unusable = await hashPassword(randomBytes(32).toString("base64url"), settings.passwordPolicy);
  await db.update(users).set({ passwordHash: unusable, passwordIsCommon: false }).where(eq(users.id, userId));
  const token = await issueAccountToken(db, userId, "reset_password", null);
  await queueEmail(db, passwordResetMessage(links, { to: user.email, username: user.username, token, forced: true }));
  const endedSessions = await deleteUserSessions(db, userId);
  return { userId, username: user.username, email: user.email, endedSessions };
}
