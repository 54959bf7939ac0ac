import { and, asc, type Executor, eq, isNotNull, schema, sql } from "@inkwell/db";
import type { AuthUser } from "../auth/principal.ts";
import { Conflict, NotFound, Unauthorized } from "../errors.ts";
import type { IdentityProvider, ProviderAccount } from "../identity/provider.ts";
import { findAuthUser } from "./auth-user.ts";
import { admitIfNotSuspended } from "./suspensions.ts";

const { userIdentities, users } = schema;

/** What the provider told us this time, kept for the account page. */
function seen(account: ProviderAccount) {
  return {
    email: account.email,
    emailVerified: account.emailVerified,
    displayName: account.displayName,
    lastUsedAt: new Date(),
  };
}

async function activeUser(db: Executor, userId: number): Promise<AuthUser> {
  const user = await findAuthUser(db, userId);
  if (!user) throw new Unauthorized("This account no longer exists.");
  return admitIfNotSuspended(db, user);
}

export type IdentitySignIn = { user: AuthUser; linkedBy: "identity" | "email" };

/**
 * The user an identity signs in as: the one it is linked to; else, when the
 * provider says it verified the email and an Inkwell account has proved it
 * owns the same email (`email_verified_at`), that account, linked now. Anyone
 * else links from their account page after signing in another way: a
 * provider that does not verify emails must not hand out Inkwell accounts.
 */
export async function userForIdentity(
  db: Executor,
  provider: IdentityProvider,
  account: ProviderAccount,
): Promise<IdentitySignIn> {
  const [linked] = await db
    .update(userIdentities)
    .set(seen(account))
    .where(and(eq(userIdentities.provider, provider.id), eq(userIdentities.subject, account.subject)))
    .returning({ userId: userIdentities.userId });
  if (linked) return { user: await activeUser(db, linked.userId), linkedBy: "identity" };

  if (account.email !== null && account.emailVerified) {
    const [owner] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(sql`lower(${users.email}) = lower(${account.email})`, isNotNull(users.emailVerifiedAt)));
    if (owner) {
      const user = await activeUser(db, owner.id);
      await db
        .insert(userIdentities)
        .values({ userId: owner.id, provider: provider.id, subject: account.subject, ...seen(account) });
      return { user, linkedBy: "email" };
    }
  }
  throw new Unauthorized(
    `No Inkwell account is linked to this ${provider.name} account. Sign in with your password or a passkey, then link ${provider.name} from your account page.`,
  );
}

/** Links an identity to a signed-in user who came back from the provider; refused when another user holds it. */
export async function linkIdentity(db: Executor, userId: number, provider: IdentityProvider, account: ProviderAccount) {
  const [existing] = await db
    .select({ userId: userIdentities.userId })
    .from(userIdentities)
    .where(and(eq(userIdentities.provider, provider.id), eq(userIdentities.subject, account.subject)));
  if (existing && existing.userId !== userId) {
    throw new Conflict(`This ${provider.name} account is already linked to another Inkwell account.`);
  }
  if (existing) {
    await db
      .update(userIdentities)
      .set(seen(account))
      .where(and(eq(userIdentities.provider, provider.id), eq(userIdentities.subject, account.subject)));
    return;
  }
  await db.insert(userIdentities).values({ userId, provider: provider.id, subject: account.subject, ...seen(account) });
}

/** A user's linked identities for the account page. */
export async function listIdentities(db: Executor, userId: number) {
  return db
    .select({
      id: userIdentities.id,
      provider: userIdentities.provider,
      email: userIdentities.email,
      emailVerified: userIdentities.emailVerified,
      displayName: userIdentities.displayName,
      createdAt: userIdentities.createdAt,
      lastUsedAt: userIdentities.lastUsedAt,
    })
    .from(userIdentities)
    .where(eq(userIdentities.userId, userId))
    .orderBy(asc(userIdentities.createdAt), asc(userIdentities.id));
}

/**
 * Unlinks one of the user's identities. Every Inkwell account keeps its
 * password, so an identity is never the last way to sign in; should
 * accounts without passwords come, count them here.
 */
export async function unlinkIdentity(db: Executor, userId: number, identityId: number) {
  const [removed] = await db
    .delete(userIdentities)
    .where(and(eq(userIdentities.id, identityId), eq(userIdentities.userId, userId)))
    .returning({ provider: userIdentities.provider });
  if (!removed) throw new NotFound("identity", "No such linked account of yours.", "id");
  return removed;
}
