import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, timestamptz, updatedAt } from "./columns.ts";
import { moderationStateEnum } from "./enums.ts";
import { users } from "./users.ts";

export const articles = pgTable(
  "articles",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    body: text("body").notNull(),
    // Deleting a user deletes what they wrote (operators delete users "with their content").
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
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
    uniqueIndex("articles_slug_key").on(t.slug),
    // Newest first, with id as the tie-breaker for keyset pagination. Descending indexes say NULLS FIRST
    // because that is what ORDER BY … DESC means; with NULLS LAST they cannot serve the sort.
    index("articles_created_at_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("articles_author_created_at_idx").on(t.authorId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("articles_moderation_created_at_idx").on(
      t.moderation,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // Undoing a hide finds its rows by the action id; only hidden rows carry one.
    index("articles_moderation_action_id_idx").on(t.moderationActionId).where(sql`${t.moderationActionId} is not null`),
    // Moderators search titles by substring (ILIKE uses trigram indexes).
    index("articles_title_trgm_idx").using("gin", sql`${t.title} gin_trgm_ops`),
  ],
);

export type Article = typeof articles.$inferSelect;
export type NewArticle = typeof articles.$inferInsert;
