import {
  encodeTotpSecret,
  generateTotpKey,
  matchTotpStep,
  openSecret,
  SecretBoxError,
  sealSecret,
  totpKeyUri,
  verifyPassword,
} from "@inkwell/auth";
import { and, type Executor, eq, isNull, lt, or, schema } from "@inkwell/db";
import type { AuthSettings } from "../auth/settings.ts";
import { Conflict, Invalid, NotFound, NotImplemented, PreconditionFailed, Unavailable } from "../errors.ts";
import type { ClientInfo } from "./accounts.ts";
import { codeAccepted, reserveCodeAttempt } from "./code-attempts.ts";
import { recoveryCodesLeft, replaceRecoveryCodes } from "./recovery-codes.ts";
import { deleteUserSessions } from "./sessions.ts";

const { userTwoFactor, twoFactorRecoveryCodes, twoFactorChallenges, users } = schema;

/** The name authenticator apps show above the code. */
export const TOTP_ISSUER = "Inkwell";

export const NO_ENCRYPTION_KEY =
  "Two-factor sign-in is not available on this server: it needs an encryption key for the secrets it stores. " +
  "The operator must set ENCRYPTION_KEY (base64 of 32 random bytes, e.g. `openssl rand -base64 32`).";

export const WRONG_CODE = "The code is incorrect. Enter the current code from your authenticator app.";
export const REPLAYED_CODE = "This code was used already. Wait for the next one in your authenticator app.";
export const WRONG_RECOVERY_CODE = "This recovery code is not one of yours, or it was used already.";

/** The key a user's TOTP secret is sealed under, or the refusal to use two-factor sign-in without one. */
function requireKey(encryptionKey: Uint8Array | null | undefined): Uint8Array {
  if (!encryptionKey) throw new NotImplemented(NO_ENCRYPTION_KEY);
  return encryptionKey;
}

/** Binds a sealed secret to its user: copied to another row, it does not open. */
const sealContext = (userId: number) => `totp:user:${userId}`;

function openTotpKey(encryptionKey: Uint8Array | null | undefined, sealedKey: Uint8Array, userId: number): Uint8Array {
  if (!encryptionKey) {
    throw new Unavailable(
      "Two-factor codes cannot be checked: this server has no ENCRYPTION_KEY. Use a recovery code, or ask an operator.",
    );
  }
  try {
    return openSecret(encryptionKey, sealedKey, sealContext(userId));
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    throw new Unavailable(
      "Two-factor codes cannot be checked: the server's ENCRYPTION_KEY is not the one this secret was stored with. " +
        "Use a recovery code, or ask an operator.",
    );
  }
}

export type CodeCheck = "accepted" | "wrong" | "replayed";

/**
 * Checks a TOTP code against the user's key and, when it is right, records
 * its time step, refusing a step already used (or an older one): a code
 * works once, also when two requests bring it at the same moment (the
 * second waits on the row and then finds the step taken).
 */
export async function acceptTotpCode(
  db: Executor,
  encryptionKey: Uint8Array | null | undefined,
  userId: number,
  sealedKey: Uint8Array,
  code: string,
): Promise<CodeCheck> {
  const step = matchTotpStep(openTotpKey(encryptionKey, sealedKey, userId), code);
  if (step === null) return "wrong";
  const recorded = await db
    .update(userTwoFactor)
    .set({ lastUsedStep: step })
    .where(
      and(
        eq(userTwoFactor.userId, userId),
        or(isNull(userTwoFactor.lastUsedStep), lt(userTwoFactor.lastUsedStep, step)),
      ),
    )
    .returning({ userId: userTwoFactor.userId });
  return recorded.length === 1 ? "accepted" : "replayed";
}

/** Turns a failed check into the error the user reads, on the field they typed it in. */
export function refuseCode(check: Exclude<CodeCheck, "accepted">, field: "code" | "recoveryCode" = "code"): never {
  if (field === "recoveryCode") throw new Invalid(WRONG_RECOVERY_CODE, field);
  throw new Invalid(check === "replayed" ? REPLAYED_CODE : WRONG_CODE, field);
}

async function twoFactorRow(db: Executor, userId: number) {
  const [row] = await db.select().from(userTwoFactor).where(eq(userTwoFactor.userId, userId));
  return row ?? null;
}

/**
 * Starts enrolment: a fresh TOTP key, sealed and stored as pending (a
 * pending one from an earlier attempt is replaced). Returns the key in base32
 * (for typing in) and the `otpauth://` URI (for the QR code).
 */
export async function beginTwoFactorEnrolment(
  db: Executor,
  encryptionKey: Uint8Array | null | undefined,
  user: { id: number; email: string },
) {
  const key = requireKey(encryptionKey);
  const totpKey = generateTotpKey();
  const sealedKey = sealSecret(key, totpKey, sealContext(user.id));
  const stored = await db
    .insert(userTwoFactor)
    .values({ userId: user.id, sealedKey })
    .onConflictDoUpdate({
      target: userTwoFactor.userId,
      set: { sealedKey, lastUsedStep: null, createdAt: new Date() },
      // An enabled key is never replaced: it must be turned off first.
      setWhere: isNull(userTwoFactor.enabledAt),
    })
    .returning({ userId: userTwoFactor.userId });
  if (stored.length === 0) {
    throw new Conflict("Two-factor sign-in is already on. Turn it off first to use another authenticator.");
  }
  return { secret: encodeTotpSecret(totpKey), uri: totpKeyUri(TOTP_ISSUER, user.email, totpKey) };
}

/**
 * Turns two-factor sign-in on with a first code from the pending key, ends
 * the user's other sessions than `keepSessionId` (they were opened with the
 * password alone) and returns fresh recovery codes, shown once. Guesses are
 * throttled like every code.
 */
export async function confirmTwoFactorEnrolment(
  db: Executor,
  attempts: Executor,
  settings: AuthSettings,
  encryptionKey: Uint8Array | null | undefined,
  userId: number,
  code: string,
  client: ClientInfo,
  keepSessionId: string,
): Promise<{ recoveryCodes: string[]; endedSessions: number }> {
  requireKey(encryptionKey);
  const row = await twoFactorRow(db, userId);
  if (row?.enabledAt) throw new Conflict("Two-factor sign-in is already on.");
  if (!row) throw new PreconditionFailed("Start enrolment first: there is no authenticator to confirm.");
  await reserveCodeAttempt(attempts, settings, userId, client);
  const check = await acceptTotpCode(db, encryptionKey, userId, row.sealedKey, code);
  if (check !== "accepted") refuseCode(check);
  const enabled = await db
    .update(userTwoFactor)
    .set({ enabledAt: new Date() })
    .where(and(eq(userTwoFactor.userId, userId), isNull(userTwoFactor.enabledAt)))
    .returning({ userId: userTwoFactor.userId });
  if (enabled.length === 0) throw new Conflict("Two-factor sign-in is already on.");
  await codeAccepted(attempts, settings, userId, client);
  const recoveryCodes = await replaceRecoveryCodes(db, userId);
  const endedSessions = await deleteUserSessions(db, userId, keepSessionId);
  return { recoveryCodes, endedSessions };
}

/**
 * A fresh set of recovery codes for a user with two-factor sign-in on,
 * proven with a current code (throttled like every code); the old set stops
 * working. Returns the new codes, shown once.
 */
export async function regenerateRecoveryCodes(
  db: Executor,
  attempts: Executor,
  settings: AuthSettings,
  encryptionKey: Uint8Array | null | undefined,
  userId: number,
  code: string,
  client: ClientInfo,
): Promise<string[]> {
  const row = await twoFactorRow(db, userId);
  if (!row?.enabledAt) throw new PreconditionFailed("Two-factor sign-in is not on.");
  await reserveCodeAttempt(attempts, settings, userId, client);
  const check = await acceptTotpCode(db, encryptionKey, userId, row.sealedKey, code);
  if (check !== "accepted") refuseCode(check);
  await codeAccepted(attempts, settings, userId, client);
  return replaceRecoveryCodes(db, userId);
}

/** Removes a user's key, recovery codes and pending sign-ins; true when two-factor sign-in was on. */
async function removeTwoFactor(db: Executor, userId: number): Promise<boolean> {
  const removed = await db
    .delete(userTwoFactor)
    .where(eq(userTwoFactor.userId, userId))
    .returning({ enabledAt: userTwoFactor.enabledAt });
  await db.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, userId));
  await db.delete(twoFactorChallenges).where(eq(twoFactorChallenges.userId, userId));
  return removed.some((row) => row.enabledAt !== null);
}

/** A current code, or the password typed now; the code counts when both are given. */
export interface DisableProof {
  code?: string;
  password?: string;
}

/**
 * Turns two-factor sign-in off, proven with a current code or the password
 * (typed now). Refused while the user's role requires it. Guesses count
 * against the same throttle as codes.
 */
export async function disableTwoFactor(
  db: Executor,
  attempts: Executor,
  settings: AuthSettings,
  encryptionKey: Uint8Array | null | undefined,
  user: { id: number; twoFactorRequired: boolean },
  proof: DisableProof,
  client: ClientInfo,
): Promise<void> {
  if (user.twoFactorRequired) {
    throw new PreconditionFailed(
      "Your role requires two-factor sign-in, so it cannot be turned off. If you lost your authenticator, an administrator can reset it.",
    );
  }
  const row = await twoFactorRow(db, user.id);
  if (!row?.enabledAt) throw new PreconditionFailed("Two-factor sign-in is not on.");
  await reserveCodeAttempt(attempts, settings, user.id, client);
  if (proof.code !== undefined) {
    const check = await acceptTotpCode(db, encryptionKey, user.id, row.sealedKey, proof.code);
    if (check !== "accepted") refuseCode(check);
  } else {
    const [stored] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id));
    if (!stored || !(await verifyPassword(stored.hash, proof.password ?? ""))) {
      throw new Invalid("The password is incorrect.", "password");
    }
  }
  await codeAccepted(attempts, settings, user.id, client);
  await removeTwoFactor(db, user.id);
}

/** Whether two-factor sign-in is on for a user, since when, and how many recovery codes are left. */
export async function twoFactorStatus(db: Executor, userId: number) {
  const row = await twoFactorRow(db, userId);
  const enabledAt = row?.enabledAt ?? null;
  return {
    enabled: enabledAt !== null,
    enabledAt,
    recoveryCodesLeft: enabledAt ? await recoveryCodesLeft(db, userId) : 0,
  };
}

/**
 * An operator's reset, for a user who lost their authenticator and recovery
 * codes (after checking who they are): removes their key and codes and ends
 * every session. PreconditionFailed when two-factor sign-in was not on.
 */
export async function resetTwoFactor(db: Executor, userId: number) {
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ username: users.username }).from(users).where(eq(users.id, userId));
    if (!user) throw new NotFound("user", "No such user: it may have been deleted.");
    if (!(await removeTwoFactor(tx, userId))) {
      throw new PreconditionFailed(`${user.username} has not turned on two-factor sign-in: there is nothing to reset.`);
    }
    const endedSessions = await deleteUserSessions(tx, userId);
    return { userId, username: user.username, endedSessions };
  });
}
