import { type Executor, eq, schema } from "@inkwell/db";
import type { LinkBuilder } from "../email/links.ts";
import { commentNotification } from "../email/templates/comment-notification.ts";
import { queueEmail } from "./email-outbox.ts";

/**
 * Emails an article's author about a new comment, in `db`'s transaction (the
 * comment's): not for their own comments, not when they turned these emails
 * off (`notifyOnComment`), not to a suspended account. Returns whether an email was queued.
 */
export async function notifyAuthorOfComment(
  db: Executor,
  links: LinkBuilder,
  comment: { articleId: number; commenterId: number; body: string },
): Promise<boolean> {
  const u = schema.users;
  const [article] = await db
    .select({
      title: schema.articles.title,
      authorId: u.id,
      authorName: u.username,
      authorEmail: u.email,
      notify: u.notifyOnComment,
      status: u.status,
    })
    .from(schema.articles)
    .innerJoin(u, eq(u.id, schema.articles.authorId))
    .where(eq(schema.articles.id, comment.articleId));
  if (!article || article.authorId === comment.commenterId || !article.notify || article.status !== "active") {
    return false;
  }
  const [commenter] = await db.select({ name: u.username }).from(u).where(eq(u.id, comment.commenterId));
  if (!commenter) return false;
  await queueEmail(
    db,
    commentNotification(links, {
      to: article.authorEmail,
      authorName: article.authorName,
      commenterName: commenter.name,
      articleTitle: article.title,
      comment: comment.body,
    }),
  );
  return true;
}
