import { sql } from "drizzle-orm";
import { bigint, boolean, check, pgTable } from "drizzle-orm/pg-core";

/**
 * One row holding the number of visible articles, kept exact by triggers on
 * `articles` (see the migration), so the unfiltered article list does not
 * count ~100k index entries on every page view.
 */
export const articleCounts = pgTable(
  "article_counts",
  {
    singleton: boolean("singleton").primaryKey().default(true),
    visible: bigint("visible", { mode: "number" }).notNull(),
  },
  (t) => [check("article_counts_single_row", sql`${t.singleton}`)],
);
