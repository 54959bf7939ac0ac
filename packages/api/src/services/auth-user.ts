import { type Executor, eq, getTableColumns, schema, sql } from "@inkwell/db";
import type { AuthUser } from "../auth/principal.ts";
import { REQUIRE_TWO_FACTOR } from "./settings.ts";

const { users, userTwoFactor, settings } = schema;
const { passwordHash: _hidden, ...userColumns } = getTableColumns(users);

/**
 * A user's two-factor standing, as columns of any query that reads `users`:
 * whether it is on, and whether operators require it for their role. Both
 * are primary-key lookups, so every request can afford them.
 */
export const twoFactorFlagColumns = {
  twoFactorEnabled: sql<boolean>`exists (select 1 from ${userTwoFactor}
    where ${userTwoFactor.userId} = ${users.id} and ${userTwoFactor.enabledAt} is not null)`.mapWith(Boolean),
  // As `requiredTwoFactorRoles` reads it: only a list of roles counts ('"admin"' @> '"admin"' would too).
  twoFactorRequired: sql<boolean>`exists (select 1 from ${settings}
    where ${settings.key} = ${REQUIRE_TWO_FACTOR} and jsonb_typeof(${settings.value}->'roles') = 'array'
      and ${settings.value}->'roles' @> jsonb_build_array(${users.role}::text))`.mapWith(Boolean),
};

/** Everything procedures see of a user (`AuthUser`): no password hash. */
export const authUserColumns = { ...userColumns, ...twoFactorFlagColumns };

/** A user as procedures see them, or null when there is none. */
export async function findAuthUser(db: Executor, userId: number): Promise<AuthUser | null> {
  const [user] = await db.select(authUserColumns).from(users).where(eq(users.id, userId));
  return user ?? null;
}
