import { desc, type Executor, schema, sql } from "@inkwell/db";

const MAX_TAGS_LISTED = 1000;

/**
 * Every tag with how many articles carry it (hidden ones included), most used first.
 * Each count is an index-only scan of `article_tags_tag_id_idx`; joining every link to
 * its article to skip hidden ones would read the whole articles table on every call.
 */
export function listTags(db: Executor) {
  const articleCount = sql<number>`(select count(*)::int from ${schema.articleTags} where ${schema.articleTags.tagId} = ${schema.tags.id})`;
  return db
    .select({ id: schema.tags.id, name: schema.tags.name, articleCount })
    .from(schema.tags)
    .orderBy(desc(articleCount), schema.tags.name)
    .limit(MAX_TAGS_LISTED);
}
