/** Operators' lists of every article and comment, hidden ones included, one numbered page at a time. */
import type { ArticleSortKey, SortDirection } from "@inkwell/auth";
import { asc, desc, type Executor, eq, type SQLWrapper, schema, sql } from "@inkwell/db";
import { articleFilterWhere, type ContentFilter, commentFilterWhere } from "./moderation-filters.ts";
import { offsetOf, pageTotal, splitTotal, totalRows } from "./paging.ts";

const { articles, comments, users } = schema;

/** Who last hid or restored a row, by name (null when nobody did, or their account is gone). */
const moderatorName = (moderatedById: SQLWrapper) =>
  sql<string | null>`(select ${users.username} from ${users} where ${users.id} = ${moderatedById})`;

/** The moderation columns of a row, as every list shows them. */
function moderationOf(row: {
  moderatedById: number | null;
  moderatedByUsername: string | null;
  moderationReason: string | null;
}) {
  return {
    moderatedBy:
      row.moderatedById !== null && row.moderatedByUsername !== null
        ? { id: row.moderatedById, username: row.moderatedByUsername }
        : null,
    moderationReason: row.moderationReason,
  };
}

interface Page {
  page: number;
  pageSize: number;
}

export interface ModeratedArticlesQuery extends Page, ContentFilter {
  sort: ArticleSortKey;
  direction: SortDirection;
}

// Hidden comments count too: operators see everything.
const commentsCount = sql<number>`(select count(*) from ${comments} where ${comments.articleId} = ${articles.id})::int`;
const favoritesCount = sql<number>`(select count(*) from ${schema.favorites} where ${schema.favorites.articleId} = ${articles.id})::int`;

const articleSortColumns = {
  createdAt: articles.createdAt,
  title: articles.title,
  commentsCount,
  favoritesCount,
} satisfies Record<ArticleSortKey, SQLWrapper>;

/** A page of articles with their comment and favorite counts, and the total of matches, in one query. */
export async function listArticlesForModeration(db: Executor, query: ModeratedArticlesQuery) {
  const where = articleFilterWhere(query);
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
      moderatedById: articles.moderatedById,
      moderatedByUsername: moderatorName(articles.moderatedById),
      moderationReason: articles.moderationReason,
      createdAt: articles.createdAt,
      updatedAt: articles.updatedAt,
      commentsCount,
      favoritesCount,
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
  return {
    articles: page.rows.map(({ moderatedById, moderatedByUsername, moderationReason, ...row }) => ({
      ...row,
      ...moderationOf({ moderatedById, moderatedByUsername, moderationReason }),
    })),
    total,
  };
}

export interface ModeratedCommentsQuery extends Page, ContentFilter {}

/** A page of comments, newest first, with their article and author, and the total of matches, in one query. */
export async function listCommentsForModeration(db: Executor, query: ModeratedCommentsQuery) {
  const where = commentFilterWhere(query);
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
      moderatedById: comments.moderatedById,
      moderatedByUsername: moderatorName(comments.moderatedById),
      moderationReason: comments.moderationReason,
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
  return {
    comments: page.rows.map(({ moderatedById, moderatedByUsername, moderationReason, ...row }) => ({
      ...row,
      ...moderationOf({ moderatedById, moderatedByUsername, moderationReason }),
    })),
    total,
  };
}
