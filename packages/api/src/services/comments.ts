import { and, desc, type Executor, eq, schema, sql } from "@inkwell/db";
import { Forbidden, NotFound } from "../errors.ts";
import { type Cursor, encodeCursor } from "./cursor.ts";
import { runPrepared } from "./prepared.ts";
import { profileColumns } from "./profiles.ts";
import { emitCommentCreated } from "./webhook-events.ts";

const c = schema.comments;

export function commentColumns(viewerId: number | null) {
  return { id: c.id, body: c.body, createdAt: c.createdAt, updatedAt: c.updatedAt, author: profileColumns(viewerId) };
}

export function selectComments(db: Executor, viewerId: number | null) {
  return db.select(commentColumns(viewerId)).from(c).innerJoin(schema.users, eq(schema.users.id, c.authorId));
}

/** One page of an article's visible comments, newest first, in one statement; `nextCursor` is null on the last. */
export async function listComments(
  db: Executor,
  viewerId: number | null,
  articleId: number,
  window: { limit: number; cursor?: Cursor },
) {
  const { cursor } = window;
  const comments = await selectComments(db, viewerId)
    .where(
      and(
        eq(c.articleId, articleId),
        eq(c.moderation, "visible"),
        cursor
          ? sql`(${c.createdAt}, ${c.id}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id})`
          : undefined,
      ),
    )
    .orderBy(desc(c.createdAt), desc(c.id))
    .limit(window.limit);
  const last = comments.at(-1);
  return { comments, nextCursor: last && comments.length === window.limit ? encodeCursor(last) : null };
}

/**
 * Writes a comment and emits `comment.created`, in `db`'s transaction; returns it as its author sees it, from the
 * insert itself: the author's profile is the caller's own (`following` is false, since nobody follows themselves:
 * the `follows_not_self` check).
 */
export async function addComment(
  db: Executor,
  author: { id: number; username: string; bio: string | null; image: string | null },
  article: { id: number; slug: string; title: string },
  body: string,
) {
  const [row] = await runPrepared(
    db
      .insert(c)
      .values({ articleId: article.id, authorId: author.id, body })
      .returning({ id: c.id, body: c.body, createdAt: c.createdAt, updatedAt: c.updatedAt }),
    "insert_comment",
  );
  if (!row) throw new Error("insert returned no row");
  await emitCommentCreated(db, row, { id: author.id, username: author.username }, article);
  return { ...row, author: { username: author.username, bio: author.bio, image: author.image, following: false } };
}

/**
 * Deletes a comment on `article` that `authorId` wrote: NotFound when the
 * article has no such comment, Forbidden when someone else wrote it.
 */
export async function deleteOwnComment(
  db: Executor,
  authorId: number,
  article: { id: number; slug: string },
  commentId: number,
): Promise<void> {
  const [comment] = await db
    .select({ authorId: c.authorId })
    .from(c)
    .where(and(eq(c.id, commentId), eq(c.articleId, article.id)));
  if (!comment) throw new NotFound("comment", `No comment ${commentId} on "${article.slug}".`);
  if (comment.authorId !== authorId) throw new Forbidden("Only the author can delete this comment.");
  await db.delete(c).where(eq(c.id, commentId));
}
