import { randomBytes } from "node:crypto";
import { hashPassword, isCommonPassword } from "@inkwell/auth";
import { ConfigError } from "@inkwell/config";
import { type Database, schema, sql } from "@inkwell/db";

export interface InitialAdminOptions {
  email?: string;
  password?: string;
}

export type InitialAdminResult =
  | { created: false }
  | { created: true; email: string; username: string; generatedPassword?: string };

// Serialises first starts of several processes on one empty database.
const BOOTSTRAP_LOCK_ID = 7_402_118;

/** On a database with no users, creates the first admin so someone can sign in. */
export async function ensureInitialAdmin(db: Database, options: InitialAdminOptions): Promise<InitialAdminResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK_ID})`);
    const [anyUser] = await tx.select({ id: schema.users.id }).from(schema.users).limit(1);
    if (anyUser) return { created: false };

    if (options.password !== undefined && isCommonPassword(options.password)) {
      throw new ConfigError([
        "INKWELL_ADMIN_PASSWORD: is on a list of breached passwords; choose another for the first admin",
      ]);
    }
    const email = options.email ?? "admin@inkwell.local";
    const generatedPassword = options.password ? undefined : randomBytes(18).toString("base64url");
    const password = options.password ?? (generatedPassword as string);
    await tx.insert(schema.users).values({
      email,
      username: "admin",
      passwordHash: await hashPassword(password),
      role: "admin",
    });
    return { created: true, email, username: "admin", generatedPassword };
  });
}
