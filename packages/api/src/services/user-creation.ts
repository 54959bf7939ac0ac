import { randomBytes } from "node:crypto";
import { hashPassword, type Role } from "@inkwell/auth";
import { type Executor, eq, schema } from "@inkwell/db";
import type { AuthSettings } from "../auth/settings.ts";
import type { LinkBuilder } from "../email/links.ts";
import { invitationMessage } from "../email/templates/invitation.ts";
import { NotFound, PreconditionFailed } from "../errors.ts";
import { issueAccountToken } from "./account-tokens.ts";
import { newPasswordHash } from "./accounts.ts";
import { queueEmail } from "./email-outbox.ts";
import { emitWebhookEvent } from "./webhook-events.ts";

const { users } = schema;

export interface NewUserByOperator {
  username: string;
  email: string;
  role: Role;
  /**
   * The first password, chosen by the operator; without one the person is
   * invited: a link to choose it goes to `email` (through the outbox).
   */
  password?: string | undefined;
}

/**
 * An operator creates an account, with a password or by invitation, and its
 * `user.created` event, in one transaction. An invited account's password is
 * random and known to nobody until the invitation's link (`invite` token, 7
 * days, once) sets one. A taken username or email, in any case, is a Conflict
 * on that field (the unique indexes on lower(…) decide, so two requests at once cannot both win).
 */
export async function createUserByOperator(
  db: Executor,
  settings: AuthSettings,
  links: LinkBuilder,
  input: NewUserByOperator,
  invitedBy: { username: string },
) {
  const password =
    input.password === undefined
      ? { passwordHash: await hashPassword(randomBytes(32).toString("base64url"), settings.passwordPolicy) }
      : await newPasswordHash(input.password, input.role, settings);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        username: input.username,
        email: input.email,
        role: input.role,
        ...password,
        invitedAt: input.password === undefined ? new Date() : null,
      })
      .returning({
        id: users.id,
        username: users.username,
        email: users.email,
        role: users.role,
        status: users.status,
        createdAt: users.createdAt,
      });
    if (!user) throw new Error("insert returned no row");
    await emitWebhookEvent(tx, "user.created", {
      user: { id: user.id, username: user.username, email: user.email, createdAt: user.createdAt.toISOString() },
    });
    const invited = input.password === undefined;
    if (invited) {
      const token = await issueAccountToken(tx, user.id, "invite", user.email);
      await queueEmail(
        tx,
        invitationMessage(links, { to: user.email, username: user.username, token, invitedBy: invitedBy.username }),
      );
    }
    return { id: user.id, username: user.username, email: user.email, role: user.role, status: user.status, invited };
  });
}

/**
 * Sends a new invitation to an invited user who has never signed in (the
 * first was lost, expired, or went to an address since corrected); the older
 * link stops working. PreconditionFailed for an account made with a password,
 * and once they have signed in.
 */
export async function resendInvitation(
  db: Executor,
  links: LinkBuilder,
  userId: number,
  invitedBy: { username: string },
) {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({
        username: users.username,
        email: users.email,
        invitedAt: users.invitedAt,
        lastSignInAt: users.lastSignInAt,
      })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!user) throw new NotFound("user", "No such user: it may have been deleted.");
    if (!user.invitedAt) {
      throw new PreconditionFailed(
        `${user.username} was not invited: they have a password (see Force password reset).`,
      );
    }
    if (user.lastSignInAt) {
      throw new PreconditionFailed(`${user.username} has signed in already: they have a password.`);
    }
    const token = await issueAccountToken(tx, userId, "invite", user.email);
    await queueEmail(
      tx,
      invitationMessage(links, { to: user.email, username: user.username, token, invitedBy: invitedBy.username }),
    );
    return { userId, username: user.username, email: user.email };
  });
}
