import { bigint, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, timestamptz } from "./columns.ts";
import { signInMethodEnum } from "./enums.ts";
import { bytea } from "./sessions.ts";
import { users } from "./users.ts";

/**
 * A user's TOTP key, sealed with AES-256-GCM under `ENCRYPTION_KEY` (never
 * stored in plain text). The row exists from the start of enrolment;
 * `enabled_at` is set when the user confirms it with a first code.
 */
export const userTwoFactor = pgTable("user_two_factor", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** `version | nonce | ciphertext | tag`, see `sealSecret` in @inkwell/auth. */
  sealedKey: bytea("sealed_key").notNull(),
  enabledAt: timestamptz("enabled_at"),
  /** The last TOTP time step a code was accepted for: a code is never accepted twice. */
  lastUsedStep: bigint("last_used_step", { mode: "number" }),
  createdAt: createdAt(),
});

/** Single-use recovery codes: only the SHA-256 of each (80-bit) code is stored. */
export const twoFactorRecoveryCodes = pgTable(
  "two_factor_recovery_codes",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: bytea("code_hash").notNull(),
    usedAt: timestamptz("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("two_factor_recovery_codes_user_id_idx").on(t.userId)],
);

/**
 * The pending second step of a sign-in: the password was right, a code is
 * still owed. The client holds `<id>.<secret>`; the row keeps the id and the
 * SHA-256 of the secret. It is no session: it lives minutes, allows a few
 * attempts, and is deleted when used.
 */
export const twoFactorChallenges = pgTable(
  "two_factor_challenges",
  {
    id: text("id").primaryKey(),
    secretHash: bytea("secret_hash").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Codes tried with it, counted before each is checked. */
    attempts: integer("attempts").notNull().default(0),
    /** How the first step was passed (password, identity provider): the session it opens records it. */
    method: signInMethodEnum("method").notNull().default("password"),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
  },
  (t) => [
    index("two_factor_challenges_user_id_idx").on(t.userId),
    index("two_factor_challenges_expires_at_idx").on(t.expiresAt),
  ],
);
