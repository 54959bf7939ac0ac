import { generateChallengeToken, parseChallengeToken, type SignInMethod, secretMatches } from "@inkwell/auth";
import { and, type Executor, eq, gt, lt, schema, sql } from "@inkwell/db";
import type { AuthUser } from "../auth/principal.ts";
import type { AuthSettings } from "../auth/settings.ts";
import { Unauthorized } from "../errors.ts";
import type { ClientInfo } from "./accounts.ts";
import { findAuthUser } from "./auth-user.ts";
import { codeAccepted, reserveCodeAttempt } from "./code-attempts.ts";
import { useRecoveryCode } from "./recovery-codes.ts";
import { admitIfNotSuspended } from "./suspensions.ts";
import { acceptTotpCode, type CodeCheck, refuseCode } from "./two-factor.ts";

const { twoFactorChallenges: challenges, userTwoFactor } = schema;

/** How long the second step of a sign-in may wait for its code. */
export const CHALLENGE_LIFETIME_MS = 5 * 60_000;
/** Codes one challenge takes; after that the password must be given again. */
export const CHALLENGE_MAX_ATTEMPTS = 5;

export const CHALLENGE_INVALID = "This sign-in has expired or is no longer valid. Sign in again with your password.";
export const CHALLENGE_USED_UP = "Too many wrong codes for this sign-in. Sign in again with your password.";

/**
 * The pending second step of a sign-in after a right password: a random
 * `<id>.<secret>` for the client, stored as the id and the secret's SHA-256,
 * bound to the user and expiring in five minutes. It is no session.
 */
export async function createTwoFactorChallenge(db: Executor, userId: number, method: SignInMethod = "password") {
  const { id, secretHash, token } = generateChallengeToken();
  const expiresAt = new Date(Date.now() + CHALLENGE_LIFETIME_MS);
  await db.insert(challenges).values({ id, secretHash, userId, expiresAt, method });
  return { token, expiresAt };
}

/** A code from the authenticator app or a recovery code; the recovery code counts when both are given. */
export interface SecondFactor {
  code?: string;
  recoveryCode?: string;
}

/**
 * The second step of a sign-in: a live challenge and a right code (TOTP, or
 * a recovery code, which is then used up) give back the user to open a
 * session for; the challenge is consumed, so it opens one session at most.
 *
 * Each code is counted before it is checked, twice: on the throttle
 * counters (per account and per address, like passwords) and on the
 * challenge, which ends after `CHALLENGE_MAX_ATTEMPTS`. Both counts are
 * written on `attempts`, which commits on its own, so a failed try stays
 * counted; the challenge is consumed there too. Statements on `attempts`
 * never wait for a row a mutation's transaction holds, so its small pool
 * cannot be starved.
 */
export async function completeTwoFactorSignIn(
  db: Executor,
  attempts: Executor,
  settings: AuthSettings,
  encryptionKey: Uint8Array | null | undefined,
  input: { challenge: string } & SecondFactor,
  client: ClientInfo,
  onUserFound: (user: { id: number; username: string }) => void,
): Promise<{ user: AuthUser; method: SignInMethod }> {
  const parsed = parseChallengeToken(input.challenge);
  if (!parsed) throw new Unauthorized(CHALLENGE_INVALID);
  const [challenge] = await db.select().from(challenges).where(eq(challenges.id, parsed.id));
  if (!challenge || !secretMatches(parsed.secret, challenge.secretHash)) throw new Unauthorized(CHALLENGE_INVALID);
  if (challenge.expiresAt.getTime() <= Date.now()) {
    await attempts.delete(challenges).where(eq(challenges.id, challenge.id));
    throw new Unauthorized(CHALLENGE_INVALID);
  }
  const user = await findAuthUser(db, challenge.userId);
  if (!user) throw new Unauthorized(CHALLENGE_INVALID);
  onUserFound(user);

  await reserveCodeAttempt(attempts, settings, user.id, client);
  const [counted] = await attempts
    .update(challenges)
    .set({ attempts: sql`${challenges.attempts} + 1` })
    .where(
      and(
        eq(challenges.id, challenge.id),
        lt(challenges.attempts, CHALLENGE_MAX_ATTEMPTS),
        gt(challenges.expiresAt, sql`now()`),
      ),
    )
    .returning({ attempts: challenges.attempts });
  if (!counted) {
    await attempts.delete(challenges).where(eq(challenges.id, challenge.id));
    throw new Unauthorized(CHALLENGE_USED_UP);
  }

  const admitted = await admitIfNotSuspended(db, user);
  const check = await checkSecondFactor(db, encryptionKey, user.id, input);
  if (check !== "accepted") {
    if (counted.attempts >= CHALLENGE_MAX_ATTEMPTS) {
      await attempts.delete(challenges).where(eq(challenges.id, challenge.id));
    }
    refuseCode(check, input.recoveryCode === undefined ? "code" : "recoveryCode");
  }

  const consumed = await attempts
    .delete(challenges)
    .where(eq(challenges.id, challenge.id))
    .returning({ id: challenges.id });
  if (consumed.length === 0) throw new Unauthorized(CHALLENGE_INVALID);
  await codeAccepted(attempts, settings, user.id, client);
  return { user: admitted, method: challenge.method };
}

async function checkSecondFactor(
  db: Executor,
  encryptionKey: Uint8Array | null | undefined,
  userId: number,
  factor: SecondFactor,
): Promise<CodeCheck> {
  const [row] = await db
    .select({ sealedKey: userTwoFactor.sealedKey, enabledAt: userTwoFactor.enabledAt })
    .from(userTwoFactor)
    .where(eq(userTwoFactor.userId, userId));
  // Turned off or reset since the password step: that sign-in is over.
  if (!row?.enabledAt) throw new Unauthorized(CHALLENGE_INVALID);
  if (factor.recoveryCode !== undefined) {
    return (await useRecoveryCode(db, userId, factor.recoveryCode)) ? "accepted" : "wrong";
  }
  if (factor.code === undefined) return "wrong";
  return acceptTotpCode(db, encryptionKey, userId, row.sealedKey, factor.code);
}
