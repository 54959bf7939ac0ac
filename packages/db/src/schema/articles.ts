import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
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
    // Moderators search titles by substring (ILIKE uses trigram indexes).
    index("articles_title_trgm_idx").using("gin", sql`${t.title} gin_trgm_ops`),
  ],
);

export type Article = typeof articles.$inferSelect;
export type NewArticle = typeof articles.$inferInsert;
