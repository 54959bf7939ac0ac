import { and, desc, type Executor, eq, type SQL, schema, sql } from "@inkwell/db";
import { profileColumns } from "./profiles.ts";

const a = schema.articles;

/**
 * The columns of an article as readers see it. Tags, counts and the viewer's
 * flags are correlated subqueries, evaluated only for the rows of the page:
 * one statement per list, whatever its length.
 */
export function articleColumns(viewerId: number | null) {
  return {
    id: a.id,
    slug: a.slug,
    title: a.title,
    description: a.description,
    moderation: a.moderation,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    tagList: sql<string[]>`array(
      select ${schema.tags.name} from ${schema.articleTags}
      join ${schema.tags} on ${schema.tags.id} = ${schema.articleTags.tagId}
      where ${schema.articleTags.articleId} = ${a.id}
      order by ${schema.tags.name})`,
    favoritesCount: sql<number>`(select count(*)::int from ${schema.favorites} where ${schema.favorites.articleId} = ${a.id})`,
    favorited:
      viewerId === null
        ? sql<boolean>`false`
        : sql<boolean>`exists (select 1 from ${schema.favorites} where ${schema.favorites.articleId} = ${a.id} and ${schema.favorites.userId} = ${viewerId})`,
    author: profileColumns(viewerId),
  };
}

export const articleColumnsWithBody = (viewerId: number | null) => ({ ...articleColumns(viewerId), body: a.body });

/** Newest first; id breaks ties so keyset pages never skip or repeat a row. */
export const newestFirst = [desc(a.createdAt), desc(a.id)] as const;

/** Rows strictly after the cursor in newest-first order. */
export const afterCursor = (cursor: { createdAt: Date; id: number }) =>
  sql`(${a.createdAt}, ${a.id}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id})`;

export function selectArticles(db: Executor, viewerId: number | null, options: { withBody: boolean }) {
  return db
    .select(options.withBody ? articleColumnsWithBody(viewerId) : articleColumns(viewerId))
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.authorId));
}

export async function findArticleBySlug(db: Executor, slug: string, viewerId: number | null) {
  const [row] = await db
    .select({ ...articleColumnsWithBody(viewerId), authorId: a.authorId })
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.authorId))
    .where(eq(a.slug, slug))
    .limit(1);
  return row ?? null;
}

export async function findArticleById(db: Executor, id: number, viewerId: number | null) {
  const [row] = await db
    .select(articleColumnsWithBody(viewerId))
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.authorId))
    .where(eq(a.id, id))
    .limit(1);
  return row ?? null;
}

export const visible = () => eq(a.moderation, "visible");
export const allOf = (...conditions: (SQL | undefined)[]) => and(...conditions);
