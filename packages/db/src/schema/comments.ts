import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { articles } from "./articles.ts";
import { createdAt, timestamptz, updatedAt } from "./columns.ts";
import { moderationStateEnum } from "./enums.ts";
import { users } from "./users.ts";

export const comments = pgTable(
  "comments",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    body: text("body").notNull(),
    moderation: moderationStateEnum("moderation").notNull().default("visible"),
    moderatedAt: timestamptz("moderated_at"),
    moderatedById: integer("moderated_by_id").references(() => users.id, { onDelete: "set null" }),
    /** Why a moderator hid it (optional, at most 500 characters); cleared when it is shown again. */
    moderationReason: text("moderation_reason"),
    /** The hide action that hid it, so that action's undo restores exactly these rows; cleared when shown again. */
    moderationActionId: uuid("moderation_action_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("comments_article_id_created_at_idx").on(t.articleId, t.createdAt, t.id),
    index("comments_author_id_idx").on(t.authorId),
    index("comments_created_at_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("comments_moderation_created_at_idx").on(
      t.moderation,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // Undoing a hide finds its rows by the action id; only hidden rows carry one.
    index("comments_moderation_action_id_idx").on(t.moderationActionId).where(sql`${t.moderationActionId} is not null`),
    // Moderators search comment text by substring.
    index("comments_body_trgm_idx").using("gin", sql`${t.body} gin_trgm_ops`),
  ],
);

export type Comment = typeof comments.$inferSelect;
