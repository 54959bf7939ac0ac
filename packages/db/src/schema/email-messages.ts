import { bigint, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, timestamptz, updatedAt } from "./columns.ts";
import { emailStatusEnum } from "./enums.ts";

/**
 * Every email Inkwell sends or keeps, rendered when it was queued: the
 * `email.send` job delivers it through SMTP (`sent`), or keeps it here for
 * operators when no SMTP server is configured (`kept`). Recipients are copied,
 * not referenced, so the record outlives a deleted account.
 */
export const emailMessages = pgTable(
  "email_messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    /** Which template rendered it, e.g. `comment-notification`. */
    template: text("template").notNull(),
    status: emailStatusEnum("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** When the SMTP server accepted it, or when it was kept. */
    deliveredAt: timestamptz("delivered_at"),
  },
  (t) => [
    // The outbox page lists newest first; retention deletes delivered rows oldest first.
    index("email_messages_created_at_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("email_messages_delivered_at_idx").on(t.deliveredAt),
  ],
);

export type EmailMessage = typeof emailMessages.$inferSelect;
