import { and, count, desc, type Executor, eq, gt, inArray, max, schema } from "@inkwell/db";
import { selectComments } from "./comments.ts";

const c = schema.comments;

const visibleOn = (articleId: number) => and(eq(c.articleId, articleId), eq(c.moderation, "visible"));

/** The newest `limit` visible comments on an article after `afterId`, oldest first. */
export async function commentsAfter(
  db: Executor,
  viewerId: number | null,
  articleId: number,
  afterId: number,
  limit: number,
) {
  const rows = await selectComments(db, viewerId)
    .where(and(visibleOn(articleId), gt(c.id, afterId)))
    .orderBy(desc(c.id))
    .limit(limit);
  return rows.reverse();
}

/** A visible comment on an article, or null (deleted or hidden since, or on another article). */
export async function visibleComment(db: Executor, viewerId: number | null, articleId: number, commentId: number) {
  const [row] = await selectComments(db, viewerId).where(and(visibleOn(articleId), eq(c.id, commentId)));
  return row ?? null;
}

/** The id of the newest comment on an article, 0 when it has none. */
export async function latestCommentId(db: Executor, articleId: number): Promise<number> {
  const [row] = await db
    .select({ id: max(c.id) })
    .from(c)
    .where(eq(c.articleId, articleId));
  return row?.id ?? 0;
}

/** How many comments (hidden ones too) each of these articles has; 0 for those with none. */
export async function commentCounts(db: Executor, articleIds: readonly number[]) {
  const rows = await db
    .select({ articleId: c.articleId, n: count() })
    .from(c)
    .where(inArray(c.articleId, [...articleIds]))
    .groupBy(c.articleId);
  const counts = new Map(rows.map((row) => [row.articleId, row.n]));
  return articleIds.map((articleId) => ({ articleId, commentsCount: counts.get(articleId) ?? 0 }));
}
