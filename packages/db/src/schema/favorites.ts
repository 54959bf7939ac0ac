import { index, integer, pgTable, primaryKey } from "drizzle-orm/pg-core";
import { articles } from "./articles.ts";
import { createdAt } from "./columns.ts";
import { users } from "./users.ts";

export const favorites = pgTable(
  "favorites",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    // (user, article) serves "favorited by a user" and the viewer's favorited flag.
    primaryKey({ columns: [t.userId, t.articleId] }),
    // Favorites count per article.
    index("favorites_article_id_idx").on(t.articleId),
  ],
);
