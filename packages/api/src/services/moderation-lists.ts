/** Operators' lists of every article and comment, hidden ones included, one numbered page at a time. */
import type { ArticleSortKey, SortDirection } from "@inkwell/auth";
import { type AnyColumn, and, asc, desc, type Executor, eq, ilike, schema, sql } from "@inkwell/db";
import { containsPattern, offsetOf, pageTotal, splitTotal, totalRows } from "./paging.ts";

const { articles, comments, users } = schema;

interface Page {
  page: number;
  pageSize: number;
}

export interface ModeratedArticlesQuery extends Page {
  state?: schema.ModerationState;
  /** Words in the title. */
  search?: string;
  authorId?: number;
  sort: ArticleSortKey;
  direction: SortDirection;
}

const articleSortColumns = { createdAt: articles.createdAt, title: articles.title } satisfies Record<
  ArticleSortKey,
  AnyColumn
>;

/** A page of articles with their comment and favorite counts, and the total of matches, in one query. */
export async function listArticlesForModeration(db: Executor, query: ModeratedArticlesQuery) {
  const where = and(
    query.state ? eq(articles.moderation, query.state) : undefined,
    query.search ? ilike(articles.title, containsPattern(query.search)) : undefined,
    query.authorId ? eq(articles.authorId, query.authorId) : undefined,
  );
  const order = query.direction === "asc" ? asc : desc;
  const rows = await db
    .select({
      id: articles.id,
      slug: articles.slug,
      title: articles.title,
      description: articles.description,
      author: { id: users.id, username: users.username },
      moderation: articles.moderation,
      moderatedAt: articles.moderatedAt,
      createdAt: articles.createdAt,
      updatedAt: articles.updatedAt,
      // Hidden comments count too: operators see everything.
      commentsCount: sql<number>`(select count(*) from ${schema.comments} where ${schema.comments.articleId} = ${articles.id})::int`,
      favoritesCount: sql<number>`(select count(*) from ${schema.favorites} where ${schema.favorites.articleId} = ${articles.id})::int`,
      total_rows: totalRows(),
    })
    .from(articles)
    .innerJoin(users, eq(users.id, articles.authorId))
    .where(where)
    .orderBy(order(articleSortColumns[query.sort]), order(articles.id))
    .limit(query.pageSize)
    .offset(offsetOf(query.page, query.pageSize));
  const page = splitTotal(rows);
  const total = await pageTotal(page.total, query.page, () => db.$count(articles, where));
  return { articles: page.rows, total };
}

export interface ModeratedCommentsQuery extends Page {
  state?: schema.ModerationState;
  articleId?: number;
  authorId?: number;
  /** Words in the body. */
  search?: string;
}

/** A page of comments, newest first, with their article and author, and the total of matches, in one query. */
export async function listCommentsForModeration(db: Executor, query: ModeratedCommentsQuery) {
  const where = and(
    query.state ? eq(comments.moderation, query.state) : undefined,
    query.articleId ? eq(comments.articleId, query.articleId) : undefined,
    query.authorId ? eq(comments.authorId, query.authorId) : undefined,
    query.search ? ilike(comments.body, containsPattern(query.search)) : undefined,
  );
  // Page and total come from comments alone; only the page's rows are joined to their article and author.
  const pageIds = db
    .select({ id: comments.id, total_rows: totalRows() })
    .from(comments)
    .where(where)
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(query.pageSize)
    .offset(offsetOf(query.page, query.pageSize))
    .as("page_ids");
  const rows = await db
    .select({
      id: comments.id,
      body: comments.body,
      article: { id: articles.id, slug: articles.slug, title: articles.title },
      author: { id: users.id, username: users.username },
      moderation: comments.moderation,
      moderatedAt: comments.moderatedAt,
      createdAt: comments.createdAt,
      total_rows: pageIds.total_rows,
    })
    .from(pageIds)
    .innerJoin(comments, eq(comments.id, pageIds.id))
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .innerJoin(users, eq(users.id, comments.authorId))
    .orderBy(desc(comments.createdAt), desc(comments.id));
  const page = splitTotal(rows);
  const total = await pageTotal(page.total, query.page, () => db.$count(comments, where));
  return { comments: page.rows, total };
}
