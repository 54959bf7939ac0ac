import { customType, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, timestamptz } from "./columns.ts";
import { signInMethodEnum } from "./enums.ts";
import { users } from "./users.ts";

export const bytea = customType<{ data: Uint8Array; driverData: Buffer }>({
  dataType: () => "bytea",
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value),
});

/**
 * Lucia's current session design: the client holds `<id>.<secret>`; the
 * database keeps the id and the SHA-256 of the secret, never the token.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    secretHash: bytea("secret_hash").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastVerifiedAt: timestamptz("last_verified_at").notNull().defaultNow(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    /** How it was opened; rows from before this column count as password sessions. */
    method: signInMethodEnum("method").notNull().default("password"),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId, t.createdAt.desc().nullsFirst())],
);

export type Session = typeof sessions.$inferSelect;
