import { type Role, roles } from "@inkwell/auth";
import { type Executor, eq, schema, sql } from "@inkwell/db";
import { z } from "zod";

/**
 * Settings operators change at run time, one row each in `settings`. Every
 * reader validates the stored JSON, so a row written by hand or by an older
 * release never reaches a caller malformed: it reads as the default.
 */

/** Roles whose members must turn on two-factor sign-in; read in SQL by `twoFactorFlagColumns` too. */
export const REQUIRE_TWO_FACTOR = "requireTwoFactor";

const requireTwoFactorValue = z.object({ roles: z.array(z.enum(roles)) });

export async function requiredTwoFactorRoles(db: Executor): Promise<Role[]> {
  const [row] = await db
    .select({ value: schema.settings.value })
    .from(schema.settings)
    .where(eq(schema.settings.key, REQUIRE_TWO_FACTOR));
  const parsed = requireTwoFactorValue.safeParse(row?.value);
  return parsed.success ? parsed.data.roles : [];
}

/** Replaces the roles that require two-factor sign-in; returns them in the order of `roles`. */
export async function setRequiredTwoFactorRoles(db: Executor, required: readonly Role[]): Promise<Role[]> {
  const value = { roles: roles.filter((role) => required.includes(role)) };
  await db
    .insert(schema.settings)
    .values({ key: REQUIRE_TWO_FACTOR, value })
    .onConflictDoUpdate({ target: schema.settings.key, set: { value, updatedAt: sql`now()` } });
  return value.roles;
}
