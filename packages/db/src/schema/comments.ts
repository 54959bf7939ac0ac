import { sql } from "drizzle-orm";
import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
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
    // Moderators search comment text by substring.
    index("comments_body_trgm_idx").using("gin", sql`${t.body} gin_trgm_ops`),
  ],
);

export type Comment = typeof comments.$inferSelect;
