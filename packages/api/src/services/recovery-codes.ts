import { generateRecoveryCodes, normalizeRecoveryCode, secretMatches } from "@inkwell/auth";
import { and, count, type Executor, eq, isNull, schema } from "@inkwell/db";

const { twoFactorRecoveryCodes: codes } = schema;

/** Replaces a user's recovery codes with a fresh set; returns the codes, which are never stored. */
export async function replaceRecoveryCodes(db: Executor, userId: number): Promise<string[]> {
  const fresh = generateRecoveryCodes();
  await db.delete(codes).where(eq(codes.userId, userId));
  await db.insert(codes).values(fresh.map(({ codeHash }) => ({ userId, codeHash })));
  return fresh.map(({ code }) => code);
}

/**
 * Uses up one of the user's recovery codes; false when `code` is none of
 * their unused ones. The presented code's hash is compared with every unused
 * one in constant time (not looked up by value), and the match is marked used
 * only if no concurrent request used it first: each code works once.
 */
export async function useRecoveryCode(db: Executor, userId: number, code: string): Promise<boolean> {
  const presented = normalizeRecoveryCode(code);
  const unused = await db
    .select({ id: codes.id, codeHash: codes.codeHash })
    .from(codes)
    .where(and(eq(codes.userId, userId), isNull(codes.usedAt)));
  let matchId: number | null = null;
  for (const row of unused) {
    if (secretMatches(presented, row.codeHash) && matchId === null) matchId = row.id;
  }
  if (matchId === null) return false;
  const used = await db
    .update(codes)
    .set({ usedAt: new Date() })
    .where(and(eq(codes.id, matchId), isNull(codes.usedAt)))
    .returning({ id: codes.id });
  return used.length === 1;
}

export async function recoveryCodesLeft(db: Executor, userId: number): Promise<number> {
  const [row] = await db
    .select({ left: count() })
    .from(codes)
    .where(and(eq(codes.userId, userId), isNull(codes.usedAt)));
  return row?.left ?? 0;
}
