import { and, type Executor, eq, ne, schema, sql } from "@inkwell/db";
import type { AuthSettings } from "../auth/settings.ts";
import type { LinkBuilder } from "../email/links.ts";
import { emailChangeNotice } from "../email/templates/email-change-notice.ts";
import { verifyEmailMessage } from "../email/templates/verify-email.ts";
import { Conflict, Invalid, NotFound, PreconditionFailed } from "../errors.ts";
import { reserveAccountEmail } from "./account-email-throttle.ts";
import { consumeAccountToken, deleteAccountTokens, issueAccountToken, TOKEN_INVALID } from "./account-tokens.ts";
import { queueEmail } from "./email-outbox.ts";

const { users } = schema;

interface Addressee {
  id: number;
  email: string;
  username: string;
}

/** Emails `user` a link proving they read mail at their address (sign-up, or asked again), in `db`'s transaction. */
export async function sendVerificationEmail(db: Executor, links: LinkBuilder, user: Addressee): Promise<void> {
  const token = await issueAccountToken(db, user.id, "verify_email", user.email);
  await queueEmail(db, verifyEmailMessage(links, { to: user.email, username: user.username, token, change: false }));
}

/** Another verification link, throttled like every email a person can ask for; refused once verified. */
export async function resendVerification(
  db: Executor,
  attempts: Executor,
  settings: Pick<AuthSettings, "accountEmailThrottle">,
  links: LinkBuilder,
  user: Addressee & { emailVerifiedAt: Date | null },
  ip: string | null,
): Promise<{ sentTo: string }> {
  if (user.emailVerifiedAt) throw new PreconditionFailed("Your email address is verified already.");
  await reserveAccountEmail(attempts, settings, "verify", String(user.id), ip);
  await sendVerificationEmail(db, links, user);
  return { sentTo: user.email };
}

/**
 * Starts moving `user` to `newEmail`: a link to the new address (the change
 * happens when it is opened) and a notice to the current one, which stays
 * until then. Throttled with the verification emails of the account.
 */
export async function requestEmailChange(
  db: Executor,
  attempts: Executor,
  settings: Pick<AuthSettings, "accountEmailThrottle">,
  links: LinkBuilder,
  user: Addressee,
  newEmail: string,
  ip: string | null,
): Promise<{ pendingEmail: string }> {
  const [taken] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, newEmail.toLowerCase()), ne(users.id, user.id)));
  if (taken) throw new Conflict("This email is already registered.", "email");
  await reserveAccountEmail(attempts, settings, "verify", String(user.id), ip);
  const token = await issueAccountToken(db, user.id, "change_email", newEmail);
  await queueEmail(db, verifyEmailMessage(links, { to: newEmail, username: user.username, token, change: true }));
  await queueEmail(db, emailChangeNotice(links, { to: user.email, username: user.username, newEmail }));
  return { pendingEmail: newEmail };
}

export interface VerifiedEmail {
  userId: number;
  username: string;
  email: string;
  /** The link confirmed a new address, which is now the account's. */
  changed: boolean;
}

/**
 * Opens a link of `sendVerificationEmail` or `requestEmailChange`: the
 * address is verified, and an email change takes effect. The token is used up;
 * the account's other links (verification, change, password reset, all sent
 * for the old state) stop working.
 */
export async function verifyEmail(db: Executor, token: string): Promise<VerifiedEmail> {
  const used = await consumeAccountToken(db, token, ["verify_email", "change_email"]);
  if (!used?.email) throw new Invalid(TOKEN_INVALID, "token");
  const [user] = await db
    .select({ email: users.email, username: users.username })
    .from(users)
    .where(eq(users.id, used.userId))
    .for("update");
  if (!user) throw new NotFound("user", "This account no longer exists.");
  const changed = used.purpose === "change_email";
  if (!changed && user.email.toLowerCase() !== used.email.toLowerCase()) {
    throw new Invalid("This link was sent to an address your account no longer uses.", "token");
  }
  // A change to an address someone registered since is refused by the unique index (CONFLICT).
  await db.update(users).set({ email: used.email, emailVerifiedAt: sql`now()` }).where(eq(users.id, used.userId));
  if (changed) await deleteAccountTokens(db, used.userId, ["verify_email", "change_email", "reset_password"]);
  return { userId: used.userId, username: user.username, email: used.email, changed };
}
