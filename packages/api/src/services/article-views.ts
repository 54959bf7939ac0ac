import { and, desc, type Executor, eq, type Placeholder, type SQL, schema, sql } from "@inkwell/db";
import { preparedPerDatabase, runPrepared } from "./prepared.ts";
import { profileColumns, type ViewerId } from "./profiles.ts";

const a = schema.articles;

/**
 * The columns of an article as readers see it. Tags, counts and the viewer's
 * flags are correlated subqueries, evaluated only for the rows of the page:
 * one statement per list, whatever its length.
 */
export function articleColumns(viewerId: ViewerId) {
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

export const articleColumnsWithBody = (viewerId: ViewerId) => ({ ...articleColumns(viewerId), body: a.body });

/** Newest first; id breaks ties so keyset pages never skip or repeat a row. */
export const newestFirst = [desc(a.createdAt), desc(a.id)] as const;

/** Rows strictly after the cursor in newest-first order. */
export const afterCursor = (cursor: { createdAt: Date; id: number }) =>
  sql`(${a.createdAt}, ${a.id}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id})`;

export function selectArticles(db: Executor, viewerId: ViewerId, options: { withBody: boolean }) {
  return db
    .select(options.withBody ? articleColumnsWithBody(viewerId) : articleColumns(viewerId))
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.authorId));
}

const articleWhere = (db: Executor, condition: SQL, viewerId: ViewerId) =>
  db
    .select({ ...articleColumnsWithBody(viewerId), authorId: a.authorId })
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.authorId))
    .where(condition)
    .limit(1);

const slugParameter = sql.placeholder("slug");
const idParameter = sql.placeholder("id");
const viewerParameter: Placeholder<"viewerId"> = sql.placeholder("viewerId");

// The hottest reads, as named prepared statements (one per shape: anonymous, or with the viewer's flags).
const bySlug = {
  anonymous: preparedPerDatabase((db) => articleWhere(db, eq(a.slug, slugParameter), null).prepare("article_by_slug")),
  viewer: preparedPerDatabase((db) =>
    articleWhere(db, eq(a.slug, slugParameter), viewerParameter).prepare("article_by_slug_as_viewer"),
  ),
};
const byId = {
  anonymous: preparedPerDatabase((db) => articleWhere(db, eq(a.id, idParameter), null).prepare("article_by_id")),
  viewer: preparedPerDatabase((db) =>
    articleWhere(db, eq(a.id, idParameter), viewerParameter).prepare("article_by_id_as_viewer"),
  ),
};

export async function findArticleBySlug(db: Executor, slug: string, viewerId: number | null) {
  const prepared = (viewerId === null ? bySlug.anonymous : bySlug.viewer)(db);
  const [row] = prepared
    ? await prepared.execute({ slug, viewerId })
    : await runPrepared(articleWhere(db, eq(a.slug, slug), viewerId), "article_by_slug");
  return row ?? null;
}

export async function findArticleById(db: Executor, id: number, viewerId: number | null) {
  const prepared = (viewerId === null ? byId.anonymous : byId.viewer)(db);
  const [row] = prepared
    ? await prepared.execute({ id, viewerId })
    : await runPrepared(articleWhere(db, eq(a.id, id), viewerId), "article_by_id");
  if (!row) return null;
  const { authorId: _, ...article } = row;
  return article;
}

export const visible = () => eq(a.moderation, "visible");
export const allOf = (...conditions: (SQL | undefined)[]) => and(...conditions);
