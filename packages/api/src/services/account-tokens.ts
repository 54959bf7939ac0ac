import { accountTokenHash, generateAccountToken } from "@inkwell/auth";
import { and, type Executor, eq, gt, inArray, isNull, schema, sql } from "@inkwell/db";

const { accountTokens: tokens } = schema;

export type AccountTokenPurpose = schema.AccountTokenPurpose;

const HOUR = 60 * 60_000;

/** How long an emailed link works. */
export const ACCOUNT_TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  verify_email: 48 * HOUR,
  change_email: 48 * HOUR,
  reset_password: HOUR,
  // An invitation waits for someone who may not read their mail today.
  invite: 7 * 24 * HOUR,
};

export const TOKEN_INVALID = "This link is invalid, has expired or was already used. Ask for a new one.";

/**
 * Issues a token for `userId` and returns it (for the link; only its SHA-256
 * is stored). Older tokens of the same purpose stop working: only the newest
 * link counts. The user's row is locked first, so two requests at once leave one token.
 */
export async function issueAccountToken(
  db: Executor,
  userId: number,
  purpose: AccountTokenPurpose,
  email: string | null,
): Promise<string> {
  await db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.id, userId)).for("update");
  await deleteAccountTokens(db, userId, [purpose]);
  const { token, tokenHash } = generateAccountToken();
  await db.insert(tokens).values({
    purpose,
    userId,
    tokenHash,
    email,
    expiresAt: sql`now() + ${ACCOUNT_TOKEN_LIFETIME_MS[purpose]} * interval '1 millisecond'`,
  });
  return token;
}

/** Ends a user's tokens of these purposes (a newer one, a changed password or address). */
export async function deleteAccountTokens(
  db: Executor,
  userId: number,
  purposes: readonly AccountTokenPurpose[],
): Promise<void> {
  await db.delete(tokens).where(and(eq(tokens.userId, userId), inArray(tokens.purpose, [...purposes])));
}

export interface UsableToken {
  id: number;
  userId: number;
  purpose: AccountTokenPurpose;
  email: string | null;
}

const usable = (hash: Uint8Array, purposes: readonly AccountTokenPurpose[]) =>
  and(
    eq(tokens.tokenHash, hash),
    inArray(tokens.purpose, [...purposes]),
    isNull(tokens.usedAt),
    gt(tokens.expiresAt, sql`now()`),
  );

const tokenColumns = { id: tokens.id, userId: tokens.userId, purpose: tokens.purpose, email: tokens.email };

/** A token that still works, without using it (to check what it will change first); null otherwise. */
export async function findAccountToken(
  db: Executor,
  token: string,
  purposes: readonly AccountTokenPurpose[],
): Promise<UsableToken | null> {
  const hash = accountTokenHash(token);
  if (!hash) return null;
  const [row] = await db.select(tokenColumns).from(tokens).where(usable(hash, purposes));
  return row ?? null;
}

/**
 * Uses a token up, in one statement that checks it still works: of two
 * requests presenting it at once, the second waits for the first's row lock
 * and then finds it used. Null when it does not work (unknown, expired, used,
 * replaced); the caller's transaction rolling back gives it back.
 */
export async function consumeAccountToken(
  db: Executor,
  token: string,
  purposes: readonly AccountTokenPurpose[],
): Promise<UsableToken | null> {
  const hash = accountTokenHash(token);
  if (!hash) return null;
  const [row] = await db
    .update(tokens)
    .set({ usedAt: sql`now()` })
    .where(usable(hash, purposes))
    .returning(tokenColumns);
  return row ?? null;
}
