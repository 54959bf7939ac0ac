import { index, integer, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, timestamptz } from "./columns.ts";
import { bytea } from "./sessions.ts";
import { users } from "./users.ts";

/** What an account token proves; each purpose has its own lifetime (see the API's account-tokens service). */
export const accountTokenPurposes = ["verify_email", "change_email", "reset_password", "invite"] as const;
export type AccountTokenPurpose = (typeof accountTokenPurposes)[number];

export const accountTokenPurposeEnum = pgEnum("account_token_purpose", accountTokenPurposes);

/**
 * The tokens emailed to prove something about an account: that its owner
 * reads the mail of an address (`verify_email`, `change_email`) or may set a
 * new password (`reset_password`), or an invited person may choose their first
 * password (`invite`, which also proves the address). The link carries the token; only its
 * SHA-256 is stored. A token is used once (`used_at`), expires, and is
 * deleted when a newer one of its purpose is issued or the password changes.
 */
export const accountTokens = pgTable(
  "account_tokens",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    purpose: accountTokenPurposeEnum("purpose").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: bytea("token_hash").notNull(),
    /** The address the link was mailed to: the one it verifies, or the new one of an email change; null for resets. */
    email: text("email"),
    expiresAt: timestamptz("expires_at").notNull(),
    usedAt: timestamptz("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("account_tokens_token_hash_key").on(t.tokenHash),
    index("account_tokens_user_id_purpose_idx").on(t.userId, t.purpose),
    index("account_tokens_expires_at_idx").on(t.expiresAt),
  ],
);
