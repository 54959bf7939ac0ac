import { effectivePermissions, generateApiKey, type Permission, parseApiKey, secretMatches } from "@inkwell/auth";
import { and, desc, type Executor, eq, isNull, lt, or, schema, sql } from "@inkwell/db";
import type { ApiKeyPrincipal } from "../auth/principal.ts";
import { Forbidden, NotFound } from "../errors.ts";
import { authUserColumns } from "./auth-user.ts";
import { suspensionInForce } from "./suspensions.ts";

/** `lastUsedAt` is written at most this often, so a busy key does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const apiKeyListColumns = {
  id: schema.apiKeys.id,
  name: schema.apiKeys.name,
  prefix: schema.apiKeys.prefix,
  scopes: schema.apiKeys.scopes,
  expiresAt: schema.apiKeys.expiresAt,
  lastUsedAt: schema.apiKeys.lastUsedAt,
  revokedAt: schema.apiKeys.revokedAt,
  createdAt: schema.apiKeys.createdAt,
};

/**
 * Creates a key for `owner` with `scopes`, which must be among the owner's
 * own permissions (Forbidden otherwise). Returns the key itself once: only a
 * hash of its secret is stored.
 */
export async function createApiKey(
  db: Executor,
  owner: { userId: number; permissions: readonly Permission[] },
  input: { name: string; scopes: readonly Permission[]; expiresAt: Date | null },
) {
  const scopes = [...new Set(input.scopes)];
  const beyond = scopes.filter((scope) => !owner.permissions.includes(scope));
  if (beyond.length > 0) {
    throw new Forbidden(`You cannot grant permissions you do not hold: ${beyond.join(", ")}.`, "scopes");
  }
  const { prefix, secretHash, key } = generateApiKey();
  const [row] = await db
    .insert(schema.apiKeys)
    .values({ userId: owner.userId, name: input.name, prefix, secretHash, scopes, expiresAt: input.expiresAt })
    .returning(apiKeyListColumns);
  if (!row) throw new Error("insert returned no row");
  return { ...row, key };
}

export function listApiKeys(db: Executor, userId: number) {
  return db
    .select(apiKeyListColumns)
    .from(schema.apiKeys)
    .where(eq(schema.apiKeys.userId, userId))
    .orderBy(desc(schema.apiKeys.createdAt));
}

/** Revokes one of `userId`'s keys and returns it; NotFound (with `notFoundMessage`) when it is not theirs or already revoked. */
export async function revokeApiKey(
  db: Executor,
  userId: number,
  keyId: number,
  notFoundMessage = "No such active key of yours.",
) {
  const [row] = await db
    .update(schema.apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(schema.apiKeys.id, keyId), eq(schema.apiKeys.userId, userId), isNull(schema.apiKeys.revokedAt)))
    .returning(apiKeyListColumns);
  if (!row) throw new NotFound("apiKey", notFoundMessage);
  return row;
}

/**
 * Resolves a key to its owner and effective permissions: the key's scopes
 * that the owner's current role still grants. Null when malformed, unknown,
 * mismatched, revoked, expired, or the owner is suspended.
 */
export async function validateApiKey(db: Executor, key: string): Promise<ApiKeyPrincipal | null> {
  const parsed = parseApiKey(key);
  if (!parsed) return null;
  const [row] = await db
    .select({ key: schema.apiKeys, user: authUserColumns })
    .from(schema.apiKeys)
    .innerJoin(schema.users, eq(schema.users.id, schema.apiKeys.userId))
    .where(eq(schema.apiKeys.prefix, parsed.prefix))
    .limit(1);
  if (!row || !secretMatches(parsed.secret, row.key.secretHash)) return null;
  const now = new Date();
  if (row.key.revokedAt || (row.key.expiresAt && row.key.expiresAt <= now)) return null;
  if (suspensionInForce(row.user, now.getTime())) return null;

  const lastUsed = row.key.lastUsedAt?.getTime() ?? 0;
  if (now.getTime() - lastUsed >= LAST_USED_RESOLUTION_MS) {
    await db
      .update(schema.apiKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(schema.apiKeys.id, row.key.id),
          or(isNull(schema.apiKeys.lastUsedAt), lt(schema.apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
        ),
      );
  }

  const granted = effectivePermissions(row.user);
  return {
    kind: "apiKey",
    user: row.user,
    permissions: granted.filter((permission) => row.key.scopes.includes(permission)),
    apiKey: { id: row.key.id, name: row.key.name, prefix: row.key.prefix },
  };
}
