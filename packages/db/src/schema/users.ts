import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, timestamptz, updatedAt } from "./columns.ts";
import { roleEnum, userStatusEnum } from "./enums.ts";

export const users = pgTable(
  "users",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    email: text("email").notNull(),
    username: text("username").notNull(),
    passwordHash: text("password_hash").notNull(),
    /**
     * The password is on the breached-password list, as last seen in plain
     * text (when set, or at sign-in). Operators with such a password hold only
     * a plain user's permissions until they change it.
     */
    passwordIsCommon: boolean("password_is_common").notNull().default(false),
    /**
     * When the user proved they receive mail at `email`; null while unproven, and again after the email changes.
     * An identity provider's account is linked by email only to an account whose email is verified.
     */
    emailVerifiedAt: timestamptz("email_verified_at"),
    bio: text("bio"),
    image: text("image"),
    role: roleEnum("role").notNull().default("user"),
    status: userStatusEnum("status").notNull().default("active"),
    /** Why an operator suspended the account, for other operators; null when active or not given. */
    suspensionReason: text("suspension_reason"),
    /**
     * When a suspension ends by itself; null while active or suspended until an operator restores.
     * Past it the account counts as active at once (sign-in lifts it); the maintenance job then clears the row.
     */
    suspendedUntil: timestamptz("suspended_until"),
    /** When a session was last created for the user (any sign-in method); null if never. */
    lastSignInAt: timestamptz("last_sign_in_at"),
    /** When an operator created the account by invitation (no password until its link is used); null otherwise. */
    invitedAt: timestamptz("invited_at"),
    /** Email the user when someone else comments on one of their articles (opt-out on the profile). */
    notifyOnComment: boolean("notify_on_comment").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Emails and usernames are unique regardless of case: "Ada@x.io" and "ada@x.io" are one person.
    uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`),
    uniqueIndex("users_username_lower_key").on(sql`lower(${t.username})`),
    index("users_created_at_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("users_role_created_at_idx").on(t.role, t.createdAt.desc().nullsFirst()),
    index("users_status_created_at_idx").on(t.status, t.createdAt.desc().nullsFirst()),
    // The maintenance job finds suspensions whose end has come; few rows have an end date.
    index("users_suspended_until_idx").on(t.suspendedUntil).where(sql`${t.suspendedUntil} is not null`),
    // Trigram indexes serve the operators' substring search (ILIKE '%q%').
    index("users_username_trgm_idx").using("gin", sql`lower(${t.username}) gin_trgm_ops`),
    index("users_email_trgm_idx").using("gin", sql`lower(${t.email}) gin_trgm_ops`),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
